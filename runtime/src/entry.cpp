// entry.cpp - the functions instrumented code calls (names built by the pass:
// __prism_<f32|f64>_<op> for scalars, __prism_v_<f32|f64>_<op> for vectors).
#include "runtime.h"

#define PRISM_API extern "C" __attribute__((visibility("default")))

namespace prism {
// A disabled thread computes with the built-in IEEE table.
static inline const prism_backend *ops() {
  return __builtin_expect(t_disabled != 0, 0) ? &kNativeOps : g_ops;
}
} // namespace prism

using prism::ops;

#define PRISM_ENTRY_BINARY(op)                                                 \
  PRISM_API float __prism_f32_##op(float a, float b) {                         \
    return ops()->op##_f32(a, b);                                              \
  }                                                                            \
  PRISM_API double __prism_f64_##op(double a, double b) {                      \
    return ops()->op##_f64(a, b);                                              \
  }                                                                            \
  PRISM_API void __prism_v_f32_##op(float *r, const float *a, const float *b,  \
                                    size_t n) {                                \
    ops()->v_##op##_f32(r, a, b, n);                                           \
  }                                                                            \
  PRISM_API void __prism_v_f64_##op(double *r, const double *a,                \
                                    const double *b, size_t n) {               \
    ops()->v_##op##_f64(r, a, b, n);                                           \
  }
PRISM_BINARY_OPS(PRISM_ENTRY_BINARY)
#undef PRISM_ENTRY_BINARY

PRISM_API float __prism_f32_fma(float a, float b, float c) {
  return ops()->fma_f32(a, b, c);
}
PRISM_API double __prism_f64_fma(double a, double b, double c) {
  return ops()->fma_f64(a, b, c);
}
PRISM_API void __prism_v_f32_fma(float *r, const float *a, const float *b,
                                 const float *c, size_t n) {
  ops()->v_fma_f32(r, a, b, c, n);
}
PRISM_API void __prism_v_f64_fma(double *r, const double *a, const double *b,
                                 const double *c, size_t n) {
  ops()->v_fma_f64(r, a, b, c, n);
}
PRISM_API float __prism_f32_sqrt(float a) { return ops()->sqrt_f32(a); }
PRISM_API double __prism_f64_sqrt(double a) { return ops()->sqrt_f64(a); }
PRISM_API void __prism_v_f32_sqrt(float *r, const float *a, size_t n) {
  ops()->v_sqrt_f32(r, a, n);
}
PRISM_API void __prism_v_f64_sqrt(double *r, const double *a, size_t n) {
  ops()->v_sqrt_f64(r, a, n);
}
// fptrunc double -> float: the pass names it after its source type.
PRISM_API float __prism_f64_trunc(double a) { return ops()->trunc_f64_f32(a); }
PRISM_API void __prism_v_f64_trunc(float *r, const double *a, size_t n) {
  ops()->v_trunc_f64_f32(r, a, n);
}
