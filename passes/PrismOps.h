//===- PrismOps.h - the operations prism instruments ------------*- C++ -*-===//
//
// Shared by the pass (PrismInstrument.cpp), the inline sr/ud emitter
// (FastClone.cpp) and the vectorizer hints (LoopHints.cpp): the operation
// kinds, which instructions are instrumented, and the runtime's naming scheme.
//
//===----------------------------------------------------------------------===//
#ifndef PRISM_PASSES_PRISMOPS_H
#define PRISM_PASSES_PRISMOPS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/Support/ErrorHandling.h"

#include <optional>

namespace prism {

/// The operations the runtime offers; names match runtime/src/entry.cpp.
enum class OpKind { Add, Sub, Mul, Div, Fma, Sqrt, Trunc };

inline llvm::StringRef opName(OpKind K) {
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

inline unsigned numOperands(OpKind K) {
  return K == OpKind::Fma                            ? 3
         : (K == OpKind::Sqrt || K == OpKind::Trunc) ? 1
                                                     : 2;
}

/// float, double, or a fixed vector of them; returns the element type.
llvm::Type *instrumentedElt(llvm::Type *T);

/// The operation an instruction maps to, if it is instrumented.
std::optional<OpKind> classifyOp(const llvm::Instruction &I);

/// F's target-features entry for Feature ("fma"): false when "-fma" is
/// listed, true when "+fma" is, none otherwise.
std::optional<bool> featureEntry(const llvm::Function &F,
                                 llvm::StringRef Feature);

/// Whether F's x86 target-cpu has Feature; none for other targets or
/// without a target-cpu (flang gives only "target-cpu" for -march).
std::optional<bool> x86CpuFeature(const llvm::Function &F,
                                  llvm::StringRef Feature);

/// Whether F's x86 subtarget has Feature: its target-features entry, else
/// its target-cpu's features; none for other targets or without either.
std::optional<bool> x86Feature(const llvm::Function &F,
                               llvm::StringRef Feature);

/// "f32" / "f64": the type part of runtime function names.
inline const char *eltName(llvm::Type *Elt) {
  return Elt->getScalarType()->isFloatTy() ? "f32" : "f64";
}

/// One instruction to rewrite. MulAdd: llvm.fmuladd, which rounds once (as
/// Fma) only where the target fuses it, otherwise as Mul then Add.
/// FoldedMul: I is a `contract` fadd/fsub of this `contract` fmul, which the
/// code generator fuses into one FMA (flang emits these instead of fmuladd).
struct OpSite {
  llvm::Instruction *I;
  OpKind K;
  bool MulAdd;
  llvm::Instruction *FoldedMul = nullptr;
};

/// The operands of a site, read when it is rewritten (earlier rewrites may
/// have replaced them): (x, y, z) of x*y+z for a folded multiply.
inline llvm::SmallVector<llvm::Value *, 3> operandsOf(const OpSite &S,
                                                      llvm::IRBuilder<> &B) {
  llvm::Instruction *I = S.I;
  if (llvm::Instruction *M = S.FoldedMul) {
    llvm::Value *X = M->getOperand(0), *Y = M->getOperand(1);
    bool MulFirst = I->getOperand(0) == M;
    llvm::Value *Z = I->getOperand(MulFirst ? 1 : 0);
    if (I->getOpcode() == llvm::Instruction::FSub) {
      if (MulFirst)
        Z = B.CreateFNeg(Z); // x*y - z
      else
        X = B.CreateFNeg(X); // z - x*y
    }
    return {X, Y, Z};
  }
  if (auto *CI = llvm::dyn_cast<llvm::CallInst>(I))
    return {CI->arg_begin(), CI->arg_begin() + numOperands(S.K)};
  return {I->op_begin(), I->op_end()};
}

/// Replaces the site's instruction (and a folded multiply left unused).
inline void replaceSite(const OpSite &S, llvm::Value *New) {
  New->takeName(S.I);
  S.I->replaceAllUsesWith(New);
  S.I->eraseFromParent();
  if (S.FoldedMul && S.FoldedMul->use_empty())
    S.FoldedMul->eraseFromParent();
}

/// Emits the runtime call computing K(Ops) with result type ResTy.
using RuntimeCallFn = llvm::function_ref<llvm::Value *(
    llvm::IRBuilder<> &, OpKind, llvm::ArrayRef<llvm::Value *>, llvm::Type *)>;

} // namespace prism

#endif // PRISM_PASSES_PRISMOPS_H
