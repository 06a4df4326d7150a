// stochastic_vector.cpp - the per-ISA copies of stochastic_kernels-inl.h and
// their dispatch.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/common/stochastic_vector.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "stochastic_kernels-inl.h"
#include "stochastic_vector.h"

HWY_BEFORE_NAMESPACE();
namespace prism {
namespace HWY_NAMESPACE {

// Named instantiations for HWY_EXPORT: <mode><op><type>.
#define PRISM_STOCHASTIC_KERNEL(Mode, Op, T, Name)                             \
  void Name(T *r, const T *a, const T *b, const T *c, size_t n,                \
            ThreadStreams &st) {                                               \
    StochasticArray<RoundingMode::Mode, StochasticOp::Op, T>(r, a, b, c, n, st); \
  }
#define PRISM_STOCHASTIC_KERNELS(Mode)                                         \
  PRISM_STOCHASTIC_KERNEL(Mode, Add, float, Mode##AddF32)                      \
  PRISM_STOCHASTIC_KERNEL(Mode, Sub, float, Mode##SubF32)                      \
  PRISM_STOCHASTIC_KERNEL(Mode, Mul, float, Mode##MulF32)                      \
  PRISM_STOCHASTIC_KERNEL(Mode, Div, float, Mode##DivF32)                      \
  PRISM_STOCHASTIC_KERNEL(Mode, Fma, float, Mode##FmaF32)                      \
  PRISM_STOCHASTIC_KERNEL(Mode, Sqrt, float, Mode##SqrtF32)                    \
  PRISM_STOCHASTIC_KERNEL(Mode, Add, double, Mode##AddF64)                     \
  PRISM_STOCHASTIC_KERNEL(Mode, Sub, double, Mode##SubF64)                     \
  PRISM_STOCHASTIC_KERNEL(Mode, Mul, double, Mode##MulF64)                     \
  PRISM_STOCHASTIC_KERNEL(Mode, Div, double, Mode##DivF64)                     \
  PRISM_STOCHASTIC_KERNEL(Mode, Fma, double, Mode##FmaF64)                     \
  PRISM_STOCHASTIC_KERNEL(Mode, Sqrt, double, Mode##SqrtF64)
PRISM_STOCHASTIC_KERNELS(SR)
PRISM_STOCHASTIC_KERNELS(SRUniform)
#undef PRISM_STOCHASTIC_KERNELS
#undef PRISM_STOCHASTIC_KERNEL

} // namespace HWY_NAMESPACE
} // namespace prism
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace prism {

#define PRISM_EXPORT_KERNELS(Mode)                                             \
  HWY_EXPORT(Mode##AddF32);                                                    \
  HWY_EXPORT(Mode##SubF32);                                                    \
  HWY_EXPORT(Mode##MulF32);                                                    \
  HWY_EXPORT(Mode##DivF32);                                                    \
  HWY_EXPORT(Mode##FmaF32);                                                    \
  HWY_EXPORT(Mode##SqrtF32);                                                   \
  HWY_EXPORT(Mode##AddF64);                                                    \
  HWY_EXPORT(Mode##SubF64);                                                    \
  HWY_EXPORT(Mode##MulF64);                                                    \
  HWY_EXPORT(Mode##DivF64);                                                    \
  HWY_EXPORT(Mode##FmaF64);                                                    \
  HWY_EXPORT(Mode##SqrtF64);
PRISM_EXPORT_KERNELS(SR)
PRISM_EXPORT_KERNELS(SRUniform)
#undef PRISM_EXPORT_KERNELS

#define PRISM_DISPATCH(Mode, S)                                                \
  switch (op) {                                                                \
  case StochasticOp::Add:                                                      \
    return HWY_DYNAMIC_DISPATCH(Mode##Add##S)(r, a, b, c, n, st);              \
  case StochasticOp::Sub:                                                      \
    return HWY_DYNAMIC_DISPATCH(Mode##Sub##S)(r, a, b, c, n, st);              \
  case StochasticOp::Mul:                                                      \
    return HWY_DYNAMIC_DISPATCH(Mode##Mul##S)(r, a, b, c, n, st);              \
  case StochasticOp::Div:                                                      \
    return HWY_DYNAMIC_DISPATCH(Mode##Div##S)(r, a, b, c, n, st);              \
  case StochasticOp::Fma:                                                      \
    return HWY_DYNAMIC_DISPATCH(Mode##Fma##S)(r, a, b, c, n, st);              \
  case StochasticOp::Sqrt:                                                     \
    return HWY_DYNAMIC_DISPATCH(Mode##Sqrt##S)(r, a, b, c, n, st);             \
  }

void stochasticArray(RoundingMode m, StochasticOp op, float *r, const float *a,
                     const float *b, const float *c, size_t n,
                     ThreadStreams &st) {
  if (m == RoundingMode::SR) {
    PRISM_DISPATCH(SR, F32)
  } else {
    PRISM_DISPATCH(SRUniform, F32)
  }
}

void stochasticArray(RoundingMode m, StochasticOp op, double *r,
                     const double *a, const double *b, const double *c,
                     size_t n, ThreadStreams &st) {
  if (m == RoundingMode::SR) {
    PRISM_DISPATCH(SR, F64)
  } else {
    PRISM_DISPATCH(SRUniform, F64)
  }
}
#undef PRISM_DISPATCH

} // namespace prism
#endif // HWY_ONCE
