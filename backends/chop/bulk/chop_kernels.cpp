// chop_kernels.cpp - compiles chop_kernels-inl.h for every Highway target and
// dispatches to the best one the CPU supports (HWY_DYNAMIC_DISPATCH).
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/chop/bulk/chop_kernels.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "backends/chop/bulk/chop_kernels-inl.h"

#if HWY_ONCE
namespace prism::bulk {

HWY_EXPORT(RoundF32);
HWY_EXPORT(RoundF64);

void roundBlock(const KernelParams<uint32_t> &p, const float *in, float *out,
                size_t n, uint64_t *rng) {
  HWY_DYNAMIC_DISPATCH(RoundF32)(p, in, out, n, rng);
}
void roundBlock(const KernelParams<uint64_t> &p, const double *in, double *out,
                size_t n, uint64_t *rng) {
  HWY_DYNAMIC_DISPATCH(RoundF64)(p, in, out, n, rng);
}

} // namespace prism::bulk
#endif // HWY_ONCE
