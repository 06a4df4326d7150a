//===- LoopHints.cpp - vectorizer hints for instrumented loops ------------===//
//
// See LoopHints.h. The hints are loop metadata (llvm.loop.interleave.count,
// llvm.loop.vectorize.predicate.enable), the same a #pragma clang loop
// writes, so they change only how the vectorizer shapes the loop, never
// what it computes.
//
//===----------------------------------------------------------------------===//

#include "LoopHints.h"
#include "PrismOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/LoopIterator.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Metadata.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Debug.h"
#include "llvm/Transforms/Utils/LoopUtils.h"

#define DEBUG_TYPE "prism-loop-hints"

using namespace llvm;

static cl::opt<bool>
    ClLoopHints("prism-loop-hints",
                cl::desc("Give loops with floating-point arithmetic "
                         "vectorizer hints suited to rounded operations"),
                cl::Hidden, cl::init(true));
static cl::opt<unsigned> ClInterleave(
    "prism-interleave",
    cl::desc("Interleave count for loops with floating-point arithmetic that "
             "are not long chains (1: shortest scalar remainders, best for "
             "sr/ud; 2 keeps the ieee clone at native speed)"),
    cl::Hidden, cl::init(2));
static cl::opt<unsigned> ClChainInterleave(
    "prism-chain-interleave",
    cl::desc("Interleave count (chains in flight) for long-chain loops"),
    cl::Hidden, cl::init(4));
static cl::opt<unsigned> ClChainLength(
    "prism-chain-length",
    cl::desc("Dependent floating-point operations per iteration from which a "
             "loop counts as a latency-bound chain"),
    cl::Hidden, cl::init(8));

namespace prism {
namespace {

/// An operation prism rounds (the pass's own classification).
bool isFpArith(const Instruction &I) { return classifyOp(I).has_value(); }

/// The longest chain of dependent floating-point operations within one
/// iteration (loop-carried values through header phis start a new chain).
unsigned longestChain(Loop &L, LoopInfo &LI) {
  DenseMap<const Instruction *, unsigned> Depth;
  unsigned Longest = 0;
  LoopBlocksRPO RPO(&L);
  RPO.perform(&LI);
  for (BasicBlock *BB : RPO)
    for (Instruction &I : *BB) {
      if (isa<PHINode>(I))
        continue;
      unsigned D = 0;
      for (const Value *Op : I.operands())
        if (auto *OI = dyn_cast<Instruction>(Op))
          if (auto It = Depth.find(OI); It != Depth.end())
            D = std::max(D, It->second);
      D += isFpArith(I);
      if (D) {
        Depth[&I] = D;
        Longest = std::max(Longest, D);
      }
    }
  return Longest;
}

bool hasFpArith(const Loop &L) {
  for (BasicBlock *BB : L.blocks())
    for (Instruction &I : *BB)
      if (isFpArith(I))
        return true;
  return false;
}

/// Reassociable arithmetic (-ffast-math): the interleave count then picks the
/// order of a vectorized reduction, hence the result; the ieee clone must
/// stay bit-identical to a native build, so such loops keep the default.
bool mayReassociate(const Loop &L) {
  for (BasicBlock *BB : L.blocks())
    for (Instruction &I : *BB)
      if (isa<FPMathOperator>(I) && I.hasAllowReassoc())
        return true;
  return false;
}

/// Whether the loop already says how to interleave or fold its tail.
bool hasOwnHints(const Loop &L) {
  return findStringMetadataForLoop(&L, "llvm.loop.interleave.count") ||
         findStringMetadataForLoop(&L,
                                   "llvm.loop.vectorize.predicate.enable") ||
         findStringMetadataForLoop(&L, "llvm.loop.vectorize.width");
}

void addHint(Loop &L, StringRef Name, Metadata *Value) {
  LLVMContext &Ctx = L.getHeader()->getContext();
  SmallVector<Metadata *, 4> Ops{nullptr}; // the loop id refers to itself
  if (MDNode *Id = L.getLoopID())
    Ops.append(Id->op_begin() + 1, Id->op_end());
  Ops.push_back(MDNode::get(Ctx, {MDString::get(Ctx, Name), Value}));
  MDNode *NewId = MDNode::getDistinct(Ctx, Ops);
  NewId->replaceOperandWith(0, NewId);
  L.setLoopID(NewId);
}

} // namespace

PreservedAnalyses LoopHintsPass::run(Function &F,
                                     FunctionAnalysisManager &FAM) {
  if (!ClLoopHints || F.isDeclaration())
    return PreservedAnalyses::all();
  LoopInfo &LI = FAM.getResult<LoopAnalysis>(F);
  LLVMContext &Ctx = F.getContext();
  auto I32 = [&](unsigned V) {
    return ConstantAsMetadata::get(ConstantInt::get(Type::getInt32Ty(Ctx), V));
  };
  bool Changed = false;
  for (Loop *L : LI.getLoopsInPreorder()) {
    if (!L->isInnermost() || hasOwnHints(*L) || !hasFpArith(*L) ||
        mayReassociate(*L))
      continue;
    unsigned Chain = longestChain(*L, LI);
    bool Long = Chain >= ClChainLength;
    unsigned Interleave = Long ? ClChainInterleave : ClInterleave;
    LLVM_DEBUG(dbgs() << "prism: loop in " << F.getName() << ", chain " << Chain
                      << ": interleave " << Interleave
                      << (Long ? ", fold tail\n" : "\n"));
    addHint(*L, "llvm.loop.interleave.count", I32(Interleave));
    if (Long)
      addHint(*L, "llvm.loop.vectorize.predicate.enable",
              ConstantAsMetadata::get(ConstantInt::getTrue(Ctx)));
    Changed = true;
  }
  if (!Changed)
    return PreservedAnalyses::all();
  PreservedAnalyses PA;
  PA.preserveSet<CFGAnalyses>();
  return PA;
}

} // namespace prism
