// backend_table.h - builds a prism_backend operation table from a rounding
// policy, so each backend only says how an exact result is rounded.
//
// A Policy provides `template <class T> static T round(const ExactValue<T>&)`.
#pragma once

#include "exact.h"
#include "prism/backend.h"

#include <cstddef>

namespace prism {

template <class Policy> struct BackendTable {
  template <class T> static T add(T a, T b) { return Policy::round(exactAdd(a, b)); }
  template <class T> static T sub(T a, T b) { return Policy::round(exactSub(a, b)); }
  template <class T> static T mul(T a, T b) { return Policy::round(exactMul(a, b)); }
  template <class T> static T div(T a, T b) { return Policy::round(exactDiv(a, b)); }
  template <class T> static T fma(T a, T b, T c) {
    return Policy::round(exactFma(a, b, c));
  }
  template <class T> static T sqrt(T a) { return Policy::round(exactSqrt(a)); }
  static float trunc(double a) { return Policy::round(exactTrunc(a)); }

  // Vector entry points: lane by lane through the scalar core.
#define PRISM_TABLE_VECTOR(op)                                                 \
  template <class T> static void v_##op(T *r, const T *a, const T *b, size_t n) { \
    for (size_t i = 0; i < n; i++)                                             \
      r[i] = op(a[i], b[i]);                                                   \
  }
  PRISM_BINARY_OPS(PRISM_TABLE_VECTOR)
#undef PRISM_TABLE_VECTOR
  template <class T>
  static void v_fma(T *r, const T *a, const T *b, const T *c, size_t n) {
    for (size_t i = 0; i < n; i++)
      r[i] = fma(a[i], b[i], c[i]);
  }
  template <class T> static void v_sqrt(T *r, const T *a, size_t n) {
    for (size_t i = 0; i < n; i++)
      r[i] = sqrt(a[i]);
  }
  static void v_trunc(float *r, const double *a, size_t n) {
    for (size_t i = 0; i < n; i++)
      r[i] = trunc(a[i]);
  }

  static constexpr prism_backend make(const char *name,
                                      decltype(prism_backend::init) init) {
    return {PRISM_BACKEND_ABI_VERSION, sizeof(prism_backend), name, init,
#define PRISM_TABLE_FILL(op) op<float>, op<double>, v_##op<float>, v_##op<double>,
            PRISM_BINARY_OPS(PRISM_TABLE_FILL)
#undef PRISM_TABLE_FILL
            fma<float>, fma<double>, v_fma<float>, v_fma<double>,
            sqrt<float>, sqrt<double>, v_sqrt<float>, v_sqrt<double>,
            trunc, v_trunc};
  }
};

} // namespace prism
