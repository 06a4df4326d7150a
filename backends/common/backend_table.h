// backend_table.h - builds a prism_backend operation table from a rounding
// policy, so each backend only says how an exact result is rounded.
//
// A Policy provides `template <class T> static T round(const ExactValue<T>&)`.
#pragma once

#include "exact.h"
#include "prism/backend.h"

#include <cstddef>

namespace prism {

// A Policy may also provide any of add/sub/mul/div/fma/sqrt/trunc itself
// (a faster path); the table then uses it.
template <class Policy> struct BackendTable {
  template <class T> static T add(T a, T b) {
    if constexpr (requires { Policy::add(a, b); })
      return Policy::add(a, b);
    else
      return Policy::round(exactAdd(a, b));
  }
  template <class T> static T sub(T a, T b) {
    if constexpr (requires { Policy::add(a, b); })
      return Policy::add(a, -b);
    else
      return Policy::round(exactSub(a, b));
  }
  template <class T> static T mul(T a, T b) {
    if constexpr (requires { Policy::mul(a, b); })
      return Policy::mul(a, b);
    else
      return Policy::round(exactMul(a, b));
  }
  template <class T> static T div(T a, T b) {
    if constexpr (requires { Policy::div(a, b); })
      return Policy::div(a, b);
    else
      return Policy::round(exactDiv(a, b));
  }
  template <class T> static T fma(T a, T b, T c) {
    if constexpr (requires { Policy::fma(a, b, c); })
      return Policy::fma(a, b, c);
    else
      return Policy::round(exactFma(a, b, c));
  }
  template <class T> static T sqrt(T a) {
    if constexpr (requires { Policy::sqrt(a); })
      return Policy::sqrt(a);
    else
      return Policy::round(exactSqrt(a));
  }
  static float trunc(double a) {
    if constexpr (requires { Policy::trunc(a); })
      return Policy::trunc(a);
    else
      return Policy::round(exactTrunc(a));
  }

  // Vector entry points: the policy's own when it has them, otherwise lane
  // by lane through the scalar operations.
#define PRISM_TABLE_VECTOR(op)                                                 \
  template <class T> static void v_##op(T *r, const T *a, const T *b, size_t n) { \
    if constexpr (requires { Policy::v_##op(r, a, b, n); })                    \
      Policy::v_##op(r, a, b, n);                                              \
    else                                                                       \
      for (size_t i = 0; i < n; i++)                                           \
        r[i] = op(a[i], b[i]);                                                 \
  }
  PRISM_BINARY_OPS(PRISM_TABLE_VECTOR)
#undef PRISM_TABLE_VECTOR
  template <class T>
  static void v_fma(T *r, const T *a, const T *b, const T *c, size_t n) {
    if constexpr (requires { Policy::v_fma(r, a, b, c, n); })
      Policy::v_fma(r, a, b, c, n);
    else
      for (size_t i = 0; i < n; i++)
        r[i] = fma(a[i], b[i], c[i]);
  }
  template <class T> static void v_sqrt(T *r, const T *a, size_t n) {
    if constexpr (requires { Policy::v_sqrt(r, a, n); })
      Policy::v_sqrt(r, a, n);
    else
      for (size_t i = 0; i < n; i++)
        r[i] = sqrt(a[i]);
  }
  static void v_trunc(float *r, const double *a, size_t n) {
    if constexpr (requires { Policy::v_trunc(r, a, n); })
      Policy::v_trunc(r, a, n);
    else
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
