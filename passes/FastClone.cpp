//===- FastClone.cpp - inline sr/ud rounding in a function clone ----------===//
//
// Per operation: s = RN(op), the exact error e from an error-free transform
// (TwoSum, FMA residuals, division and sqrt remainders), then
//   n = the neighbour of s on e's side,  result = |e| > u * |n - s| ? n : s
// with u the next threshold of the thread's buffer; with AVX-512, additions,
// products and fmas take RZ(s + RZ(err + u * +-2^E)) instead, two
// instructions with static rounding. Operands outside the
// range where the transforms are exact (near under/overflow, specials) take
// the runtime's exact path with the same threshold, so every element uses
// one slot either way. Mirrors backends/common/stochastic_fast.h, which the
// runtime's out-of-line functions use.
//
// The ud clone (AVX-512) computes additions, products, fmas and fptruncs
// three times instead: RN, RD and RU by static rounding (narrower types
// padded to 512 bits), then picks RD or RU by the element's coin (RN inside
// prism_disable()).
//
// The buffer cursors (float and double thresholds, the ud clone's coins) live
// in allocas promoted to registers at the end; they are written back to the
// state before calls and returns and reloaded after calls. Each call-free
// stretch of a block checks once per buffer that it holds enough slots for
// its operations, and refills it otherwise.
//
//===----------------------------------------------------------------------===//

#include "FastClone.h"

#include "prism/fast.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/PostOrderIterator.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/IntrinsicsX86.h"
#include "llvm/IR/MDBuilder.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Debug.h"
#include "llvm/Transforms/Utils/BasicBlockUtils.h"
#include "llvm/Transforms/Utils/PromoteMemToReg.h"

#define DEBUG_TYPE "prism"

using namespace llvm;

static cl::opt<bool> ClWidenScalars(
    "prism-fast-widen-scalars",
    cl::desc("compute a scalar operation's rounding in lane 0 of a 128-bit "
             "vector (keeps the bit tricks out of general registers)"),
    cl::Hidden, cl::init(true));

static cl::opt<bool> ClDirected(
    "prism-fast-directed",
    cl::desc("on AVX-512, round additions, products and fmas with the "
             "instructions' static rounding (an fma toward zero of the "
             "error and the threshold) instead of compare and select"),
    cl::Hidden, cl::init(true));
static cl::opt<bool> ClDirectedRZ(
    "prism-fast-directed-rz",
    cl::desc("in the static-rounding form, take the gap from RZ(x) (one "
             "more rounding) instead of from s and the error's side"),
    cl::Hidden, cl::init(true));
static cl::opt<bool> ClDirectedChains(
    "prism-fast-directed-chains",
    cl::desc("also round operations on a latency-bound chain with static "
             "rounding (fewer instructions, a longer link)"),
    cl::Hidden, cl::init(true));
static cl::opt<bool> ClDirectedNarrow(
    "prism-fast-directed-narrow",
    cl::desc("static rounding also for scalars and vectors narrower than "
             "512 bits, padded"),
    cl::Hidden, cl::init(true));
static cl::opt<bool> ClRange(
    "prism-fast-range",
    cl::desc("on AVX-512DQ, order a chained addition's operands by magnitude "
             "with vrange instead of a compare and two selects"),
    cl::Hidden, cl::init(true));
static cl::opt<bool> ClFmaRange(
    "prism-fast-fma-range",
    cl::desc("on AVX-512DQ, split a chained fma's c - s by vrange on c and "
             "-s (an fma beside s) instead of both Fast2Sum orders"),
    cl::Hidden, cl::init(true));
static cl::opt<unsigned> ClLatencyChain(
    "prism-fast-chain-length",
    cl::desc("dependent rounded operations from which a chain's operations "
             "are rounded latency first"),
    cl::Hidden, cl::init(8));

static cl::opt<bool> ClSpecialInline(
    "prism-fast-special-inline",
    cl::desc("keep the inline result for lanes with a NaN or infinite "
             "operand instead of calling the runtime's exact path"),
    cl::Hidden, cl::init(true));

static cl::opt<bool> ClCheckHook(
    "prism-check-hook",
    cl::desc("after each rounded operation of the sr/ud clones, call "
             "__prism_check(kind, lanes, bits, &a, &b, &c, &result) (tests: an "
             "MPFR checker verifies what third-party programs compute)"),
    cl::Hidden, cl::init(false));

namespace prism {
namespace {

/// Magnitudes where every transform below is exact (stochastic_fast.h,
/// SafeRange): 2p+2 binades above the subnormals, one below overflow.
double safeLow(Type *Elt) { return Elt->isFloatTy() ? 0x1p-76 : 0x1p-914; }
double safeHigh(Type *Elt) {
  return Elt->isFloatTy() ? 0x1.fffffep126 : 0x1.fffffffffffffp1022;
}

/// What an operation hands to the common rounding step.
struct Residual {
  Value *S;      // round-to-nearest result
  Value *Toward; // i1 per lane: the neighbour on the error's side is nearer 0
  Value *ErrAbs; // |error|, times Scale for div and sqrt
  Value *Scale;  // nullptr, or the factor between ErrAbs and the error
  Value *Ok;     // i1 per lane: the transform is exact for these operands
  Value *Err = nullptr; // the signed error, when it has S's type and scale
  bool Chained = false; // latency first (fma, and adds on a recurrence)
  Value *RZ = nullptr;  // RZ(x) by static rounding (directed form only)
};

bool inlinable(OpKind K, bool HasFma) {
  return HasFma || K == OpKind::Add || K == OpKind::Sub || K == OpKind::Trunc;
}

unsigned lanes(Type *Ty) {
  auto *VT = dyn_cast<FixedVectorType>(Ty);
  return VT ? VT->getNumElements() : 1;
}

/// A call that may run instrumented code, hence use the buffer.
bool mayUseBuffer(const Instruction &I) {
  auto *CB = dyn_cast<CallBase>(&I);
  if (!CB || CB->isInlineAsm())
    return false;
  if (const Function *Callee = CB->getCalledFunction())
    return !Callee->isIntrinsic() && !Callee->getName().starts_with("__prism");
  return true;
}

/// Whether I's value flows back into I within a few steps (through a phi):
/// an accumulator, whose rounding latency is the loop's critical path.
bool onRecurrence(Instruction *I) {
  SmallVector<std::pair<Instruction *, unsigned>, 16> Work{{I, 0}};
  SmallPtrSet<Instruction *, 32> Seen;
  while (!Work.empty()) {
    auto [V, Depth] = Work.pop_back_val();
    for (User *U : V->users()) {
      auto *UI = dyn_cast<Instruction>(U);
      if (UI == I)
        return true;
      if (UI && Depth < 8 && Seen.size() < 64 && Seen.insert(UI).second)
        Work.push_back({UI, Depth + 1});
    }
  }
  return false;
}

/// The sites on a chain of at least MinLength dependent sites within one pass
/// through the code (phis end chains): Horner's rule, an unrolled
/// convolution. Their latency, not their throughput, bounds the loop.
SmallPtrSet<Instruction *, 16>
onLongChain(Function &F, const SmallPtrSetImpl<Instruction *> &IsSite,
            unsigned MinLength) {
  ReversePostOrderTraversal<Function *> RPOT(&F);
  SmallVector<Instruction *, 256> Order;
  for (BasicBlock *BB : RPOT)
    for (Instruction &I : *BB)
      if (!isa<PHINode>(I))
        Order.push_back(&I);
  // Depth: the longest chain of sites ending at I; Height: starting at I.
  DenseMap<Instruction *, unsigned> Depth, Height;
  for (Instruction *I : Order) {
    unsigned D = 0;
    for (Value *Op : I->operands())
      if (auto *OI = dyn_cast<Instruction>(Op))
        D = std::max(D, Depth.lookup(OI));
    if (unsigned V = D + IsSite.contains(I))
      Depth[I] = V;
  }
  for (Instruction *I : reverse(Order)) {
    unsigned H = 0;
    for (User *U : I->users())
      if (auto *UI = dyn_cast<Instruction>(U); UI && !isa<PHINode>(UI))
        H = std::max(H, Height.lookup(UI));
    if (unsigned V = H + IsSite.contains(I))
      Height[I] = V;
  }
  SmallPtrSet<Instruction *, 16> Long;
  for (Instruction *I : IsSite)
    if (Depth.lookup(I) + Height.lookup(I) > MinLength)
      Long.insert(I);
  return Long;
}

class FunctionEmitter {
  Module &M;
  Function &F;
  LLVMContext &Ctx;
  bool HasFma;
  RuntimeCallFn RuntimeCall;
  IntegerType *I32, *I64;
  PointerType *PtrTy;
  MDNode *Unlikely;
  // Leaving the range with the operand check in between: rare, but not as
  // rare as the runtime call behind it, or the register allocator puts the
  // call's spills and reloads in the check (NaN-heavy code runs it: Eigen's
  // geometry 15% slower).
  MDNode *Outside;
  bool Directed;          // AVX-512's static rounding (roundDirected)
  bool HasDq;             // vfpclass
  bool HasVl;             // vfpclass on 128/256-bit vectors
  bool UdOnly;            // the ud clone: RD or RU by static rounding
  bool SrOnly;            // the fast clone of a function with a ud clone
  Value *State = nullptr; // prism_fast_state *
  // i32: the next unused slot of the float (0) and double (1) thresholds and
  // (ud clone) of the coins (2).
  static constexpr unsigned kCoins = 2;
  AllocaInst *Cursor[3] = {nullptr, nullptr, nullptr};
  DenseMap<std::pair<Type *, unsigned>, AllocaInst *> Slots;
  SmallVector<ZExtInst *, 32> SlotIndices;      // the buffers' zext(cursor)
  SmallVector<BinaryOperator *, 32> CursorAdds; // cursor += lanes
  // Sites whose latency bounds the loop: on a loop-carried chain, or on a
  // long chain within one iteration.
  SmallPtrSet<Instruction *, 16> LatencyFirst;

public:
  FunctionEmitter(Module &M, Function &F, bool HasFma, RuntimeCallFn RC,
                  bool UdOnly, bool SrOnly)
      : M(M), F(F), Ctx(F.getContext()), HasFma(HasFma), RuntimeCall(RC),
        I32(Type::getInt32Ty(Ctx)), I64(Type::getInt64Ty(Ctx)),
        PtrTy(PointerType::get(Ctx, 0)),
        Unlikely(MDBuilder(Ctx).createUnlikelyBranchWeights()),
        Outside(MDBuilder(Ctx).createBranchWeights(1, 1000)),
        Directed(ClDirected && x86Feature(F, "avx512f").value_or(false)),
        HasDq(x86Feature(F, "avx512dq").value_or(false)),
        HasVl(x86Feature(F, "avx512vl").value_or(false)),
        UdOnly(UdOnly && x86Feature(F, "avx512f").value_or(false)),
        SrOnly(SrOnly) {}

  /// Whether the ud clone rounds K on Ty from static rounding: additions,
  /// products, fmas and fptrunc on scalars and vectors up to 512 bits or of
  /// whole 512-bit parts (division and square root would take the divider
  /// three times).
  /// Ty: the operands' type (double for fptrunc).
  bool udFor(OpKind K, Type *Ty) const {
    unsigned Bits = Ty->getPrimitiveSizeInBits();
    return UdOnly && HasFma && (Bits <= 512 || Bits % 512 == 0) &&
           (K == OpKind::Add || K == OpKind::Sub || K == OpKind::Mul ||
            K == OpKind::Fma || K == OpKind::Trunc);
  }

  /// Whether the ud clone rounds K(Ops) from static rounding, with a coin. A
  /// product by a power of two is exact: it keeps the exact path's check.
  bool udOp(OpKind K, ArrayRef<Value *> Ops) const {
    return udFor(K, Ops[0]->getType()) &&
           !(K == OpKind::Mul && (isPow2(Ops[0]) || isPow2(Ops[1])));
  }
  bool udSite(const OpSite &S) const {
    IRBuilder<> B(S.I); // builds nothing but for an fma folded from a sub
    return udFor(S.K, S.I->getOperand(0)->getType()) &&
           (S.K != OpKind::Mul || udOp(S.K, operandsOf(S, B)));
  }

  bool run(ArrayRef<OpSite> Sites, bool WantUd) {
    if (WantUd && none_of(Sites, [&](const OpSite &S) { return udSite(S); }))
      return false;
    DenseMap<Instruction *, OpSite> SiteOf;
    for (const OpSite &S : Sites)
      SiteOf[S.I] = S;
    if (Directed || UdOnly) {
      // The static-rounding intrinsics are 512-bit: keep that width legal
      // where the target prefers 256-bit vectors (x86-64-v4), as clang does
      // for a function calling them.
      unsigned Min = 0;
      F.getFnAttribute("min-legal-vector-width")
          .getValueAsString()
          .getAsInteger(10, Min);
      if (Min < 512)
        F.addFnAttr("min-legal-vector-width", "512");
    }
    setupEntry();
    SmallVector<BasicBlock *, 16> Blocks(make_pointer_range(F));
    SmallPtrSet<BasicBlock *, 4> Reloaded;
    // Only additions and fmas are rounded latency first (an fma may be
    // rounded as an addition: power-of-two factor, or no FMA).
    SmallPtrSet<Instruction *, 32> IsSite;
    for (const OpSite &S : Sites)
      IsSite.insert(S.I);
    SmallPtrSet<Instruction *, 16> Long =
        onLongChain(F, IsSite, ClLatencyChain);
    for (const OpSite &S : Sites)
      if ((S.K == OpKind::Add || S.K == OpKind::Sub || S.K == OpKind::Fma) &&
          (Long.contains(S.I) || onRecurrence(S.I)))
        LatencyFirst.insert(S.I);
    for (BasicBlock *BB : Blocks)
      planBlock(*BB, SiteOf, Reloaded);
    for (const OpSite &S : Sites)
      rewrite(S);
    DominatorTree DT(F);
    SmallVector<AllocaInst *, 3> Cursors{Cursor[0], Cursor[1]};
    if (Cursor[kCoins])
      Cursors.push_back(Cursor[kCoins]);
    PromoteMemToReg(Cursors, DT);
    foldSlotOffsets();
    return true;
  }

  /// The cursor's root and offset: idx = root + k through constant adds.
  static Value *cursorRoot(Value *V, uint64_t &Off) {
    Off = 0;
    while (auto *Add = dyn_cast<BinaryOperator>(V)) {
      auto *K = dyn_cast<ConstantInt>(Add->getOperand(1));
      if (Add->getOpcode() != Instruction::Add || !Add->hasNoUnsignedWrap() ||
          !K)
        break;
      Off += K->getZExtValue();
      V = Add->getOperand(0);
    }
    return V;
  }

  /// Cursor moves as root + k and slot indices as zext(root) + k: each op
  /// splits its block (the cold branch), so the code generator would keep
  /// one add and one zero-extension per operation; this way the thresholds
  /// of a stretch load at constant displacements from one index register.
  void foldSlotOffsets() {
    for (BinaryOperator *A : CursorAdds) {
      uint64_t Off;
      Value *Root = cursorRoot(A, Off);
      if (Root != A->getOperand(0)) {
        A->setOperand(0, Root);
        A->setOperand(1, ConstantInt::get(A->getType(), Off));
      }
    }
    for (ZExtInst *Z : SlotIndices) {
      uint64_t Off;
      Value *V = cursorRoot(Z->getOperand(0), Off);
      if (!Off)
        continue;
      IRBuilder<> B(Z);
      Z->replaceAllUsesWith(
          B.CreateNUWAdd(B.CreateZExt(V, I64), ConstantInt::get(I64, Off)));
      Z->eraseFromParent();
    }
  }

private:
  // --- the cursor -----------------------------------------------------------

  FunctionCallee runtimeFn(StringRef Name, Type *Ret, ArrayRef<Type *> Params) {
    AttributeList AL;
    AL = AL.addFnAttribute(Ctx, Attribute::NoUnwind);
    AL = AL.addFnAttribute(Ctx, Attribute::WillReturn);
    return M.getOrInsertFunction(Name, FunctionType::get(Ret, Params, false),
                                 AL);
  }

  GlobalVariable *tlsState() {
    if (auto *G = M.getGlobalVariable(PRISM_FAST_TLS_SYMBOL))
      return G;
    return new GlobalVariable(M, PtrTy, false, GlobalValue::ExternalLinkage,
                              nullptr, PRISM_FAST_TLS_SYMBOL, nullptr,
                              GlobalValue::InitialExecTLSModel);
  }

  /// Entry: state = TLS pointer (created by the runtime on the thread's
  /// first fast function), cursor = state->idx.
  void setupEntry() {
    BasicBlock &Entry = F.getEntryBlock();
    BasicBlock::iterator Pos = Entry.begin();
    while (isa<AllocaInst>(*Pos))
      ++Pos;
    IRBuilder<> B(&Entry, Pos);
    Cursor[0] = B.CreateAlloca(I32, nullptr, "prism.cursor32");
    Cursor[1] = B.CreateAlloca(I32, nullptr, "prism.cursor64");
    if (UdOnly)
      Cursor[kCoins] = B.CreateAlloca(I32, nullptr, "prism.cursor8");
    Value *Tls = B.CreateThreadLocalAddress(tlsState());
    LoadInst *P = B.CreateLoad(PtrTy, Tls, "prism.tls");
    Value *IsNull = B.CreateIsNull(P);
    Instruction *Then = SplitBlockAndInsertIfThen(
        IsNull, cast<Instruction>(IsNull)->getNextNode(), false, Unlikely);
    IRBuilder<> TB(Then);
    Value *Fresh = TB.CreateCall(runtimeFn("__prism_fast_enter", PtrTy, {}));
    BasicBlock *Tail = Then->getSuccessor(0);
    PHINode *Phi = PHINode::Create(PtrTy, 2, "prism.state");
    Phi->insertBefore(Tail->begin());
    Phi->addIncoming(P, &Entry);
    Phi->addIncoming(Fresh, Then->getParent());
    State = Phi;
    IRBuilder<> CB(Tail, Tail->getFirstInsertionPt());
    reload(CB);
  }

  static unsigned bufferOf(Type *UElt) { return UElt->isFloatTy() ? 0 : 1; }
  /// The buffers this clone uses: thresholds, and coins in the ud clone.
  unsigned numBuffers() const { return UdOnly ? 3 : 2; }
  static unsigned capacity(unsigned Buf) {
    return Buf == kCoins ? PRISM_FAST_COINS : PRISM_FAST_SLOTS;
  }
  Value *idxPtr(IRBuilder<> &B, unsigned Buf) {
    static_assert(PRISM_FAST_OFFSET_IDX32 == 0);
    unsigned Off[] = {PRISM_FAST_OFFSET_IDX32, PRISM_FAST_OFFSET_IDX64,
                      PRISM_FAST_OFFSET_IDX8};
    return Buf ? B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), State, Off[Buf])
               : State;
  }
  void reload(IRBuilder<> &B) {
    const char *Name[] = {"prism.idx32", "prism.idx64", "prism.idx8"};
    for (unsigned Buf = 0; Buf < numBuffers(); Buf++)
      B.CreateStore(B.CreateLoad(I32, idxPtr(B, Buf), Name[Buf]), Cursor[Buf]);
  }
  void writeBack(IRBuilder<> &B) {
    for (unsigned Buf = 0; Buf < numBuffers(); Buf++)
      B.CreateStore(B.CreateLoad(I32, Cursor[Buf]), idxPtr(B, Buf));
  }

  /// Before the first operation of a call-free stretch that uses Need[b]
  /// slots of buffer b.
  void ensureSlots(Instruction *Before, const unsigned (&Need)[3]) {
    const char *Refill[] = {"__prism_fast_refill32", "__prism_fast_refill64",
                            "__prism_fast_refill8"};
    for (unsigned Buf = 0; Buf < numBuffers(); Buf++) {
      if (!Need[Buf])
        continue;
      IRBuilder<> B(Before);
      Value *Idx = B.CreateLoad(I32, Cursor[Buf]);
      Value *Short = B.CreateICmpUGT(Idx, B.getInt32(capacity(Buf) - Need[Buf]),
                                     "prism.short");
      Instruction *Then =
          SplitBlockAndInsertIfThen(Short, Before, false, Unlikely);
      IRBuilder<> TB(Then);
      TB.CreateStore(
          TB.CreateCall(runtimeFn(Refill[Buf], I32, {PtrTy}), {State}),
          Cursor[Buf]);
    }
  }

  /// The thresholds an operation site uses: (buffer, count).
  std::pair<unsigned, unsigned> slotsOf(const OpSite &S) {
    Type *Ty = S.I->getType();
    if (udSite(S))
      return {kCoins, lanes(Ty)};
    unsigned Buf = bufferOf(Ty->getScalarType()); // fptrunc: a float result,
    if (S.K == OpKind::Trunc)                     // compared in double
      Buf = 1;
    unsigned L = lanes(Ty);
    // fmuladd without FMA: the add is inline, the mul goes to the runtime.
    if (S.MulAdd || inlinable(S.K, HasFma))
      return {Buf, L};
    return {Buf, 0};
  }

  /// Write-backs and reloads around calls and returns, slot checks per
  /// call-free stretch.
  void planBlock(BasicBlock &BB, const DenseMap<Instruction *, OpSite> &SiteOf,
                 SmallPtrSetImpl<BasicBlock *> &Reloaded) {
    Instruction *First = nullptr;
    unsigned Need[3] = {0, 0, 0};
    auto Flush = [&] {
      if (First)
        ensureSlots(First, Need);
      First = nullptr;
      Need[0] = Need[1] = Need[kCoins] = 0;
    };
    SmallVector<Instruction *, 16> Insts(make_pointer_range(BB));
    for (Instruction *I : Insts) {
      if (auto It = SiteOf.find(I); It != SiteOf.end()) {
        auto [Buf, N] = slotsOf(It->second);
        if (!N)
          continue;
        if (Need[Buf] + N > capacity(Buf) / 2)
          Flush();
        if (!First)
          First = I;
        Need[Buf] += N;
        continue;
      }
      if (isa<ReturnInst>(I) || isa<ResumeInst>(I)) {
        Flush();
        IRBuilder<> B(I);
        writeBack(B);
        continue;
      }
      if (!mayUseBuffer(*I))
        continue;
      Flush();
      IRBuilder<> B(I);
      writeBack(B);
      if (auto *II = dyn_cast<InvokeInst>(I)) {
        // The slot checks above may have moved the invoke to a new block.
        BasicBlock *Normal = SplitEdge(II->getParent(), II->getNormalDest());
        IRBuilder<> NB(Normal->getTerminator());
        reload(NB);
        // Landing pads are reached only from invokes, which all wrote back.
        BasicBlock *Pad = II->getUnwindDest();
        if (Reloaded.insert(Pad).second) {
          IRBuilder<> PB(Pad, Pad->getFirstInsertionPt());
          reload(PB);
        }
      } else {
        IRBuilder<> AB(I->getNextNode());
        reload(AB);
      }
    }
    Flush();
  }

  // --- the arithmetic -------------------------------------------------------

  Type *intTy(Type *Ty) {
    return Ty->getWithNewType(IntegerType::get(Ctx, Ty->getScalarSizeInBits()));
  }
  Value *bits(IRBuilder<> &B, Value *V) {
    return B.CreateBitCast(V, intTy(V->getType()));
  }
  Value *fabs(IRBuilder<> &B, Value *V) {
    return B.CreateUnaryIntrinsic(Intrinsic::fabs, V);
  }
  Value *fma(IRBuilder<> &B, Value *A, Value *X, Value *C) {
    return B.CreateIntrinsic(Intrinsic::fma, {A->getType()}, {A, X, C});
  }
  Value *fconst(Type *Ty, double V) { return ConstantFP::get(Ty, V); }
  /// Lanes where the signs of the two integer patterns differ.
  Value *signsDiffer(IRBuilder<> &B, Value *X, Value *Y) {
    return B.CreateICmpSLT(B.CreateXor(X, Y),
                           Constant::getNullValue(X->getType()));
  }
  /// The bits of |v|: ordered like the magnitudes as signed integers.
  Value *absBits(IRBuilder<> &B, Value *V) {
    unsigned W = V->getType()->getScalarSizeInBits();
    return B.CreateAnd(bits(B, V), APInt::getSignedMaxValue(W));
  }
  /// safeLow <= |v| <= safeHigh as one signed compare on the magnitude bits
  /// (shifted so that the range starts at the most negative integer); NaN
  /// and infinities fall outside.
  Value *inRange(IRBuilder<> &B, Value *V) {
    Type *Ty = V->getType(), *Elt = Ty->getScalarType();
    unsigned W = Elt->getPrimitiveSizeInBits();
    auto BitsOf = [&](double D) {
      return cast<ConstantFP>(fconst(Elt, D))->getValueAPF().bitcastToAPInt();
    };
    APInt Lo = BitsOf(safeLow(Elt)), Hi = BitsOf(safeHigh(Elt));
    APInt Min = APInt::getSignMask(W);
    Value *T =
        B.CreateAdd(absBits(B, V), ConstantInt::get(intTy(Ty), Min - Lo));
    return B.CreateICmpSLT(T, ConstantInt::get(intTy(Ty), Min + (Hi - Lo + 1)));
  }
  /// A constant (splat) power of two, whose products are exact in range.
  static bool isPow2(Value *V) {
    auto *C = dyn_cast<Constant>(V);
    if (C && C->getType()->isVectorTy())
      C = C->getSplatValue();
    auto *CF = dyn_cast_or_null<ConstantFP>(C);
    if (!CF || !CF->getValueAPF().isNormal())
      return false;
    APFloat F = CF->getValueAPF();
    return F.getExactInverse(nullptr) && std::abs(ilogb(F)) < 64;
  }
  static bool isMaskedLoad(Value *V) {
    auto *II = dyn_cast<IntrinsicInst>(V);
    return II && (II->getIntrinsicID() == Intrinsic::masked_load ||
                  II->getIntrinsicID() == Intrinsic::masked_gather ||
                  II->getIntrinsicID() == Intrinsic::masked_expandload);
  }
  Value *isZero(IRBuilder<> &B, Value *V) {
    return B.CreateFCmpOEQ(V, Constant::getNullValue(V->getType()));
  }

  struct Sum {
    Value *Hi, *Lo;
  };
  Sum twoSum(IRBuilder<> &B, Value *A, Value *X) {
    Value *S = B.CreateFAdd(A, X);
    Value *BB = B.CreateFSub(S, A);
    Value *Err =
        B.CreateFAdd(B.CreateFSub(A, B.CreateFSub(S, BB)), B.CreateFSub(X, BB));
    return {S, Err};
  }

  /// A signed error of the type of S (add, sub, mul, fma); round() derives
  /// the side and magnitude it needs.
  static Residual fromError(Value *S, Value *Err, Value *Ok,
                            bool Chained = false) {
    return {S, nullptr, nullptr, nullptr, Ok, Err, Chained};
  }

  /// Fast2Sum with the larger magnitude picked first: the error 6 cycles
  /// after the sum instead of TwoSum's 12, for two more operations.
  Sum fastTwoSum(IRBuilder<> &B, Value *A, Value *X) {
    Value *S = B.CreateFAdd(A, X);
    Value *Big, *Small;
    if (!rangeMinMax(B, A, X, Big, Small)) {
      Value *ABig = B.CreateICmpSGE(absBits(B, A), absBits(B, X));
      Big = B.CreateSelect(ABig, A, X);
      Small = B.CreateSelect(ABig, X, A);
    }
    return {S, B.CreateFSub(Small, B.CreateFSub(S, Big))};
  }

  /// AVX-512DQ's vrange: Big = the operand of larger magnitude, Small the
  /// other, one instruction each instead of a compare and two selects (a
  /// shorter chain). With the arguments in these orders a tie |a| = |x|
  /// still gives both operands (the positive one as Big).
  bool hasRange(Type *Ty) const {
    unsigned Bits = Ty->getPrimitiveSizeInBits();
    return ClRange && HasDq &&
           (Bits == 512 || (HasVl && (Bits == 128 || Bits == 256)));
  }
  bool rangeMinMax(IRBuilder<> &B, Value *A, Value *X, Value *&Big,
                   Value *&Small) {
    Type *Ty = A->getType();
    unsigned Bits = Ty->getPrimitiveSizeInBits();
    bool F32 = Ty->getScalarType()->isFloatTy();
    if (!hasRange(Ty))
      return false;
    Intrinsic::ID Id =
        Bits == 512   ? (F32 ? Intrinsic::x86_avx512_mask_range_ps_512
                             : Intrinsic::x86_avx512_mask_range_pd_512)
        : Bits == 256 ? (F32 ? Intrinsic::x86_avx512_mask_range_ps_256
                             : Intrinsic::x86_avx512_mask_range_pd_256)
                      : (F32 ? Intrinsic::x86_avx512_mask_range_ps_128
                             : Intrinsic::x86_avx512_mask_range_pd_128);
    unsigned N = lanes(Ty);
    Value *All = B.getIntN(N < 8 ? 8 : N, -1);
    // imm: 0b11 max-abs / 0b10 min-abs, bits 3:2 = 01: the selected
    // operand's own sign.
    auto Range = [&](Value *P, Value *Q, unsigned Imm) {
      SmallVector<Value *, 6> Args{P, Q, B.getInt32(Imm), PoisonValue::get(Ty),
                                   All};
      if (Bits == 512)
        Args.push_back(B.getInt32(4)); // _MM_FROUND_CUR_DIRECTION
      return B.CreateIntrinsic(Id, {}, Args);
    };
    Big = Range(X, A, 0x7);
    Small = Range(A, X, 0x6);
    return true;
  }

  Residual residual(IRBuilder<> &B, OpKind K, ArrayRef<Value *> Ops,
                    bool Latency) {
    Value *A = Ops[0];
    Type *Ty = A->getType();
    switch (K) {
    case OpKind::Add:
    case OpKind::Sub: {
      Value *X = K == OpKind::Sub ? B.CreateFNeg(Ops[1]) : Ops[1];
      Sum R = Latency ? fastTwoSum(B, A, X) : twoSum(B, A, X);
      if (!Latency && directedFor(Ty)) {
        // roundDirected() is exact at any magnitude below the top binade
        // (where RZ would not overflow): specials (a NaN error), the top
        // binade, and errors below the normal range (sums below
        // 2^(emin+p-1), where u * gap is not a multiple of the smallest
        // subnormal) leave.
        double Top = Ty->getScalarType()->isFloatTy() ? 0x1p127 : 0x1p1023;
        Value *Ok = B.CreateAnd(
            B.CreateNot(fpClass(B, R.Lo, fcNan | fcInf | fcSubnormal)),
            B.CreateFCmpOLT(fabs(B, R.Hi), fconst(Ty, Top)));
        return fromError(R.Hi, R.Lo, Ok);
      }
      // Both are exact at any magnitude, but near underflow u * gap would
      // round: only exact sums (subnormal ones included) stay here.
      Value *Ok = B.CreateOr(inRange(B, R.Hi), isZero(B, R.Lo));
      return fromError(R.Hi, R.Lo, Ok, Latency);
    }
    case OpKind::Mul: {
      Value *S = B.CreateFMul(A, Ops[1]);
      Value *Err = fma(B, A, Ops[1], B.CreateFNeg(S));
      Value *Ok = B.CreateOr(inRange(B, S),
                             B.CreateOr(isZero(B, A), isZero(B, Ops[1])));
      return fromError(S, Err, Ok);
    }
    case OpKind::Div: {
      Value *D = Ops[1];
      Value *S = B.CreateFDiv(A, D);
      Value *R = fma(B, B.CreateFNeg(S), D, A); // x - s = R / D exactly
      Value *Toward =
          signsDiffer(B, B.CreateXor(bits(B, R), bits(B, D)), bits(B, S));
      // 0 / d is exact (R = 0) whatever d is.
      Value *Ok = B.CreateOr(
          B.CreateAnd(inRange(B, S), B.CreateAnd(inRange(B, A), inRange(B, D))),
          isZero(B, A));
      return {S, Toward, fabs(B, R), fabs(B, D), Ok};
    }
    case OpKind::Sqrt: {
      Value *S = B.CreateUnaryIntrinsic(Intrinsic::sqrt, A);
      Value *R = fma(B, B.CreateFNeg(S), S, A); // x - s ~ R / (2s)
      return {S, signsDiffer(B, bits(B, R), bits(B, S)), fabs(B, R),
              B.CreateFAdd(S, S), B.CreateOr(inRange(B, A), isZero(B, A))};
    }
    case OpKind::Fma: {
      // (y, yl) = TwoSum(c, -s), so e = a*x + c - s = (a*x + y) + yl, and
      // Err = RN(fma(a, x, y) + yl): 11 operations, a third of the latency
      // of ErrFma's 17 (Horner chains). If c - s is exact (yl = 0, e.g. c and s
      // within a factor 2), Err = RN(e). Otherwise a*x is within a binade or
      // two of s and y, so a*x + y = e - yl, a multiple of ulp(a) ulp(x)
      // below ulp(s) + ulp(y) in magnitude, has about p bits: fma rounds it
      // by at most a few units of 2^-p |e|. Exhaustive runs of
      // tests/unit/fma_error_check.c (p = 5 to 8) give Err with e's sign, zero
      // iff e = 0, and |Err - e| < 2^(1-p) |e|: the comparison with u * gap
      // moves by under 2^-p, below the thresholds' 2^(1-p) resolution.
      Value *X = Ops[1], *C = Ops[2];
      Value *S = fma(B, A, X, C);
      Value *Err;
      Value *Big, *Small;
      if (Latency && ClFmaRange && hasRange(Ty) &&
          rangeMinMax(B, C, fma(B, B.CreateFNeg(A), X, B.CreateFNeg(C)), Big,
                      Small)) {
        // yl by Fast2Sum of c and -s (an fma beside s's: RN is odd), the
        // larger magnitude picked by vrange: no |c| to keep in a register
        // per addend (Horner's coefficients), two instructions fewer.
        Value *Y = B.CreateFSub(C, S);
        Err = B.CreateFAdd(fma(B, A, X, Y),
                           B.CreateFSub(Small, B.CreateFSub(Y, Big)));
      } else if (Latency) {
        // yl by Fast2Sum with the larger magnitude first, both orders
        // computed and one picked: 2 additions on the chain instead of
        // TwoSum's 4.
        Value *Y = B.CreateFSub(C, S);
        Value *SBig = B.CreateICmpSGT(absBits(B, S), absBits(B, C));
        Value *NegYl = B.CreateSelect(
            SBig, B.CreateFSub(B.CreateFAdd(Y, S), C), // -(c - (y + s))
            B.CreateFAdd(S, B.CreateFSub(Y, C)));      // -(-s - (y - c))
        Err = B.CreateFSub(fma(B, A, X, Y), NegYl);
      } else {
        // Off a chain, TwoSum: the same (y, yl) in 3 instructions fewer.
        Sum Y = twoSum(B, C, B.CreateFNeg(S));
        Err = B.CreateFAdd(fma(B, A, X, Y.Hi), Y.Lo);
      }
      // With s in the safe range everything above stays exact, or off by
      // under 2^-p |e| (a product below the range only matters when it is
      // negligible next to s), unless c - s overflows: then Err is NaN. A
      // zero factor makes the result exact (s = c, or a zero with IEEE's
      // sign); with s outside the range (0 * x + 0, ReLU's zeros) the cold
      // branch's operand check gives those lanes the IEEE result, so the
      // hot path tests only a factor from a masked load, whose masked-off
      // lanes (a folded tail) are zeros every tail iteration (conv2d: +9%
      // through the cold branch). Without that check, both factors.
      Value *In = inRange(B, S);
      for (Value *F : {A, X})
        if (!ClSpecialInline || isMaskedLoad(F))
          In = B.CreateOr(In, isZero(B, F));
      Value *Ok = B.CreateAnd(In, B.CreateFCmpORD(Err, Err));
      return fromError(S, Err, Ok, Latency);
    }
    case OpKind::Trunc: {
      Type *FTy = Ty->getWithNewType(Type::getFloatTy(Ctx));
      Value *S = B.CreateFPTrunc(A, FTy);
      Value *Err = B.CreateFSub(A, B.CreateFPExt(S, Ty)); // exact
      Value *ErrNeg =
          B.CreateICmpSLT(bits(B, Err), Constant::getNullValue(intTy(Ty)));
      Value *SNeg =
          B.CreateICmpSLT(bits(B, S), Constant::getNullValue(intTy(FTy)));
      return {S, B.CreateXor(ErrNeg, SNeg), fabs(B, Err), nullptr,
              B.CreateOr(inRange(B, S), isZero(B, A))};
    }
    }
    llvm_unreachable("bad op");
  }

  /// Lanes of V in the classes Test: one vfpclass per 512, 256 or 128 bits
  /// with AVX-512DQ (and VL for the narrower ones), where LLVM 19 lowers
  /// llvm.is.fpclass to integer operations; llvm.is.fpclass otherwise.
  Value *fpClass(IRBuilder<> &B, Value *V, FPClassTest Test) {
    Type *Ty = V->getType();
    unsigned Bits = Ty->getPrimitiveSizeInBits();
    bool F32 = Ty->getScalarType()->isFloatTy();
    bool Narrow = HasVl && (Bits == 128 || Bits == 256);
    if (!HasDq || (Bits % 512 != 0 && !Narrow))
      return B.createIsFPClass(V, Test);
    // vfpclass's immediate: QNaN 0x01, +0 0x02, -0 0x04, +inf 0x08,
    // -inf 0x10, denormal 0x20, negative finite 0x40, SNaN 0x80.
    unsigned Imm = (Test & fcQNan ? 0x01 : 0) | (Test & fcSNan ? 0x80 : 0) |
                   (Test & fcPosInf ? 0x08 : 0) | (Test & fcNegInf ? 0x10 : 0) |
                   (Test & fcSubnormal ? 0x20 : 0);
    assert((Test & ~(fcNan | fcInf | fcSubnormal)) == fcNone &&
           (Test & fcSubnormal) != fcNegSubnormal &&
           (Test & fcSubnormal) != fcPosSubnormal && "unsupported class");
    if (Narrow) {
      Intrinsic::ID Id = Bits == 128
                             ? (F32 ? Intrinsic::x86_avx512_fpclass_ps_128
                                    : Intrinsic::x86_avx512_fpclass_pd_128)
                             : (F32 ? Intrinsic::x86_avx512_fpclass_ps_256
                                    : Intrinsic::x86_avx512_fpclass_pd_256);
      return B.CreateIntrinsic(Id, {}, {V, B.getInt32(Imm)});
    }
    return in512(B, {V}, [&](ArrayRef<Value *> P) {
      return B.CreateIntrinsic(F32 ? Intrinsic::x86_avx512_fpclass_ps_512
                                   : Intrinsic::x86_avx512_fpclass_pd_512,
                               {}, {P[0], B.getInt32(Imm)});
    });
  }

  /// Whether operations on Ty round with static rounding: whole 512-bit
  /// vectors, and narrower types padded to 512 bits
  /// (-prism-fast-directed-narrow).
  bool directedFor(Type *Ty) const {
    unsigned Bits = Ty->getPrimitiveSizeInBits();
    return Directed && (Bits % 512 == 0 || (ClDirectedNarrow && Bits < 512));
  }

  /// Body applied to each 512-bit part of Ops (whole 512-bit vectors, or
  /// padded by padTo512), the results concatenated.
  Value *in512(IRBuilder<> &B, ArrayRef<Value *> Ops,
               function_ref<Value *(ArrayRef<Value *>)> Body) {
    Type *Ty = Ops[0]->getType();
    unsigned N = lanes(Ty), Full = 512 / Ty->getScalarSizeInBits();
    if (N == Full)
      return Body(Ops);
    Value *Acc = nullptr;
    for (unsigned Lo = 0; Lo < N; Lo += Full) {
      SmallVector<int, 16> Take;
      for (unsigned I = 0; I < Full; I++)
        Take.push_back(Lo + I);
      SmallVector<Value *, 4> Args;
      for (Value *V : Ops)
        Args.push_back(B.CreateShuffleVector(V, Take));
      // Lanes [Lo, Lo + Full) of the result come from this part.
      SmallVector<int, 16> Widen(N, PoisonMaskElem), Put(N);
      for (unsigned I = 0; I < Full; I++)
        Widen[Lo + I] = I;
      Value *Part = B.CreateShuffleVector(Body(Args), Widen);
      for (unsigned I = 0; I < N; I++)
        Put[I] = I >= Lo && I < Lo + Full ? I + N : I;
      Acc = Acc ? B.CreateShuffleVector(Acc, Part, Put) : Part;
    }
    return Acc;
  }

  /// Per lane, -1 when the neighbour on the error's side is nearer zero, else
  /// 0 (from the error's sign: one shift, not a compare and a sign
  /// extension). Bits: s's bits.
  Value *towardMask(IRBuilder<> &B, const Residual &R, Value *Bits) {
    if (R.Toward)
      return B.CreateSExt(R.Toward, Bits->getType());
    unsigned W = Bits->getType()->getScalarSizeInBits();
    return B.CreateAShr(B.CreateXor(bits(B, R.Err), Bits), W - 1);
  }

  /// AVX-512: result = RZ(s + RZ(err + sgn(s) u gap)),
  /// gap the spacing on the error's side of s: in magnitudes RD(|x| + u gap),
  /// the neighbour away from zero iff u >= 1 - (|x| - RD|x|) / gap. Exact,
  /// as RD(|s| + RD(t)) = RD(|s| + t) (|s|'s neighbours lie at representable
  /// offsets). ud's u is 0 or 1: the lower or upper neighbour.
  Value *roundDirected(IRBuilder<> &B, const Residual &R, Value *U) {
    Type *Ty = R.S->getType();
    unsigned W = Ty->getScalarSizeInBits();
    unsigned Mant = Ty->getScalarType()->getFPMantissaWidth() - 1;
    // Pow = +-2^E with s's sign, so that U * Pow is u gap sgn(s): the
    // exponent of RZ(x), whose spacing above is the gap on the error's side
    // (x below a power of two s in magnitude: RZ(x) is in the binade below),
    // one instruction off the error's path; else from s and the error's side.
    Value *Pow;
    if (R.RZ) {
      Pow = B.CreateBitCast(
          B.CreateAnd(bits(B, R.RZ), APInt::getBitsSetFrom(W, Mant)), Ty);
    } else {
      Value *Bits = bits(B, R.S);
      Value *Mask = towardMask(B, R, Bits);
      Pow = B.CreateBitCast(
          B.CreateAnd(B.CreateAdd(Bits, Mask), APInt::getBitsSetFrom(W, Mant)),
          Ty);
    }
    // s for prism_disable()'s infinite thresholds (RN), and (with ud's u =
    // 1, where s + gap would be the neighbour) when the result is exact.
    Value *Inexact =
        SrOnly ? nullptr : B.CreateFCmpONE(R.Err, Constant::getNullValue(Ty));
    Value *Round = B.CreateFCmpOLT(U, ConstantFP::getInfinity(Ty));
    if (Inexact)
      Round = B.CreateAnd(Inexact, Round);
    SmallVector<Value *, 4> W4 = padAll(B, {U, Pow, R.Err, R.S});
    Value *Res;
    if (SrOnly) {
      // Only sr's u < 1 reaches this clone: an exact result stays s, as
      // |s| + u gap rounds down to |s|. -Y and s - (-Y) keep an exact
      // zero's sign (RZ(-0 + +0) would be +0).
      Value *NegY = staticRound(
          B, OpKind::Fma, {B.CreateFNeg(W4[0]), W4[1], B.CreateFNeg(W4[2])}, 3);
      Res = staticRound(B, OpKind::Sub, {W4[3], NegY}, 3);
    } else {
      Value *Y = staticRound(B, OpKind::Fma, {W4[0], W4[1], W4[2]}, 3);
      Res = staticRound(B, OpKind::Add, {W4[3], Y}, 3);
    }
    return B.CreateSelect(Round, unpad(B, Res, Ty), R.S, "prism.sr");
  }

  /// V as a 512-bit vector: its lanes first, the rest poison.
  Value *padTo512(IRBuilder<> &B, Value *V) {
    Type *Ty = V->getType();
    unsigned N = lanes(Ty), Full = 512 / Ty->getScalarSizeInBits();
    if (N >= Full)
      return V;
    if (!isa<FixedVectorType>(Ty))
      return B.CreateInsertElement(
          PoisonValue::get(FixedVectorType::get(Ty, Full)), V, uint64_t(0));
    SmallVector<int, 16> Pad(Full, PoisonMaskElem);
    for (unsigned I = 0; I < N; I++)
      Pad[I] = I;
    return B.CreateShuffleVector(V, Pad);
  }
  SmallVector<Value *, 4> padAll(IRBuilder<> &B, ArrayRef<Value *> Vs) {
    SmallVector<Value *, 4> Wide;
    for (Value *V : Vs)
      Wide.push_back(padTo512(B, V));
    return Wide;
  }
  /// The lanes of a padTo512 result that stand for a value of type Ty.
  Value *unpad(IRBuilder<> &B, Value *V, Type *Ty) {
    if (V->getType() == Ty)
      return V;
    if (!isa<FixedVectorType>(Ty))
      return B.CreateExtractElement(V, uint64_t(0));
    SmallVector<int, 16> Back;
    for (unsigned I = 0; I < lanes(Ty); I++)
      Back.push_back(I);
    return B.CreateShuffleVector(V, Back);
  }

  /// K on each 512-bit part of Ops (whole 512-bit vectors: padTo512) with
  /// static rounding Mode (RD 1, RU 2, RZ 3; exceptions suppressed).
  Value *staticRound(IRBuilder<> &B, OpKind K, ArrayRef<Value *> Ops,
                     unsigned Mode) {
    Type *Ty = Ops[0]->getType();
    bool F32 = Ty->getScalarType()->isFloatTy();
    Intrinsic::ID Id;
    switch (K) {
    case OpKind::Add:
      Id = F32 ? Intrinsic::x86_avx512_add_ps_512
               : Intrinsic::x86_avx512_add_pd_512;
      break;
    case OpKind::Sub:
      Id = F32 ? Intrinsic::x86_avx512_sub_ps_512
               : Intrinsic::x86_avx512_sub_pd_512;
      break;
    case OpKind::Mul:
      Id = F32 ? Intrinsic::x86_avx512_mul_ps_512
               : Intrinsic::x86_avx512_mul_pd_512;
      break;
    case OpKind::Fma:
      Id = F32 ? Intrinsic::x86_avx512_vfmadd_ps_512
               : Intrinsic::x86_avx512_vfmadd_pd_512;
      break;
    case OpKind::Trunc: // <8 x double> -> <8 x float>
      Id = Intrinsic::x86_avx512_mask_cvtpd2ps_512;
      break;
    default:
      llvm_unreachable("no static rounding form");
    }
    return in512(B, Ops, [&](ArrayRef<Value *> P) {
      SmallVector<Value *, 4> Args(P);
      if (K == OpKind::Trunc) {
        Args.push_back(
            PoisonValue::get(FixedVectorType::get(B.getFloatTy(), 8)));
        Args.push_back(B.getInt8(0xff));
      }
      Args.push_back(B.getInt32(Mode | 8)); // | _MM_FROUND_NO_EXC
      return B.CreateIntrinsic(Id, {}, Args);
    });
  }

  /// The ud clone: RD(x) or RU(x) straight from static rounding, RD for ud's
  /// u = 0 and RU for u = 1 (stored as 2^(1-p)), RN (the IEEE result) for
  /// prism_disable()'s +inf: only compares of the threshold, off the
  /// result's latency. Exact results come back from both; an exact zero sum
  /// is -0 under RD, so a sum's RD is min(RD, RZ), which is RZ's +0 (RN's)
  /// there and RD elsewhere. Ok: RN finite. Beyond that, |x| >= 2^(emax+1)
  /// rounds to inf on both sides on sr/ud's grid (exponent unbounded above)
  /// where RD gives the largest finite value, and NaN/inf operands: the
  /// exact path decides.
  Value *roundUd(IRBuilder<> &B, OpKind K, ArrayRef<Value *> Ops, Value *U,
                 Value *&Ok) {
    Value *RN = ieeeOp(B, K, Ops);
    Type *Ty = RN->getType(); // the result's
    // Narrower types are padded once to 512 bits, where static rounding is.
    SmallVector<Value *, 4> Wide = padAll(B, Ops);
    auto Rounded = [&](unsigned Mode) {
      return unpad(B, staticRound(B, K, Wide, Mode), Ty);
    };
    Value *RD = Rounded(1), *RU = Rounded(2);
    // A product's or a conversion's zero has the same sign in every mode.
    if (K != OpKind::Mul && K != OpKind::Trunc) {
      Value *RZ = Rounded(3);
      RD = B.CreateSelect(B.CreateFCmpOLT(RD, RZ), RD, RZ);
    }
    Value *Up = B.CreateSelect(
        B.CreateICmpEQ(U, ConstantInt::get(U->getType(), PRISM_COIN_OFF)), RN,
        RU);
    Ok = B.CreateNot(fpClass(B, RN, fcNan | fcInf));
    return B.CreateSelect(
        B.CreateICmpEQ(U, ConstantInt::get(U->getType(), PRISM_COIN_DOWN)), RD,
        Up, "prism.ud");
  }

  /// Whether R rounds in the static-rounding form: off a chain, and on one
  /// too with -prism-fast-directed-chains (two cycles more per link, six
  /// instructions fewer).
  bool directedOn(const Residual &R) const {
    return directedFor(R.S->getType()) && (!R.Chained || ClDirectedChains);
  }

  /// RZ(x) for the directed form's gap (roundDirected), when it applies
  /// (R.Err: an addition, product or fma).
  void withRZ(IRBuilder<> &B, Residual &R, OpKind K, ArrayRef<Value *> Ops) {
    if (ClDirectedRZ && R.Err && directedOn(R))
      R.RZ = unpad(B, staticRound(B, K, padAll(B, Ops), 3), Ops[0]->getType());
  }

  /// s, or its neighbour on the error's side when |e| > u * gap. The buffer
  /// holds u * 2^(1-p), so u * gap = slot * 2^E, with 2^E the exponent bits
  /// of s (away from zero) or of bits(s) - 1 (toward zero: the gap below a
  /// power of two is half): integer ops off the error's critical path. For
  /// +-0 that power is 0 or inf, so the threshold is never negative.
  Value *round(IRBuilder<> &B, const Residual &R, Value *U) {
    Type *Ty = R.S->getType();
    if (R.Err && directedOn(R))
      return roundDirected(B, R, U);
    Type *ITy = intTy(Ty);
    unsigned W = Ty->getScalarSizeInBits();
    unsigned Mant = Ty->getScalarType()->getFPMantissaWidth() - 1;
    Value *Bits = bits(B, R.S);
    Type *ErrTy = (R.Err ? R.Err : R.ErrAbs)->getType();
    auto Threshold = [&](Value *I) {
      Value *Pow = B.CreateBitCast(
          B.CreateAnd(I, APInt::getBitsSet(W, Mant, W - 1)), Ty);
      if (Pow->getType() != ErrTy) // fptrunc: float gap
        Pow = B.CreateFMul(B.CreateFPExt(Pow, ErrTy), fconst(ErrTy, 0x1p29));
      if (R.Scale)
        Pow = B.CreateFMul(Pow, R.Scale);
      return B.CreateFMul(U, Pow);
    };
    if (R.Chained) {
      // Both neighbours and thresholds from s alone; after the error only
      // its sign flip by s's, two compares and two selects. E = err * sgn(s)
      // above ThrAway moves away from zero, below -ThrToward toward it. The
      // gap away from zero is ulp(s) (s's exponent, even when the neighbour
      // is the next power of two); toward zero, the lower neighbour's.
      Value *Down = B.CreateSub(Bits, ConstantInt::get(ITy, 1));
      Value *Away = B.CreateAdd(Bits, ConstantInt::get(ITy, 1));
      Value *SignS = B.CreateAnd(Bits, APInt::getSignMask(W));
      Value *E = B.CreateBitCast(B.CreateXor(bits(B, R.Err), SignS), Ty);
      Value *GoAway = B.CreateFCmpOGT(E, Threshold(Bits), "prism.away");
      Value *GoToward =
          B.CreateFCmpOLT(E, B.CreateFNeg(Threshold(Down)), "prism.toward");
      Value *R1 = B.CreateSelect(GoToward, B.CreateBitCast(Down, Ty), R.S);
      return B.CreateSelect(GoAway, B.CreateBitCast(Away, Ty), R1, "prism.sr");
    }
    Value *Mask = towardMask(B, R, Bits);
    Value *ErrAbs = R.ErrAbs ? R.ErrAbs : fabs(B, R.Err);
    Value *N = B.CreateAdd(Bits, B.CreateOr(Mask, ConstantInt::get(ITy, 1)));
    Value *Thr = Threshold(B.CreateAdd(Bits, Mask));
    N = B.CreateBitCast(N, Ty, "prism.next");
    Value *Up = B.CreateFCmpOGT(ErrAbs, Thr, "prism.up");
    return B.CreateSelect(Up, N, R.S, "prism.sr");
  }

  // --- one operation --------------------------------------------------------

  AllocaInst *slot(Type *Ty, unsigned Index) {
    AllocaInst *&A = Slots[{Ty, Index}];
    if (!A) {
      BasicBlock &Entry = F.getEntryBlock();
      IRBuilder<> B(&Entry, Entry.begin());
      A = B.CreateAlloca(Ty, nullptr, "prism.fast.slot");
    }
    return A;
  }

  /// The thresholds of coins C for the runtime's exact path (Ty: the
  /// operation's type): u = 0 for PRISM_COIN_DOWN, 1 (stored as 2^(1-p)) for
  /// PRISM_COIN_UP, +inf for PRISM_COIN_OFF. The exact path reads them as
  /// the same fair coin (not the same side: any fair coin is ud's), and as
  /// RN inside prism_disable().
  Value *coinThresholds(IRBuilder<> &B, Value *C, Type *Ty) {
    double One = Ty->getScalarType()->isFloatTy() ? 0x1p-23 : 0x1p-52;
    auto Is = [&](unsigned V) {
      return B.CreateICmpEQ(C, ConstantInt::get(C->getType(), V));
    };
    return B.CreateSelect(Is(PRISM_COIN_DOWN), Constant::getNullValue(Ty),
                          B.CreateSelect(Is(PRISM_COIN_OFF),
                                         ConstantFP::getInfinity(Ty),
                                         fconst(Ty, One)));
  }

  /// K(Ops) as IEEE computes it.
  Value *ieeeOp(IRBuilder<> &B, OpKind K, ArrayRef<Value *> Ops) {
    switch (K) {
    case OpKind::Add:
      return B.CreateFAdd(Ops[0], Ops[1]);
    case OpKind::Sub:
      return B.CreateFSub(Ops[0], Ops[1]);
    case OpKind::Mul:
      return B.CreateFMul(Ops[0], Ops[1]);
    case OpKind::Div:
      return B.CreateFDiv(Ops[0], Ops[1]);
    case OpKind::Fma:
      return fma(B, Ops[0], Ops[1], Ops[2]);
    case OpKind::Sqrt:
      return B.CreateUnaryIntrinsic(Intrinsic::sqrt, Ops[0]);
    case OpKind::Trunc:
      return B.CreateFPTrunc(Ops[0],
                             Ops[0]->getType()->getWithNewType(B.getFloatTy()));
    }
    llvm_unreachable("bad op");
  }

  /// The runtime's exact path for lanes outside the safe range.
  Value *slowCall(IRBuilder<> &B, OpKind K, ArrayRef<Value *> Ops, Type *ResTy,
                  Value *U, Value *UPtr) {
    Type *SrcTy = Ops[0]->getType();
    std::string Type = eltName(SrcTy);
    if (!isa<FixedVectorType>(SrcTy)) {
      SmallVector<Value *, 4> Args(Ops);
      Args.push_back(U);
      SmallVector<llvm::Type *, 4> Params;
      for (Value *V : Args)
        Params.push_back(V->getType());
      return B.CreateCall(
          runtimeFn("__prism_fast_" + Type + "_" + opName(K).str(), ResTy,
                    Params),
          Args);
    }
    SmallVector<Value *, 6> Args{slot(ResTy, 0)};
    for (auto [I, Op] : enumerate(Ops)) {
      Value *P = slot(SrcTy, I + 1);
      B.CreateStore(Op, P);
      Args.push_back(P);
    }
    Args.push_back(UPtr);
    Args.push_back(B.getInt64(lanes(SrcTy)));
    SmallVector<llvm::Type *, 6> Params(Args.size() - 1, PtrTy);
    Params.push_back(I64);
    B.CreateCall(runtimeFn("__prism_fast_v_" + Type + "_" + opName(K).str(),
                           B.getVoidTy(), Params),
                 Args);
    return B.CreateLoad(ResTy, Args[0]);
  }

  /// The operation's thresholds (and their address): the next slots of its
  /// buffer, whose cursor moves past them.
  std::pair<Value *, Value *> nextThresholds(IRBuilder<> &B, OpKind K,
                                             Type *ResTy, bool Coin) {
    Type *UElt = Coin                 ? B.getInt8Ty()
                 : K == OpKind::Trunc ? B.getDoubleTy()
                                      : ResTy->getScalarType();
    Type *UTy = ResTy->getWithNewType(UElt);
    AllocaInst *C = Cursor[Coin ? kCoins : bufferOf(UElt)];
    Value *Idx = B.CreateLoad(I32, C);
    Value *Base = B.CreateConstInBoundsGEP1_64(B.getInt8Ty(), State,
                                               Coin ? PRISM_FAST_OFFSET_COINS
                                               : UElt->isFloatTy()
                                                   ? PRISM_FAST_OFFSET_U32
                                                   : PRISM_FAST_OFFSET_U64);
    Value *Slot = B.CreateZExt(Idx, I64);
    if (auto *Z = dyn_cast<ZExtInst>(Slot))
      SlotIndices.push_back(Z);
    Value *UPtr = B.CreateInBoundsGEP(UElt, Base, Slot);
    Value *U = B.CreateAlignedLoad(
        UTy, UPtr, Align(UElt->getPrimitiveSizeInBits() / 8), "prism.u");
    Value *Next = B.CreateNUWAdd(Idx, B.getInt32(lanes(ResTy)));
    if (auto *A = dyn_cast<BinaryOperator>(Next))
      CursorAdds.push_back(A);
    B.CreateStore(Next, C);
    return {U, UPtr};
  }

  /// Emits K(Ops) before Anchor; returns the rounded value.
  Value *emitOp(Instruction *Anchor, OpKind K, ArrayRef<Value *> Ops,
                Type *ResTy, bool Latency) {
    IRBuilder<> B(Anchor);
    if (!inlinable(K, HasFma))
      return checkHook(Anchor, K, Ops, RuntimeCall(B, K, Ops, ResTy));
    bool Ud = udOp(K, Ops);
    auto [U, UPtr] = nextThresholds(B, K, ResTy, Ud);

    // A scalar is rounded in lane 0 of a 128-bit vector (the other lanes are
    // poison and never read).
    unsigned Widen = 0;
    if (ClWidenScalars && !isa<FixedVectorType>(ResTy))
      Widen = 128 / Ops[0]->getType()->getPrimitiveSizeInBits();
    auto Wide = [&](Value *V) -> Value * {
      if (!Widen)
        return V;
      if (auto *CV = dyn_cast<Constant>(V))
        return ConstantVector::getSplat(ElementCount::getFixed(Widen), CV);
      return B.CreateInsertElement(
          PoisonValue::get(FixedVectorType::get(V->getType(), Widen)), V,
          uint64_t(0));
    };
    SmallVector<Value *, 3> WOps;
    for (Value *V : Ops)
      WOps.push_back(Wide(V));
    Value *WU = Wide(U);

    Residual R{};
    Value *Fast;
    bool Pow2Factor = (K == OpKind::Mul || K == OpKind::Fma) &&
                      (isPow2(WOps[0]) || isPow2(WOps[1]));
    if (Ud) {
      Fast = roundUd(B, K, WOps, WU, R.Ok);
    } else if (Pow2Factor) {
      // Scaling by a power of two is exact while the result is normal: no
      // rounding for a product (the slot is still used, by the exact path),
      // an addition's for an fma.
      Value *P = B.CreateFMul(WOps[0], WOps[1]);
      Value *Exact = B.CreateOr(inRange(B, P),
                                isZero(B, isPow2(WOps[0]) ? WOps[1] : WOps[0]));
      if (K == OpKind::Mul) {
        Fast = P;
        R.Ok = Exact;
      } else {
        R = residual(B, OpKind::Add, {P, WOps[2]}, Latency);
        R.Ok = B.CreateAnd(R.Ok, Exact);
        withRZ(B, R, OpKind::Add, {P, WOps[2]});
        Fast = round(B, R, WU);
      }
    } else {
      R = residual(B, K, WOps, Latency);
      withRZ(B, R, K, WOps);
      Fast = round(B, R, WU);
    }
    Value *AllOk;
    if (Widen) {
      Fast = B.CreateExtractElement(Fast, uint64_t(0));
      AllOk = B.CreateExtractElement(R.Ok, uint64_t(0));
    } else {
      // Frozen: lanes the program never uses (a folded tail's masked-off
      // lanes, <3 x T>'s padding) may be poison, and so the reduction.
      AllOk = isa<FixedVectorType>(R.Ok->getType())
                  ? B.CreateFreeze(B.CreateAndReduce(R.Ok))
                  : R.Ok;
    }
    Instruction *Then =
        SplitBlockAndInsertIfThen(B.CreateNot(AllOk, "prism.outside"), Anchor,
                                  false, ClSpecialInline ? Outside : Unlikely);
    BasicBlock *Head = Then->getParent()->getSinglePredecessor();
    BasicBlock *Check = nullptr;
    Value *Checked = nullptr;
    if (ClSpecialInline) {
      // The runtime only when a lane outside has finite operands: a lane
      // with a NaN or infinite operand takes the IEEE result, which is exact.
      IRBuilder<> CB(Then);
      // vfpclass on the (widened) operands where AVX-512DQ has it.
      Value *Special = nullptr;
      for (Value *V : WOps) {
        Value *C = fpClass(CB, V, fcNan | fcInf);
        Special = Special ? CB.CreateOr(Special, C) : C;
      }
      // An fma with a zero factor is exact too (residual() leaves it here).
      if (K == OpKind::Fma && !Ud && !Pow2Factor)
        Special = CB.CreateOr(
            Special, CB.CreateOr(isZero(CB, WOps[0]), isZero(CB, WOps[1])));
      Value *Cover = CB.CreateOr(R.Ok, Special);
      if (Widen) {
        Special = CB.CreateExtractElement(Special, uint64_t(0));
        Cover = CB.CreateExtractElement(Cover, uint64_t(0));
      }
      Checked = CB.CreateSelect(Special, ieeeOp(CB, K, Ops), Fast);
      if (isa<FixedVectorType>(Cover->getType()))
        Cover = CB.CreateFreeze(CB.CreateAndReduce(Cover));
      Check = Then->getParent();
      Then =
          SplitBlockAndInsertIfThen(CB.CreateNot(Cover), Then, false, Unlikely);
    }
    IRBuilder<> SB(Then);
    if (Ud) { // the exact path takes thresholds: the coins' u = 0, 1 or inf
      U = coinThresholds(SB, U, K == OpKind::Trunc ? Ops[0]->getType() : ResTy);
      if (isa<FixedVectorType>(ResTy)) {
        UPtr = slot(U->getType(), 4);
        SB.CreateStore(U, UPtr);
      }
    }
    Value *Slow = slowCall(SB, K, Ops, ResTy, U, UPtr);
    BasicBlock *SlowEnd = Then->getParent();
    if (Check) { // Checked from Check, the runtime's result from SlowEnd
      BasicBlock *Join = SlowEnd->getSingleSuccessor();
      PHINode *P = PHINode::Create(ResTy, 2, "prism.special");
      P->insertBefore(Join->begin());
      P->addIncoming(Checked, Check);
      P->addIncoming(Slow, SlowEnd);
      Slow = P;
      SlowEnd = Join;
    }
    PHINode *Phi = PHINode::Create(ResTy, 2, "prism.fast");
    Phi->insertBefore(Anchor->getParent()->begin());
    Phi->addIncoming(Fast, Head);
    Phi->addIncoming(Slow, SlowEnd);
    return checkHook(Anchor, K, Ops, Phi);
  }

  /// With -prism-check-hook: hands K's operands and rounded result R to
  /// __prism_check through stack slots (kind as OpKind, lanes, the result's
  /// element bits; an absent operand is null). Returns R.
  Value *checkHook(Instruction *At, OpKind K, ArrayRef<Value *> Ops, Value *R) {
    if (!ClCheckHook)
      return R;
    IRBuilder<> B(At);
    SmallVector<Value *, 7> Args{
        B.getInt32(static_cast<unsigned>(K)), B.getInt32(lanes(R->getType())),
        B.getInt32(R->getType()->getScalarSizeInBits())};
    for (unsigned I = 0; I < 3; ++I) {
      if (I >= Ops.size()) {
        Args.push_back(ConstantPointerNull::get(PtrTy));
        continue;
      }
      AllocaInst *A = slot(Ops[I]->getType(), 5 + I);
      B.CreateStore(Ops[I], A);
      Args.push_back(A);
    }
    AllocaInst *A = slot(R->getType(), 8);
    B.CreateStore(R, A);
    Args.push_back(A);
    B.CreateCall(runtimeFn("__prism_check", B.getVoidTy(),
                           {I32, I32, I32, PtrTy, PtrTy, PtrTy, PtrTy}),
                 Args);
    return R;
  }

  void rewrite(const OpSite &S) {
    Instruction *I = S.I;
    IRBuilder<> B(I);
    SmallVector<Value *, 3> Ops = operandsOf(S, B);
    Value *New;
    bool Latency = LatencyFirst.contains(I);
    if (S.MulAdd && !HasFma) {
      Value *P = emitOp(I, OpKind::Mul, {Ops[0], Ops[1]}, I->getType(), false);
      New = emitOp(I, OpKind::Add, {P, Ops[2]}, I->getType(), Latency);
    } else {
      New = emitOp(I, S.K, Ops, I->getType(), Latency);
    }
    LLVM_DEBUG(dbgs() << "prism: fast " << F.getName() << ": " << *I << "\n");
    replaceSite(S, New);
  }
};

} // namespace

bool FastCloneBuilder::run(Function &F, ArrayRef<OpSite> Sites, bool HasFma,
                           RuntimeCallFn RuntimeCall, bool UdOnly,
                           bool SrOnly) {
  return FunctionEmitter(M, F, HasFma, RuntimeCall, UdOnly, SrOnly)
      .run(Sites, UdOnly);
}

} // namespace prism
