// vector_eft-inl.h - the lane-wise building blocks the Highway kernels share:
// one xoshiro256 step per u64 lane, and the exact error of fma by
// error-free transforms. Re-included once per Highway target (foreach_target)
// by the kernels that use it: stochastic_kernels-inl.h, chop's bulk and
// vector kernels.

#if defined(PRISM_VECTOR_EFT_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef PRISM_VECTOR_EFT_INL_H_
#undef PRISM_VECTOR_EFT_INL_H_
#else
#define PRISM_VECTOR_EFT_INL_H_
#endif

#include <hwy/highway.h>

HWY_BEFORE_NAMESPACE();
namespace prism {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// One xoshiro256 state transition in every u64 lane (shared by ++ and +).
template <class V> HWY_INLINE void XoshiroStep(V &s0, V &s1, V &s2, V &s3) {
  // The reference's five sequential xors as three-input ones (one ternlog
  // each on AVX-512): s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t.
  const V t = hn::ShiftLeft<17>(s1);
  const V n0 = hn::Xor3(s0, s3, s1);
  const V n1 = hn::Xor3(s1, s2, s0);
  const V n2 = hn::Xor3(s2, s0, t);
  s3 = hn::RotateRight<64 - 45>(hn::Xor(s3, s1));
  s0 = n0;
  s1 = n1;
  s2 = n2;
}

// One xoshiro256++ step in every u64 lane (prism_rng_next, lane-wise).
template <class V> HWY_INLINE V XoshiroNext(V &s0, V &s1, V &s2, V &s3) {
  const V result = hn::Add(hn::RotateRight<64 - 23>(hn::Add(s0, s3)), s0);
  XoshiroStep(s0, s1, s2, s3);
  return result;
}

// ErrFma (Boldo & Muller 2011) for s = fma(a, b, c) and p = RN(a * b): the
// exact error a*b + c - s is r2 + r3; RN(r2 + r3) is returned, which has the
// sign of the error and is within half an ulp of it. Exact when the products
// and sums do not under- or overflow (the callers check their operands).
template <class V> HWY_INLINE V ErrFma(V a, V b, V c, V s, V p) {
  const V p2 = hn::MulSub(a, b, p);
  // TwoSum(c, p2) -> (al1, al2); TwoSum(p, al1) -> (be1, be2).
  const V al1 = hn::Add(c, p2);
  const V t1 = hn::Sub(al1, c);
  const V al2 = hn::Add(hn::Sub(c, hn::Sub(al1, t1)), hn::Sub(p2, t1));
  const V be1 = hn::Add(p, al1);
  const V t2 = hn::Sub(be1, p);
  const V be2 = hn::Add(hn::Sub(p, hn::Sub(be1, t2)), hn::Sub(al1, t2));
  const V gamma = hn::Add(hn::Sub(be1, s), be2);
  const V r2 = hn::Add(gamma, al2);
  const V r3 = hn::Sub(al2, hn::Sub(r2, gamma));
  return hn::Add(r2, r3);
}

} // namespace HWY_NAMESPACE
} // namespace prism
HWY_AFTER_NAMESPACE();

#endif // PRISM_VECTOR_EFT_INL_H_
