//===- LoopHints.h - vectorizer hints for instrumented loops ----*- C++ -*-===//
//
// Runs before the loop vectorizer when prism instruments a module. A rounded
// operation costs dozens of instructions, which changes what the vectorizer
// should do with a loop of floating-point arithmetic:
//   - interleaving buys little (each operation already has plenty of
//     independent instructions) and lengthens the scalar remainder, whose
//     iterations cost ~8x a vector one: interleave count 2 at most (the
//     default's 4 left 30 of stencil's 126 columns scalar; 1 costs the
//     ieee clone of a short gemm row 30%);
//   - a loop whose body is a long chain of dependent operations (Horner,
//     a convolution's accumulator) is latency-bound: four chains in flight
//     (interleave 4), and the tail folded into masked vector iterations so
//     that no chain runs one lane at a time.
// Loops that already carry such hints (pragmas) are left alone, and so are
// loops with reassociable arithmetic (-ffast-math), where the interleave
// count changes a reduction's result.
//
//===----------------------------------------------------------------------===//
#ifndef PRISM_PASSES_LOOPHINTS_H
#define PRISM_PASSES_LOOPHINTS_H

#include "llvm/IR/PassManager.h"

namespace prism {

struct LoopHintsPass : llvm::PassInfoMixin<LoopHintsPass> {
  llvm::PreservedAnalyses run(llvm::Function &F,
                              llvm::FunctionAnalysisManager &FAM);
};

} // namespace prism

#endif // PRISM_PASSES_LOOPHINTS_H
