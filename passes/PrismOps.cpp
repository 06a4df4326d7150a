//===- PrismOps.cpp - the operations prism instruments --------------------===//
//
// Which instructions are instrumented, and as which operation: one answer for
// the pass (PrismInstrument.cpp) and the vectorizer hints (LoopHints.cpp);
// which features the target has, for the pass and the inline clone.
//
//===----------------------------------------------------------------------===//

#include "PrismOps.h"

#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/Module.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/TargetParser/X86TargetParser.h"

using namespace llvm;

namespace prism {
namespace {

bool isInstrumentedElt(Type *T) { return T->isFloatTy() || T->isDoubleTy(); }

bool isSqrtCall(const CallInst &CI) {
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

} // namespace

Type *instrumentedElt(Type *T) {
  if (auto *VT = dyn_cast<FixedVectorType>(T))
    T = VT->getElementType();
  return isInstrumentedElt(T) ? T : nullptr;
}

/// An fptrunc from From to To (float or double, or vectors of them): rounded
/// only from double to float (not from long double).
static std::optional<OpKind> truncOf(Type *From, Type *To) {
  Type *Src = instrumentedElt(From);
  if (Src && Src->isDoubleTy() && instrumentedElt(To)->isFloatTy())
    return OpKind::Trunc;
  return std::nullopt;
}

std::optional<OpKind> classifyOp(const Instruction &I) {
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
  case Instruction::FPTrunc:
    return truncOf(I.getOperand(0)->getType(), I.getType());
  case Instruction::Call: {
    const auto &CI = cast<CallInst>(I);
    if (isSqrtCall(CI))
      return OpKind::Sqrt;
    const auto *II = dyn_cast<IntrinsicInst>(&CI);
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
    case Intrinsic::experimental_constrained_fptrunc:
      return truncOf(II->getArgOperand(0)->getType(), II->getType());
    default:
      return std::nullopt;
    }
  }
  default:
    return std::nullopt;
  }
}

std::optional<bool> featureEntry(const Function &F, StringRef Feature) {
  // Whole entries: "+avx512fp16" is not "+avx512f", "-fma4" not "-fma".
  SmallVector<StringRef, 64> Features;
  F.getFnAttribute("target-features").getValueAsString().split(Features, ',');
  if (is_contained(Features, ("-" + Feature).str()))
    return false;
  if (is_contained(Features, ("+" + Feature).str()))
    return true;
  return std::nullopt;
}

std::optional<bool> x86CpuFeature(const Function &F, StringRef Feature) {
  StringRef CPU = F.getFnAttribute("target-cpu").getValueAsString();
  if (CPU.empty() || !Triple(F.getParent()->getTargetTriple()).isX86())
    return std::nullopt;
  SmallVector<StringRef, 64> CPUFeatures;
  X86::getFeaturesForCPU(CPU, CPUFeatures);
  return is_contained(CPUFeatures, Feature);
}

std::optional<bool> x86Feature(const Function &F, StringRef Feature) {
  if (!Triple(F.getParent()->getTargetTriple()).isX86())
    return std::nullopt;
  if (std::optional<bool> E = featureEntry(F, Feature))
    return E;
  return x86CpuFeature(F, Feature);
}

} // namespace prism
