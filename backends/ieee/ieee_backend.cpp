// ieee_backend.cpp - IEEE round-to-nearest, the baseline. Vector entry points
// are Highway kernels dispatched once to the best ISA of the machine.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "backends/ieee/ieee_backend.cpp"
#include <hwy/foreach_target.h> // IWYU pragma: keep
#include <hwy/highway.h>

#include "prism/backend.h"

#include <cmath>

HWY_BEFORE_NAMESPACE();
namespace prism {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

// Applies `op` lane-wise over n elements: full vectors, then the one tail
// path with single-lane vectors.
template <class T, class Op, class... In>
HWY_INLINE void ForEachLane(Op op, T *HWY_RESTRICT r, size_t n,
                            const In *HWY_RESTRICT... in) {
  const hn::ScalableTag<T> d;
  const size_t lanes = hn::Lanes(d);
  size_t i = 0;
  for (; i + lanes <= n; i += lanes)
    hn::StoreU(op(hn::LoadU(d, in + i)...), d, r + i);
  const hn::CappedTag<T, 1> d1;
  for (; i < n; ++i)
    hn::StoreU(op(hn::LoadU(d1, in + i)...), d1, r + i);
}

#define PRISM_IEEE_KERNELS(T, S)                                               \
  void Add##S(T *r, const T *a, const T *b, size_t n) {                        \
    ForEachLane([](auto x, auto y) { return hn::Add(x, y); }, r, n, a, b);     \
  }                                                                            \
  void Sub##S(T *r, const T *a, const T *b, size_t n) {                        \
    ForEachLane([](auto x, auto y) { return hn::Sub(x, y); }, r, n, a, b);     \
  }                                                                            \
  void Mul##S(T *r, const T *a, const T *b, size_t n) {                        \
    ForEachLane([](auto x, auto y) { return hn::Mul(x, y); }, r, n, a, b);     \
  }                                                                            \
  void Div##S(T *r, const T *a, const T *b, size_t n) {                        \
    ForEachLane([](auto x, auto y) { return hn::Div(x, y); }, r, n, a, b);     \
  }                                                                            \
  void Sqrt##S(T *r, const T *a, size_t n) {                                   \
    ForEachLane([](auto x) { return hn::Sqrt(x); }, r, n, a);                  \
  }
PRISM_IEEE_KERNELS(float, F32)
PRISM_IEEE_KERNELS(double, F64)
#undef PRISM_IEEE_KERNELS

} // namespace HWY_NAMESPACE
} // namespace prism
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace prism {
namespace {

HWY_EXPORT(AddF32);
HWY_EXPORT(AddF64);
HWY_EXPORT(SubF32);
HWY_EXPORT(SubF64);
HWY_EXPORT(MulF32);
HWY_EXPORT(MulF64);
HWY_EXPORT(DivF32);
HWY_EXPORT(DivF64);
HWY_EXPORT(SqrtF32);
HWY_EXPORT(SqrtF64);

#define PRISM_IEEE_BINARY(Name, op)                                            \
  void v_##op##_f32(float *r, const float *a, const float *b, size_t n) {     \
    HWY_DYNAMIC_DISPATCH(Name##F32)(r, a, b, n);                               \
  }                                                                            \
  void v_##op##_f64(double *r, const double *a, const double *b, size_t n) {  \
    HWY_DYNAMIC_DISPATCH(Name##F64)(r, a, b, n);                               \
  }
PRISM_IEEE_BINARY(Add, add)
PRISM_IEEE_BINARY(Sub, sub)
PRISM_IEEE_BINARY(Mul, mul)
PRISM_IEEE_BINARY(Div, div)
#undef PRISM_IEEE_BINARY

void v_sqrt_f32(float *r, const float *a, size_t n) {
  HWY_DYNAMIC_DISPATCH(SqrtF32)(r, a, n);
}
void v_sqrt_f64(double *r, const double *a, size_t n) {
  HWY_DYNAMIC_DISPATCH(SqrtF64)(r, a, n);
}

template <class T> T add(T a, T b) { return a + b; }
template <class T> T sub(T a, T b) { return a - b; }
template <class T> T mul(T a, T b) { return a * b; }
template <class T> T div(T a, T b) { return a / b; }
template <class T> T fma(T a, T b, T c) { return std::fma(a, b, c); }
template <class T> T sqrt(T a) { return std::sqrt(a); }
// fma stays scalar: the runtime must not assume FMA hardware (x86-64 base).
template <class T> void v_fma(T *r, const T *a, const T *b, const T *c, size_t n) {
  for (size_t i = 0; i < n; i++)
    r[i] = std::fma(a[i], b[i], c[i]);
}
float trunc(double a) { return static_cast<float>(a); }
void v_trunc(float *r, const double *a, size_t n) {
  for (size_t i = 0; i < n; i++)
    r[i] = static_cast<float>(a[i]);
}

int init(const prism_host *, const prism_config *, char *, size_t) { return 0; }

const prism_backend kIeee = {
    PRISM_BACKEND_ABI_VERSION, sizeof(prism_backend), "ieee", init,
#define PRISM_IEEE_FILL(op) op<float>, op<double>, v_##op##_f32, v_##op##_f64,
    PRISM_BINARY_OPS(PRISM_IEEE_FILL)
#undef PRISM_IEEE_FILL
    fma<float>, fma<double>, v_fma<float>, v_fma<double>,
    sqrt<float>, sqrt<double>, v_sqrt_f32, v_sqrt_f64,
    trunc, v_trunc};

} // namespace
} // namespace prism

extern "C" __attribute__((visibility("default"))) const prism_backend *
prism_backend_entry(void) {
  return &prism::kIeee;
}
#endif // HWY_ONCE
