// chop_vector.cpp - compiles chop_vector-inl.h for every Highway target and
// dispatches to the best one the CPU supports (HWY_DYNAMIC_DISPATCH).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/chop/chop_vector.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "backends/chop/chop_vector-inl.h"

#if HWY_ONCE
namespace prism::chopvec {

HWY_EXPORT(ApplyF32);
HWY_EXPORT(ApplyF64);
HWY_EXPORT(TruncF64);

Plan makePlan(const ChopRounder &r) {
  Plan p;
  p.rounder = r;
  p.kp = bulk::makeKernelParams<double>(r);
  p.random = isStochastic(r.mode);
  const bool noFlips = !(r.flip_prob > 0);
  // Round to odd at double precision needs two bits below the target's last:
  // p <= 51 (fixed:I.F: I+F <= 50). Float results come from float operands
  // only when the format fits float (the backend stops otherwise).
  // sr: the rounding to odd moves x by less than a double ulp, which shifts
  // P(up) by less than 2^-(53-p): keep that below 2^-24 of a spacing (the
  // resolution of the sr backend's float lanes), lane by lane beyond.
  p.f64 = noFlips && r.fmt.grid.precision <= (p.random ? 29 : 51);
  p.f32 = noFlips && r.fmt.grid.precision <= 25;
  return p;
}

bool apply(const Plan &p, Op op, float *r, const float *a, const float *b,
           const float *c, size_t n, uint64_t *lane_rng, uint64_t *scalar_rng) {
  return HWY_DYNAMIC_DISPATCH(ApplyF32)(p, op, r, a, b, c, n, lane_rng,
                                        scalar_rng);
}
bool apply(const Plan &p, Op op, double *r, const double *a, const double *b,
           const double *c, size_t n, uint64_t *lane_rng,
           uint64_t *scalar_rng) {
  return HWY_DYNAMIC_DISPATCH(ApplyF64)(p, op, r, a, b, c, n, lane_rng,
                                        scalar_rng);
}
bool truncate(const Plan &p, float *r, const double *a, size_t n,
              uint64_t *lane_rng) {
  return HWY_DYNAMIC_DISPATCH(TruncF64)(p, r, a, n, lane_rng);
}

} // namespace prism::chopvec
#endif // HWY_ONCE
