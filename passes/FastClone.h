//===- FastClone.h - inline sr/ud rounding in a function clone --*- C++ -*-===//
//
// The "fast" clone of an instrumented function computes each operation's
// round-to-nearest result s, its exact error by an error-free transform, and
// rounds away from s to the neighbour on the error's side iff
// |error| > u * gap, with u a threshold read from the thread's buffer
// (prism/fast.h). The runtime fills the buffer for sr (u uniform), ud (u 0 or
// 1) or prism_disable() (+inf), so one clone serves both backends. With
// AVX-512, operations off a chain round with the instructions' static
// rounding instead (RZ(s + RZ(err + u * +-2^E))). A second, ud-only clone
// takes RD(x) or RU(x) straight from the static rounding where it applies,
// picked by one-byte coins from a buffer of their own.
//
//===----------------------------------------------------------------------===//
#ifndef PRISM_PASSES_FASTCLONE_H
#define PRISM_PASSES_FASTCLONE_H

#include "PrismOps.h"

#include "llvm/IR/Function.h"
#include "llvm/IR/Module.h"

namespace prism {

class FastCloneBuilder {
public:
  explicit FastCloneBuilder(llvm::Module &M) : M(M) {}

  /// Rewrites the sites of F (a fresh clone). Operations that need an FMA
  /// the target lacks (everything but add, sub and fptrunc) go through
  /// RuntimeCall instead. UdOnly: the ud clone, whose additions, products,
  /// fmas and fptruncs pick RD or RU by the coin; returns false, leaving F
  /// untouched, when no site of F takes that form. SrOnly: F is the fast
  /// clone of a function that has a ud clone, so that ud never runs the
  /// static-rounding form here (u < 1: exact results need no test).
  bool run(llvm::Function &F, llvm::ArrayRef<OpSite> Sites, bool HasFma,
           RuntimeCallFn RuntimeCall, bool UdOnly = false, bool SrOnly = false);

private:
  llvm::Module &M;
};

} // namespace prism

#endif // PRISM_PASSES_FASTCLONE_H
