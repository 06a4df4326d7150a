//===- PrismInstrument.cpp - route floating-point operations to prism ----===//
//
// Rewrites every float/double arithmetic operation (scalar or fixed vector of
// any width) into a call to the prism runtime, which forwards it to the backend
// chosen at launch. Runs at the end of the optimization pipeline, after the
// vectorizers, so one vector instruction becomes one runtime call.
//
// Each instrumented function keeps an uninstrumented clone and a clone with
// sr/ud rounding inline (FastClone.cpp); its entry switches once on
// `__prism_mode` (prism/fast.h): the uninstrumented clone for ieee (native
// speed, bit-identical by construction), the inline clone for sr/ud at full
// precision (for ud on AVX-512, a ud-only clone where it has additions,
// products, fmas or fptruncs),
// and the runtime calls for every other backend.
//
// Vector operands are passed through memory (pointer + lane count): the call
// ABI is then the same at every -march, whatever the vector registers are.
//
//===----------------------------------------------------------------------===//

#include "FastClone.h"
#include "LoopHints.h"
#include "PrismOps.h"
#include "prism/fast.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/InlineAsm.h"
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
using namespace prism;

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
static cl::opt<bool> ClFastClone(
    "prism-fast-clone",
    cl::desc("Keep a clone of each function with sr/ud rounding inline, run "
             "when the sr or ud backend is active at full precision"),
    cl::Hidden, cl::init(true));
static cl::opt<bool> ClUdClone(
    "prism-ud-clone",
    cl::desc("On AVX-512, keep a ud-only clone of each function whose "
             "additions, products, fmas and fptruncs take RD or RU from static "
             "rounding, run when the ud backend is active at full precision"),
    cl::Hidden, cl::init(true));

namespace {

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

  FunctionCallee scalarFn(OpKind K, Type *Elt, Type *Src) {
    SmallVector<Type *, 3> Params(numOperands(K), Src);
    auto *FT = FunctionType::get(Elt, Params, false);
    std::string Name =
        std::string("__prism_") + eltName(Src) + "_" + opName(K).str();
    return M.getOrInsertFunction(Name, FT, attrs());
  }

  FunctionCallee vectorFn(OpKind K, Type *Src) {
    SmallVector<Type *, 5> Params(numOperands(K) + 1, PointerType::get(Ctx, 0));
    Params.push_back(Type::getInt64Ty(Ctx));
    auto *FT = FunctionType::get(Type::getVoidTy(Ctx), Params, false);
    std::string Name =
        std::string("__prism_v_") + eltName(Src) + "_" + opName(K).str();
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
  FastCloneBuilder FastClones;
  GlobalVariable *ModeFlag = nullptr;

  /// True when the code generator would fuse llvm.fmuladd for this function
  /// (x86: FMA3 or AVX-512), so the instrumented path rounds once as well.
  /// The subtarget is the CPU's features plus the attribute's: flang gives
  /// only "target-cpu" for -march, clang both.
  static bool targetFusesMulAdd(const Function &F) {
    if (Triple(F.getParent()->getTargetTriple()).isAArch64())
      return true;
    std::optional<bool> Fma = featureEntry(F, "fma");
    if (Fma == false)
      return false;
    if (Fma == true || featureEntry(F, "avx512f") == true)
      return true;
    return x86CpuFeature(F, "fma").value_or(false) ||
           x86CpuFeature(F, "avx512f").value_or(false);
  }

  static bool isFMulAdd(const Instruction &I) {
    auto *II = dyn_cast<IntrinsicInst>(&I);
    return II && (II->getIntrinsicID() == Intrinsic::fmuladd ||
                  II->getIntrinsicID() ==
                      Intrinsic::experimental_constrained_fmuladd);
  }

  /// Eigen 3.4 under clang writes its AVX multiply-add as inline assembly
  /// (`vfmadd231ps $1, $2, $0` with "=x,x,x,0": c = a*b + c), which no pass
  /// can see into; it is exactly llvm.fma, which is instrumented.
  static bool isAsmFma(const Instruction &I) {
    auto *CI = dyn_cast<CallInst>(&I);
    auto *IA = CI ? dyn_cast<InlineAsm>(CI->getCalledOperand()) : nullptr;
    if (!IA || CI->arg_size() != 3 || !instrumentedElt(CI->getType()))
      return false;
    StringRef Asm = StringRef(IA->getAsmString()).trim();
    return (Asm == "vfmadd231ps $1, $2, $0" ||
            Asm == "vfmadd231pd $1, $2, $0") &&
           StringRef(IA->getConstraintString()).starts_with("=x,x,x,0") &&
           all_of(CI->args(),
                  [&](const Use &U) { return U->getType() == CI->getType(); });
  }

  static void lowerAsmFma(Function &F) {
    for (Instruction &I : make_early_inc_range(instructions(F)))
      if (isAsmFma(I)) {
        auto &CI = cast<CallInst>(I);
        IRBuilder<> B(&CI);
        Value *R = B.CreateIntrinsic(
            Intrinsic::fma, {CI.getType()},
            {CI.getArgOperand(0), CI.getArgOperand(1), CI.getArgOperand(2)});
        R->takeName(&CI);
        CI.replaceAllUsesWith(R);
        CI.eraseFromParent();
      }
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

  /// A `contract` fadd/fsub with a `contract` single-use fmul operand in its
  /// block: the code generator fuses the pair into one FMA on targets with
  /// one (DAGCombiner prefers the first operand).
  static Instruction *contractedMul(Instruction &I) {
    if ((I.getOpcode() != Instruction::FAdd &&
         I.getOpcode() != Instruction::FSub) ||
        !I.hasAllowContract())
      return nullptr;
    for (Value *Op : I.operands())
      if (auto *M = dyn_cast<Instruction>(Op);
          M && M->getOpcode() == Instruction::FMul && M->hasAllowContract() &&
          M->hasOneUse() && M->getParent() == I.getParent())
        return M;
    return nullptr;
  }

  SmallVector<OpSite, 32> collectSites(Function &F) {
    bool Fuse = targetFusesMulAdd(F);
    DenseMap<Instruction *, Instruction *> FoldedInto; // fadd -> fmul
    SmallPtrSet<Instruction *, 8> Folded;
    if (Fuse)
      for (Instruction &I : instructions(F))
        if (Instruction *M = contractedMul(I);
            M && classifyOp(I) && !Folded.count(M)) {
          FoldedInto[&I] = M;
          Folded.insert(M);
        }
    SmallVector<OpSite, 32> Sites;
    for (Instruction &I : instructions(F)) {
      if (Folded.count(&I))
        continue;
      if (Instruction *M = FoldedInto.lookup(&I))
        Sites.push_back({&I, OpKind::Fma, false, M});
      else if (auto K = classifyOp(I))
        Sites.push_back({&I, *K, isFMulAdd(I)});
    }
    return Sites;
  }

  /// Replaces each operation of F by runtime calls.
  bool instrumentBody(Function &F) {
    SmallVector<OpSite, 32> Sites = collectSites(F);
    if (Sites.empty())
      return false;
    Calls.startFunction(F);
    bool Fuse = targetFusesMulAdd(F);
    for (const OpSite &S : Sites) {
      Instruction *I = S.I;
      IRBuilder<> B(I);
      SmallVector<Value *, 3> Ops = operandsOf(S, B);
      Value *New;
      if (S.MulAdd && !Fuse) {
        Value *P = Calls.emit(B, OpKind::Mul, {Ops[0], Ops[1]}, I->getType());
        New = Calls.emit(B, OpKind::Add, {P, Ops[2]}, I->getType());
        Rep.add(F, "fmuladd(mul+add)", I->getType());
      } else {
        New = Calls.emit(B, S.K, Ops, I->getType());
        Rep.add(F,
                S.FoldedMul ? "fmul+fadd(contract)"
                : S.MulAdd  ? "fmuladd"
                            : reportName(S.K),
                I->getType());
      }
      LLVM_DEBUG(dbgs() << "prism: " << F.getName() << ": " << *I << "\n");
      replaceSite(S, New);
    }
    return true;
  }

  /// Rewrites the fast clone: sr/ud rounding inline where the target has
  /// the FMA the transforms need, runtime calls for the rest. UdOnly: the ud
  /// clone; false (the clone untouched) when no site takes its form.
  bool instrumentFast(Function &Fast, bool UdOnly = false,
                      bool SrOnly = false) {
    SmallVector<OpSite, 32> Sites = collectSites(Fast);
    Calls.startFunction(Fast);
    return FastClones.run(
        Fast, Sites, targetFusesMulAdd(Fast),
        [&](IRBuilder<> &B, OpKind K, ArrayRef<Value *> Ops, Type *ResTy) {
          return Calls.emit(B, K, Ops, ResTy);
        },
        UdOnly, SrOnly);
  }

  static bool canClone(const Function &F) {
    for (const Argument &A : F.args())
      if (A.hasInAllocaAttr() || A.hasPreallocatedAttr())
        return false; // forwarding would need musttail
    return !F.isVarArg() && !F.hasFnAttribute(Attribute::Naked) &&
           !F.hasFnAttribute(Attribute::PresplitCoroutine);
  }

  /// strictfp bodies must keep constrained intrinsics, and nothing may go
  /// between a musttail call and its return: both keep the runtime body.
  static bool canFastClone(const Function &F) {
    if (F.hasFnAttribute(Attribute::StrictFP))
      return false;
    for (const Instruction &I : instructions(F))
      if (auto *CI = dyn_cast<CallInst>(&I); CI && CI->isMustTailCall())
        return false;
    return true;
  }

  Function *cloneAs(Function &F, StringRef Suffix) {
    ValueToValueMapTy VMap;
    Function *C = CloneFunction(&F, VMap);
    C->setName(F.getName() + Suffix);
    C->setLinkage(GlobalValue::InternalLinkage);
    C->setVisibility(GlobalValue::DefaultVisibility);
    C->setDLLStorageClass(GlobalValue::DefaultStorageClass);
    C->addFnAttr(kDoneAttr);
    return C;
  }

  GlobalVariable *modeFlag() {
    if (!ModeFlag) {
      ModeFlag = M.getGlobalVariable("__prism_mode");
      if (!ModeFlag)
        ModeFlag = new GlobalVariable(M, Type::getInt8Ty(M.getContext()),
                                      false, GlobalValue::ExternalLinkage,
                                      nullptr, "__prism_mode");
    }
    return ModeFlag;
  }

  /// A block that returns `tail Clone(args...)`.
  BasicBlock *forwardTo(Function &F, Function &Clone, StringRef Name,
                        BasicBlock *Before) {
    LLVMContext &Ctx = F.getContext();
    auto *BB = BasicBlock::Create(Ctx, Name, &F, Before);
    IRBuilder<> B(BB);
    SmallVector<Value *, 8> Args(make_pointer_range(F.args()));
    CallInst *Call = B.CreateCall(&Clone, Args);
    // A plain tail call: musttail cannot be lowered when arguments are
    // passed in memory (e.g. <32 x float> by value), a sibling call can be.
    Call->setTailCallKind(CallInst::TCK_Tail);
    Call->setCallingConv(F.getCallingConv());
    Call->setAttributes(Clone.getAttributes());
    if (DISubprogram *SP = F.getSubprogram())
      Call->setDebugLoc(DILocation::get(Ctx, SP->getScopeLine(), 0, SP));
    if (F.getReturnType()->isVoidTy())
      B.CreateRetVoid();
    else
      B.CreateRet(Call);
    return BB;
  }

  /// Puts `switch (__prism_mode)` at the entry of F: the native clone (ieee),
  /// the fast clone (sr/ud inline), the ud clone (else the fast one) or F's
  /// own runtime-call body. F's static allocas move into the new entry block.
  void addDispatch(Function &F, Function &Native, Function *Fast,
                   Function *Ud) {
    BasicBlock *OldEntry = &F.getEntryBlock();
    LLVMContext &Ctx = F.getContext();
    auto *Entry = BasicBlock::Create(Ctx, "prism.dispatch", &F, OldEntry);
    BasicBlock *ToNative = forwardTo(F, Native, "prism.native", OldEntry);
    BasicBlock *ToFast =
        Fast ? forwardTo(F, *Fast, "prism.fast", OldEntry) : nullptr;
    BasicBlock *ToUd = Ud ? forwardTo(F, *Ud, "prism.ud", OldEntry) : ToFast;
    for (Instruction &I : make_early_inc_range(*OldEntry))
      if (auto *AI = dyn_cast<AllocaInst>(&I);
          AI && isa<ConstantInt>(AI->getArraySize()))
        AI->moveBefore(*Entry, Entry->end());
    IRBuilder<> B(Entry);
    LoadInst *Mode = B.CreateLoad(B.getInt8Ty(), modeFlag(), "prism.mode");
    Mode->setAtomic(AtomicOrdering::Monotonic);
    Mode->setAlignment(Align(1));
    SwitchInst *SI = B.CreateSwitch(Mode, OldEntry, Fast ? 3 : 1);
    SI->addCase(B.getInt8(PRISM_MODE_NATIVE), ToNative);
    if (ToFast) {
      SI->addCase(B.getInt8(PRISM_MODE_FAST), ToFast);
      SI->addCase(B.getInt8(PRISM_MODE_FAST_UD), ToUd);
    }
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
  explicit PrismInstrumenter(Module &M) : M(M), Calls(M), FastClones(M) {}

  bool run() {
    SmallVector<Function *, 32> Fns;
    for (Function &F : M)
      if (!F.isDeclaration() && !F.hasAvailableExternallyLinkage() &&
          !F.hasFnAttribute(kDoneAttr) && !F.getName().starts_with("__prism") &&
          !F.getName().starts_with("prism.") && Scope.allows(F))
        Fns.push_back(&F);
    bool Changed = false;
    for (Function *F : Fns) {
      bool Cloned = ClNativeClone && canClone(*F) && hasFPWork(*F);
      Function *Native = Cloned ? cloneAs(*F, ".prism_native") : nullptr;
      lowerAsmFma(*F);
      expandReductions(*F);
      Function *Fast = Cloned && ClFastClone && canFastClone(*F)
                           ? cloneAs(*F, ".prism_fast")
                           : nullptr;
      Function *Ud =
          Fast && ClUdClone && x86Feature(*F, "avx512f").value_or(false)
              ? cloneAs(*F, ".prism_ud")
              : nullptr;
      bool Did = instrumentBody(*F);
      if (Did && Native) {
        if (Ud && !instrumentFast(*Ud, /*UdOnly=*/true)) {
          Ud->eraseFromParent();
          Ud = nullptr;
        }
        if (Fast)
          instrumentFast(*Fast, /*UdOnly=*/false, /*SrOnly=*/Ud != nullptr);
        addDispatch(*F, *Native, Fast, Ud);
      } else {
        for (Function *C : {Native, Fast, Ud})
          if (C)
            C->eraseFromParent();
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
      if (classifyOp(I) || isAsmFma(I))
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
            PB.registerVectorizerStartEPCallback(
                [](FunctionPassManager &FPM, OptimizationLevel) {
                  FPM.addPass(LoopHintsPass());
                });
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
            PB.registerPipelineParsingCallback(
                [](StringRef Name, FunctionPassManager &FPM,
                   ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name != "prism-loop-hints")
                    return false;
                  FPM.addPass(LoopHintsPass());
                  return true;
                });
          }};
}
