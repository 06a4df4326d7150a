// virtual_precision.h - a backend that rounds every exact result with one
// stochastic RoundingMode at the virtual precisions PRISM_PRECISION_BINARY32
// and PRISM_PRECISION_BINARY64 (sr, ud). At full precision the error-free
// transforms of stochastic_fast.h decide; below it, the general core does.
#pragma once

#include "backend_table.h"
#include "round_core.h"
#include "stochastic_fast.h"
#include "stochastic_vector.h"

namespace prism {

template <RoundingMode Mode> struct VirtualPrecisionBackend {
  static inline const prism_host *host = nullptr;
  static inline FormatSpec f32 = virtualFormat<float>(24);
  static inline FormatSpec f64 = virtualFormat<double>(53);
  static inline bool full32 = true, full64 = true;

  template <class T> using Fast = StochasticFast<T, Mode>;

  static uint64_t draw() { return prism_rng_next(host->thread_rng()); }

  template <class T> static const FormatSpec &format() {
    return sizeof(T) == 4 ? f32 : f64;
  }
  template <class T> static bool full() { return sizeof(T) == 4 ? full32 : full64; }

  template <class T> static T round(const ExactValue<T> &x) {
    return roundExactWithDraw(x, format<T>(), Mode, draw());
  }

  // One draw per result on either path.
  template <class T, class FastOp, class ExactOp>
  static T apply(FastOp fast, ExactOp exact) {
    uint64_t d = draw();
    if (full<T>())
      return fast(d);
    return roundExactWithDraw(exact(), format<T>(), Mode, d);
  }

  template <class T> static T add(T a, T b) {
    return apply<T>([&](uint64_t d) { return Fast<T>::add(a, b, d); },
                    [&] { return exactAdd(a, b); });
  }
  template <class T> static T mul(T a, T b) {
    return apply<T>([&](uint64_t d) { return Fast<T>::mul(a, b, d); },
                    [&] { return exactMul(a, b); });
  }
  template <class T> static T div(T a, T b) {
    return apply<T>([&](uint64_t d) { return Fast<T>::div(a, b, d); },
                    [&] { return exactDiv(a, b); });
  }
  template <class T> static T fma(T a, T b, T c) {
    return apply<T>([&](uint64_t d) { return Fast<T>::fma(a, b, c, d); },
                    [&] { return exactFma(a, b, c); });
  }
  template <class T> static T sqrt(T a) {
    return apply<T>([&](uint64_t d) { return Fast<T>::sqrt(a, d); },
                    [&] { return exactSqrt(a); });
  }
  static float trunc(double a) {
    return apply<float>([&](uint64_t d) { return Fast<double>::trunc(a, d); },
                        [&] { return exactTrunc(a); });
  }

  // Vector entry points: whole arrays through the Highway kernels at full
  // precision, lane by lane through the general core below it.
  template <class T, class ExactOp>
  static void lanes(StochasticOp op, T *r, const T *a, const T *b, const T *c,
                    size_t n, ExactOp exact) {
    if (full<T>()) {
      stochasticArray(Mode, op, r, a, b, c, n, threadStreams(host));
      return;
    }
    uint64_t *rng = host->thread_rng();
    for (size_t i = 0; i < n; i++)
      r[i] = roundExactWithDraw(exact(i), format<T>(), Mode, prism_rng_next(rng));
  }
  template <class T> static void v_add(T *r, const T *a, const T *b, size_t n) {
    lanes(StochasticOp::Add, r, a, b, b, n, [&](size_t i) { return exactAdd(a[i], b[i]); });
  }
  template <class T> static void v_sub(T *r, const T *a, const T *b, size_t n) {
    lanes(StochasticOp::Sub, r, a, b, b, n, [&](size_t i) { return exactSub(a[i], b[i]); });
  }
  template <class T> static void v_mul(T *r, const T *a, const T *b, size_t n) {
    lanes(StochasticOp::Mul, r, a, b, b, n, [&](size_t i) { return exactMul(a[i], b[i]); });
  }
  template <class T> static void v_div(T *r, const T *a, const T *b, size_t n) {
    lanes(StochasticOp::Div, r, a, b, b, n, [&](size_t i) { return exactDiv(a[i], b[i]); });
  }
  template <class T>
  static void v_fma(T *r, const T *a, const T *b, const T *c, size_t n) {
    lanes(StochasticOp::Fma, r, a, b, c, n,
          [&](size_t i) { return exactFma(a[i], b[i], c[i]); });
  }
  template <class T> static void v_sqrt(T *r, const T *a, size_t n) {
    lanes(StochasticOp::Sqrt, r, a, a, a, n, [&](size_t i) { return exactSqrt(a[i]); });
  }
  // double -> float stays scalar (mixed widths; rare in hot loops).
  static void v_trunc(float *r, const double *a, size_t n) {
    for (size_t i = 0; i < n; i++)
      r[i] = trunc(a[i]);
  }

  static int init(const prism_host *h, const prism_config *cfg, char *,
                  size_t) {
    host = h;
    f32 = virtualFormat<float>(cfg->precision_binary32);
    f64 = virtualFormat<double>(cfg->precision_binary64);
    full32 = cfg->precision_binary32 == 24;
    full64 = cfg->precision_binary64 == 53;
    return 0;
  }

  static constexpr prism_backend table(const char *name) {
    return BackendTable<VirtualPrecisionBackend>::make(name, init);
  }
};

} // namespace prism

// Defines the exported entry point of a backend library.
#define PRISM_DEFINE_BACKEND_ENTRY(table_expr)                                 \
  extern "C" __attribute__((visibility("default"))) const prism_backend *      \
  prism_backend_entry(void) {                                                  \
    static constexpr prism_backend kTable = table_expr;                        \
    return &kTable;                                                            \
  }
