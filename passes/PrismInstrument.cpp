//===- PrismInstrument.cpp - route floating-point operations to prism ----===//
//
// Rewrites every float/double arithmetic operation (scalar or fixed vector of
// any width) into a call to the prism runtime, which forwards it to the backend
// chosen at launch. Runs at the end of the optimization pipeline, after the
// vectorizers, so one vector instruction becomes one runtime call.
//
// Each instrumented function keeps an uninstrumented clone; its entry branches
// once on `__prism_native` (set when the backend is ieee) to that clone, so the
// ieee baseline runs at native speed and is bit-identical by construction.
//
// Vector operands are passed through memory (pointer + lane count): the call
// ABI is then the same at every -march, whatever the vector registers are.
//
//===----------------------------------------------------------------------===//

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/LoopUtils.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

#include <map>
#include <string>

using namespace llvm;

#define DEBUG_TYPE "prism"

static cl::opt<std::string>
    ClInclude("prism-include",
              cl::desc("File of 'file-glob function-glob' lines: instrument "
                       "only functions that match one of them"),
              cl::Hidden, cl::init(""));
static cl::opt<std::string>
    ClExclude("prism-exclude",
              cl::desc("File of 'file-glob function-glob' lines: never "
                       "instrument functions that match one of them"),
              cl::Hidden, cl::init(""));
static cl::opt<bool>
    ClReport("prism-report",
             cl::desc("Print per function what was instrumented"), cl::Hidden,
             cl::init(false));
static cl::opt<bool> ClNativeClone(
    "prism-native-clone",
    cl::desc("Keep an uninstrumented clone of each function and branch to it "
             "at entry when the ieee backend is active"),
    cl::Hidden, cl::init(true));

namespace {

/// The operations the runtime offers; names match runtime/src/entry.cpp.
enum class OpKind { Add, Sub, Mul, Div, Fma, Sqrt, Trunc };

StringRef opName(OpKind K) {
  switch (K) {
  case OpKind::Add:
    return "add";
  case OpKind::Sub:
    return "sub";
  case OpKind::Mul:
    return "mul";
  case OpKind::Div:
    return "div";
  case OpKind::Fma:
    return "fma";
  case OpKind::Sqrt:
    return "sqrt";
  case OpKind::Trunc:
    return "trunc";
  }
  llvm_unreachable("bad op");
}

/// The instruction's name in --prism-report.
StringRef reportName(OpKind K) {
  switch (K) {
  case OpKind::Add:
    return "fadd";
  case OpKind::Sub:
    return "fsub";
  case OpKind::Mul:
    return "fmul";
  case OpKind::Div:
    return "fdiv";
  case OpKind::Trunc:
    return "fptrunc";
  default:
    return opName(K);
  }
}

unsigned numOperands(OpKind K) {
  return K == OpKind::Fma                            ? 3
         : (K == OpKind::Sqrt || K == OpKind::Trunc) ? 1
                                                     : 2;
}

bool isInstrumentedElt(Type *T) { return T->isFloatTy() || T->isDoubleTy(); }

/// float, double, or a fixed vector of them; returns the element type.
Type *instrumentedElt(Type *T) {
  if (auto *VT = dyn_cast<FixedVectorType>(T))
    T = VT->getElementType();
  return isInstrumentedElt(T) ? T : nullptr;
}

/// Include/exclude lists: lines of "file-glob function-glob".
class ScopeFilter {
  struct Rule {
    GlobPattern File, Func;
  };
  SmallVector<Rule, 8> Includes, Excludes;
  bool HasIncludes = false;

  static void load(StringRef Path, SmallVectorImpl<Rule> &Out) {
    auto Buf = MemoryBuffer::getFile(Path);
    if (!Buf)
      report_fatal_error(Twine("prism: cannot read scope file '") + Path +
                             "': " + Buf.getError().message(),
                         false);
    SmallVector<StringRef, 32> Lines;
    (*Buf)->getBuffer().split(Lines, '\n');
    for (auto [No, Line] : enumerate(Lines)) {
      Line = Line.split('#').first.trim();
      if (Line.empty())
        continue;
      auto [FileGlob, FuncGlob] = getToken(Line);
      FuncGlob = FuncGlob.trim();
      if (FuncGlob.empty())
        FuncGlob = "*";
      auto F = GlobPattern::create(FileGlob);
      auto G = GlobPattern::create(FuncGlob);
      if (!F || !G)
        report_fatal_error(Twine("prism: ") + Path + ":" + Twine(No + 1) +
                               ": bad glob (expected 'file-glob "
                               "function-glob')",
                           false);
      Out.push_back({std::move(*F), std::move(*G)});
    }
  }

  static bool matches(const SmallVectorImpl<Rule> &Rules, StringRef File,
                      StringRef Demangled, StringRef Base) {
    StringRef FileBase = sys::path::filename(File);
    for (const Rule &R : Rules)
      if ((R.File.match(File) || R.File.match(FileBase)) &&
          (R.Func.match(Demangled) || R.Func.match(Base)))
        return true;
    return false;
  }

  /// The qualified name without return type and parameters, e.g.
  /// "(anonymous namespace)::helper" or "ns::twice<double>".
  static std::string baseName(StringRef Mangled, StringRef Demangled) {
    ItaniumPartialDemangler D;
    std::string Name = Mangled.str(); // the AST points into this string
    if (!D.partialDemangle(Name.c_str()) && D.isFunction()) {
      size_t N = 0;
      char *Buf = D.getFunctionName(nullptr, &N);
      if (Buf) {
        std::string R(Buf);
        std::free(Buf);
        return R;
      }
    }
    return Demangled.substr(0, Demangled.find('(')).str();
  }

public:
  ScopeFilter() {
    if (!ClInclude.empty()) {
      load(ClInclude, Includes);
      HasIncludes = true;
    }
    if (!ClExclude.empty())
      load(ClExclude, Excludes);
  }

  bool allows(const Function &F) const {
    if (!HasIncludes && Excludes.empty())
      return true;
    std::string Demangled = demangle(F.getName());
    std::string Base = baseName(F.getName(), Demangled);
    StringRef File = F.getParent()->getSourceFileName();
    if (HasIncludes && !matches(Includes, File, Demangled, Base))
      return false;
    return !matches(Excludes, File, Demangled, Base);
  }
};

/// Counts what was instrumented, per function, for --prism-report.
class Report {
  std::map<std::string, std::map<std::string, unsigned>> Counts;

public:
  void add(const Function &F, StringRef Op, Type *Ty) {
    bool IsFloat = instrumentedElt(Ty)->isFloatTy();
    std::string Key = Op == "fptrunc"
                          ? std::string("fptrunc double->float")
                          : Op.str() + (IsFloat ? " float" : " double");
    if (auto *VT = dyn_cast<FixedVectorType>(Ty))
      Key += " x" + utostr(VT->getNumElements());
    ++Counts[demangle(F.getName())][Key];
  }
  void print(raw_ostream &OS, StringRef Module) const {
    for (const auto &[Fn, Ops] : Counts) {
      OS << "prism-report: " << Module << ": " << Fn << ":";
      for (const auto &[Key, N] : Ops)
        OS << " [" << Key << "]=" << N;
      OS << "\n";
    }
  }
};

/// Builds the runtime calls that replace one instruction.
class CallBuilder {
  Module &M;
  LLVMContext &Ctx;
  Function *Fn = nullptr;
  // Per function: memory slots for vector operands, keyed by (type, slot).
  DenseMap<std::pair<Type *, unsigned>, AllocaInst *> Slots;

  static std::string eltName(Type *Elt) {
    return Elt->isFloatTy() ? "f32" : "f64";
  }

  FunctionCallee scalarFn(OpKind K, Type *Elt, Type *Src) {
    SmallVector<Type *, 3> Params(numOperands(K), Src);
    auto *FT = FunctionType::get(Elt, Params, false);
    std::string Name = "__prism_" + eltName(Src) + "_" + opName(K).str();
    return M.getOrInsertFunction(Name, FT, attrs());
  }

  FunctionCallee vectorFn(OpKind K, Type *Src) {
    SmallVector<Type *, 5> Params(numOperands(K) + 1, PointerType::get(Ctx, 0));
    Params.push_back(Type::getInt64Ty(Ctx));
    auto *FT = FunctionType::get(Type::getVoidTy(Ctx), Params, false);
    std::string Name = "__prism_v_" + eltName(Src) + "_" + opName(K).str();
    return M.getOrInsertFunction(Name, FT, attrs());
  }

  AttributeList attrs() {
    AttributeList AL;
    AL = AL.addFnAttribute(Ctx, Attribute::NoUnwind);
    AL = AL.addFnAttribute(Ctx, Attribute::WillReturn);
    return AL;
  }

  // Calls in a strictfp function must carry the attribute too.
  void markStrict(CallInst *CI) {
    if (Fn->hasFnAttribute(Attribute::StrictFP))
      CI->addFnAttr(Attribute::StrictFP);
  }

  AllocaInst *slot(Type *Ty, unsigned Index) {
    AllocaInst *&A = Slots[{Ty, Index}];
    if (!A) {
      // The entry's first instruction may itself be replaced later: take a
      // fresh insertion point each time.
      BasicBlock &Entry = Fn->getEntryBlock();
      BasicBlock::iterator Pos = Entry.getFirstInsertionPt();
      while (isa<AllocaInst>(*Pos))
        ++Pos;
      IRBuilder<> B(&Entry, Pos);
      A = B.CreateAlloca(Ty, nullptr, "prism.slot");
    }
    return A;
  }

public:
  explicit CallBuilder(Module &M) : M(M), Ctx(M.getContext()) {}

  void startFunction(Function &F) {
    Fn = &F;
    Slots.clear();
  }

  /// Emits the runtime call computing K(Ops) with result type ResTy.
  Value *emit(IRBuilder<> &B, OpKind K, ArrayRef<Value *> Ops, Type *ResTy) {
    Type *SrcTy = Ops[0]->getType();
    auto *VT = dyn_cast<FixedVectorType>(SrcTy);
    if (!VT) {
      CallInst *CI = B.CreateCall(scalarFn(K, ResTy, SrcTy), Ops);
      CI->setDoesNotThrow();
      markStrict(CI);
      return CI;
    }
    SmallVector<Value *, 5> Args;
    Value *Res = slot(ResTy, 0);
    Args.push_back(Res);
    for (auto [I, Op] : enumerate(Ops)) {
      Value *S = slot(SrcTy, I + 1);
      B.CreateStore(Op, S);
      Args.push_back(S);
    }
    Args.push_back(B.getInt64(VT->getNumElements()));
    markStrict(B.CreateCall(vectorFn(K, VT->getElementType()), Args));
    return B.CreateLoad(ResTy, Res);
  }
};

/// Marks functions already handled (instrumented ones and their clones), so
/// that running the pass twice (e.g. in LTO) changes nothing.
constexpr const char *kDoneAttr = "prism-instrumented";

/// Instruments one module.
class PrismInstrumenter {
  Module &M;
  ScopeFilter Scope;
  Report Rep;
  CallBuilder Calls;
  GlobalVariable *NativeFlag = nullptr;

  /// True when the code generator would fuse llvm.fmuladd for this function
  /// (x86: FMA3 or AVX-512), so the instrumented path rounds once as well.
  static bool targetFusesMulAdd(const Function &F) {
    if (Triple(F.getParent()->getTargetTriple()).isAArch64())
      return true;
    StringRef Features = F.getFnAttribute("target-features").getValueAsString();
    return Features.contains("+fma") || Features.contains("+avx512f");
  }

  static bool isFMulAdd(const Instruction &I) {
    auto *II = dyn_cast<IntrinsicInst>(&I);
    return II && (II->getIntrinsicID() == Intrinsic::fmuladd ||
                  II->getIntrinsicID() ==
                      Intrinsic::experimental_constrained_fmuladd);
  }

  static bool isSqrtCall(const CallInst &CI) {
    const Function *Callee = CI.getCalledFunction();
    if (!Callee || CI.arg_size() != 1)
      return false;
    if (Callee->getIntrinsicID() == Intrinsic::sqrt)
      return true;
    if (Callee->isIntrinsic())
      return false;
    StringRef N = Callee->getName();
    return (N == "sqrt" && CI.getType()->isDoubleTy()) ||
           (N == "sqrtf" && CI.getType()->isFloatTy());
  }

  /// Replaces llvm.vector.reduce.fadd/fmul by the chain of binary operations
  /// the code generator would use; ordered reductions keep their order.
  void expandReductions(Function &F) {
    SmallVector<IntrinsicInst *, 4> Worklist;
    for (Instruction &I : instructions(F))
      if (auto *II = dyn_cast<IntrinsicInst>(&I))
        if ((II->getIntrinsicID() == Intrinsic::vector_reduce_fadd ||
             II->getIntrinsicID() == Intrinsic::vector_reduce_fmul) &&
            instrumentedElt(II->getType()) &&
            isa<FixedVectorType>(II->getArgOperand(1)->getType()))
          Worklist.push_back(II);
    for (IntrinsicInst *II : Worklist) {
      IRBuilder<> B(II);
      B.setFastMathFlags(II->getFastMathFlags());
      unsigned Opc = II->getIntrinsicID() == Intrinsic::vector_reduce_fadd
                         ? Instruction::FAdd
                         : Instruction::FMul;
      Value *Acc = II->getArgOperand(0), *Vec = II->getArgOperand(1);
      unsigned N = cast<FixedVectorType>(Vec->getType())->getNumElements();
      Value *R;
      if (II->hasAllowReassoc() && isPowerOf2_32(N)) {
        R = getShuffleReduction(
            B, Vec, Opc, TargetTransformInfo::ReductionShuffle::SplitHalf);
        R = B.CreateBinOp(Instruction::BinaryOps(Opc), Acc, R);
      } else {
        R = getOrderedReduction(B, Acc, Vec, Opc);
      }
      LLVM_DEBUG(dbgs() << "prism: expanded " << *II << "\n");
      II->replaceAllUsesWith(R);
      II->eraseFromParent();
    }
  }

  /// Returns the operation an instruction maps to, if it is instrumented.
  std::optional<OpKind> classify(Instruction &I) {
    if (!instrumentedElt(I.getType()))
      return std::nullopt;
    switch (I.getOpcode()) {
    case Instruction::FAdd:
      return OpKind::Add;
    case Instruction::FSub:
      return OpKind::Sub;
    case Instruction::FMul:
      return OpKind::Mul;
    case Instruction::FDiv:
      return OpKind::Div;
    case Instruction::FPTrunc: {
      Type *Src = instrumentedElt(I.getOperand(0)->getType());
      if (Src && Src->isDoubleTy() && instrumentedElt(I.getType())->isFloatTy())
        return OpKind::Trunc;
      return std::nullopt;
    }
    case Instruction::Call: {
      auto &CI = cast<CallInst>(I);
      if (isSqrtCall(CI))
        return OpKind::Sqrt;
      auto *II = dyn_cast<IntrinsicInst>(&CI);
      if (!II)
        return std::nullopt;
      switch (II->getIntrinsicID()) {
      case Intrinsic::fma:
      case Intrinsic::fmuladd:
      case Intrinsic::experimental_constrained_fma:
      case Intrinsic::experimental_constrained_fmuladd:
        return OpKind::Fma;
      // strictfp code (-ffp-model=strict, FENV_ACCESS): same operations; the
      // backends ignore the dynamic rounding mode.
      case Intrinsic::experimental_constrained_fadd:
        return OpKind::Add;
      case Intrinsic::experimental_constrained_fsub:
        return OpKind::Sub;
      case Intrinsic::experimental_constrained_fmul:
        return OpKind::Mul;
      case Intrinsic::experimental_constrained_fdiv:
        return OpKind::Div;
      case Intrinsic::experimental_constrained_sqrt:
        return OpKind::Sqrt;
      case Intrinsic::experimental_constrained_fptrunc: {
        Type *Src = instrumentedElt(II->getArgOperand(0)->getType());
        if (Src && Src->isDoubleTy() &&
            instrumentedElt(II->getType())->isFloatTy())
          return OpKind::Trunc;
        return std::nullopt;
      }
      default:
        return std::nullopt;
      }
    }
    default:
      return std::nullopt;
    }
  }

  bool instrumentBody(Function &F) {
    expandReductions(F);
    SmallVector<std::pair<Instruction *, OpKind>, 32> Work;
    for (Instruction &I : instructions(F))
      if (auto K = classify(I))
        Work.push_back({&I, *K});
    if (Work.empty())
      return false;
    Calls.startFunction(F);
    bool Fuse = targetFusesMulAdd(F);
    for (auto [I, K] : Work) {
      IRBuilder<> B(I);
      SmallVector<Value *, 3> Ops;
      if (auto *CI = dyn_cast<CallInst>(I))
        Ops.append(CI->arg_begin(), CI->arg_begin() + numOperands(K));
      else
        Ops.append(I->op_begin(), I->op_end());
      bool MulAdd = isFMulAdd(*I);
      Value *New;
      if (MulAdd && !Fuse) {
        Value *P = Calls.emit(B, OpKind::Mul, {Ops[0], Ops[1]}, I->getType());
        New = Calls.emit(B, OpKind::Add, {P, Ops[2]}, I->getType());
        Rep.add(F, "fmuladd(mul+add)", I->getType());
      } else {
        New = Calls.emit(B, K, Ops, I->getType());
        Rep.add(F, MulAdd ? "fmuladd" : reportName(K), I->getType());
      }
      LLVM_DEBUG(dbgs() << "prism: " << F.getName() << ": " << *I << "\n");
      New->takeName(I);
      I->replaceAllUsesWith(New);
      I->eraseFromParent();
    }
    return true;
  }

  static bool canClone(const Function &F) {
    for (const Argument &A : F.args())
      if (A.hasInAllocaAttr() || A.hasPreallocatedAttr())
        return false; // forwarding would need musttail
    return !F.isVarArg() && !F.hasFnAttribute(Attribute::Naked) &&
           !F.hasFnAttribute(Attribute::PresplitCoroutine);
  }

  GlobalVariable *nativeFlag() {
    if (!NativeFlag) {
      NativeFlag = M.getGlobalVariable("__prism_native");
      if (!NativeFlag)
        NativeFlag = new GlobalVariable(M, Type::getInt8Ty(M.getContext()),
                                        false, GlobalValue::ExternalLinkage,
                                        nullptr, "__prism_native");
    }
    return NativeFlag;
  }

  /// Puts `if (__prism_native) return tail Native(args...)` at the entry
  /// of F, moving F's static allocas into the new entry block.
  void addNativeDispatch(Function &F, Function &Native) {
    BasicBlock *OldEntry = &F.getEntryBlock();
    LLVMContext &Ctx = F.getContext();
    auto *Entry = BasicBlock::Create(Ctx, "prism.dispatch", &F, OldEntry);
    auto *Tail = BasicBlock::Create(Ctx, "prism.native", &F, OldEntry);
    for (Instruction &I : make_early_inc_range(*OldEntry))
      if (auto *AI = dyn_cast<AllocaInst>(&I);
          AI && isa<ConstantInt>(AI->getArraySize()))
        AI->moveBefore(*Entry, Entry->end());
    IRBuilder<> B(Entry);
    LoadInst *Flag = B.CreateLoad(B.getInt8Ty(), nativeFlag(), "prism.flag");
    Flag->setAtomic(AtomicOrdering::Monotonic);
    Flag->setAlignment(Align(1));
    B.CreateCondBr(B.CreateICmpNE(Flag, B.getInt8(0)), Tail, OldEntry);
    B.SetInsertPoint(Tail);
    SmallVector<Value *, 8> Args(make_pointer_range(F.args()));
    CallInst *Call = B.CreateCall(&Native, Args);
    // A plain tail call: musttail cannot be lowered when arguments are
    // passed in memory (e.g. <32 x float> by value), a sibling call can be.
    Call->setTailCallKind(CallInst::TCK_Tail);
    Call->setCallingConv(F.getCallingConv());
    Call->setAttributes(Native.getAttributes());
    if (DISubprogram *SP = F.getSubprogram())
      Call->setDebugLoc(DILocation::get(Ctx, SP->getScopeLine(), 0, SP));
    if (F.getReturnType()->isVoidTy())
      B.CreateRetVoid();
    else
      B.CreateRet(Call);
  }

  void addInitConstructor() {
    LLVMContext &Ctx = M.getContext();
    FunctionCallee Init =
        M.getOrInsertFunction("__prism_init", Type::getVoidTy(Ctx));
    Function *Ctor = createSanitizerCtor(M, "prism.module_ctor");
    IRBuilder<> B(Ctor->getEntryBlock().getTerminator());
    B.CreateCall(Init);
    appendToGlobalCtors(M, Ctor, /*Priority=*/1);
  }

public:
  explicit PrismInstrumenter(Module &M) : M(M), Calls(M) {}

  bool run() {
    SmallVector<Function *, 32> Fns;
    for (Function &F : M)
      if (!F.isDeclaration() && !F.hasAvailableExternallyLinkage() &&
          !F.hasFnAttribute(kDoneAttr) && !F.getName().starts_with("__prism") &&
          !F.getName().starts_with("prism.") && Scope.allows(F))
        Fns.push_back(&F);
    bool Changed = false;
    for (Function *F : Fns) {
      Function *Native = nullptr;
      bool WantClone = ClNativeClone && canClone(*F) && hasFPWork(*F);
      if (WantClone) {
        ValueToValueMapTy VMap;
        Native = CloneFunction(F, VMap);
        Native->setName(F->getName() + ".prism_native");
        Native->setLinkage(GlobalValue::InternalLinkage);
        Native->setVisibility(GlobalValue::DefaultVisibility);
        Native->setDLLStorageClass(GlobalValue::DefaultStorageClass);
        Native->addFnAttr(kDoneAttr);
      }
      bool Did = instrumentBody(*F);
      if (Native) {
        if (Did)
          addNativeDispatch(*F, *Native);
        else
          Native->eraseFromParent();
      }
      if (Did)
        F->addFnAttr(kDoneAttr);
      Changed |= Did;
    }
    if (Changed && !M.getFunction("prism.module_ctor"))
      addInitConstructor();
    if (ClReport)
      Rep.print(errs(), M.getSourceFileName());
    return Changed;
  }

  /// Cheap pre-check so that functions without FP work are not cloned.
  bool hasFPWork(Function &F) {
    for (Instruction &I : instructions(F)) {
      if (classify(I))
        return true;
      if (auto *II = dyn_cast<IntrinsicInst>(&I))
        if ((II->getIntrinsicID() == Intrinsic::vector_reduce_fadd ||
             II->getIntrinsicID() == Intrinsic::vector_reduce_fmul) &&
            isa<FixedVectorType>(II->getArgOperand(1)->getType()))
          return true;
    }
    return false;
  }
};

struct PrismInstrumentPass : PassInfoMixin<PrismInstrumentPass> {
  PreservedAnalyses run(Module &M, ModuleAnalysisManager &) {
    return PrismInstrumenter(M).run() ? PreservedAnalyses::none()
                                      : PreservedAnalyses::all();
  }
  static bool isRequired() { return true; }
};

} // namespace

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, "PrismInstrument", "0.1",
          [](PassBuilder &PB) {
            PB.registerOptimizerLastEPCallback(
                [](ModulePassManager &MPM, OptimizationLevel) {
                  MPM.addPass(PrismInstrumentPass());
                });
            PB.registerPipelineParsingCallback(
                [](StringRef Name, ModulePassManager &MPM,
                   ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name != "prism")
                    return false;
                  MPM.addPass(PrismInstrumentPass());
                  return true;
                });
          }};
}
