// native_ops.cpp - the built-in IEEE round-to-nearest table, used before the
// backend is loaded and by threads inside prism_disable().
#include "runtime.h"

#include <cmath>

namespace prism {
namespace {

#define PRISM_NATIVE_BINARY(op, expr)                                          \
  template <class T> T op##S(T a, T b) { return expr; }                        \
  template <class T> void op##V(T *r, const T *a, const T *b, size_t n) {      \
    for (size_t i = 0; i < n; i++)                                             \
      r[i] = op##S(a[i], b[i]);                                                \
  }
PRISM_NATIVE_BINARY(add, a + b)
PRISM_NATIVE_BINARY(sub, a - b)
PRISM_NATIVE_BINARY(mul, a *b)
PRISM_NATIVE_BINARY(div, a / b)
#undef PRISM_NATIVE_BINARY

template <class T> T fmaS(T a, T b, T c) { return std::fma(a, b, c); }
template <class T>
void fmaV(T *r, const T *a, const T *b, const T *c, size_t n) {
  for (size_t i = 0; i < n; i++)
    r[i] = std::fma(a[i], b[i], c[i]);
}
template <class T> T sqrtS(T a) { return std::sqrt(a); }
template <class T> void sqrtV(T *r, const T *a, size_t n) {
  for (size_t i = 0; i < n; i++)
    r[i] = std::sqrt(a[i]);
}
float truncS(double a) { return static_cast<float>(a); }
void truncV(float *r, const double *a, size_t n) {
  for (size_t i = 0; i < n; i++)
    r[i] = static_cast<float>(a[i]);
}

int initNothing(const prism_host *, const prism_config *, char *, size_t) {
  return 0;
}

} // namespace

const prism_backend kNativeOps = {
    PRISM_BACKEND_ABI_VERSION, sizeof(prism_backend), "ieee", initNothing,
#define PRISM_FILL(op) op##S<float>, op##S<double>, op##V<float>, op##V<double>,
    PRISM_BINARY_OPS(PRISM_FILL)
#undef PRISM_FILL
    fmaS<float>, fmaS<double>, fmaV<float>, fmaV<double>,
    sqrtS<float>, sqrtS<double>, sqrtV<float>, sqrtV<double>,
    truncS, truncV};

} // namespace prism
