// stochastic_fast.h - sr and ud at full precision without the general core:
// the RN result s, the sign and size of the error from an error-free
// transform, and the neighbour of s one bit away. Operands whose transforms
// could under- or overflow take the exact core (round_core.h) with the same
// random draw, so every element consumes exactly one draw either way.
#pragma once

#include "round_core.h"

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace prism {

template <class T> struct FloatTraits;
template <> struct FloatTraits<float> {
  using Bits = uint32_t;
  static constexpr int kUniformBits = 24;
};
template <> struct FloatTraits<double> {
  using Bits = uint64_t;
  static constexpr int kUniformBits = 53;
};

// Uniform in [0, 1) with the type's precision, from the top bits of a draw.
template <class T> inline T uniformOf(uint64_t draw) {
  constexpr int kBits = FloatTraits<T>::kUniformBits;
  return static_cast<T>(draw >> (64 - kBits)) * std::ldexp(T(1), -kBits);
}

// Magnitudes at which every error-free transform below is exact: far enough
// above the subnormals (2p+2 binades) and one binade below overflow.
template <class T> struct SafeRange {
  static constexpr unsigned kP = std::numeric_limits<T>::digits;
  static constexpr T kLow = std::numeric_limits<T>::min() *
                            T(1ull << (kP + 1)) * T(1ull << (kP + 1));
  static constexpr T kHigh = std::numeric_limits<T>::max() / 2;
  static bool holds(T v) {
    T m = std::fabs(v);
    return m >= kLow && m <= kHigh;
  }
};
static_assert(SafeRange<double>::kLow == 0x1p-914);
static_assert(SafeRange<float>::kLow == 0x1p-76f);

// Picks s or its neighbour on the error's side. The exact result is
// s + err with |err| = errAbs / scale (scale > 0, up to rounding for
// div/sqrt); errAbs == 0 means exact. sr: up with probability |err|/gap.
template <class T, RoundingMode M>
inline T chooseNeighbour(T s, bool errPositive, T errAbs, T scale,
                         uint64_t draw) {
  using Bits = typename FloatTraits<T>::Bits;
  Bits sb = std::bit_cast<Bits>(s);
  // Away from zero when the error has the sign of s.
  Bits nb = errPositive == !std::signbit(s) ? sb + 1 : sb - 1;
  T n = std::bit_cast<T>(nb);
  bool up;
  if constexpr (M == RoundingMode::SR)
    up = errAbs > uniformOf<T>(draw) * std::fabs(n - s) * scale;
  else
    up = errAbs != 0 && (draw >> 63) != 0;
  return up ? n : s;
}

// sr / ud at full precision; `exact` is the general path for the rest.
template <class T, RoundingMode M> struct StochasticFast {
  static T exact(const ExactValue<T> &x, uint64_t draw) {
    return roundExactWithDraw(x, virtualFormat<T>(std::numeric_limits<T>::digits),
                              M, draw);
  }

  static T add(T a, T b, uint64_t draw) {
    T s = a + b;
    T bb = s - a;
    T err = (a - (s - bb)) + (b - bb); // TwoSum: exact, subnormals included
    // inf, NaN, near overflow; near underflow u * gap would round (exact
    // sums there are fine).
    if (!SafeRange<T>::holds(s) && !(err == 0))
      return exact(exactAdd(a, b), draw);
    return chooseNeighbour<T, M>(s, err > 0, std::fabs(err), T(1), draw);
  }

  static T mul(T a, T b, uint64_t draw) {
    T s = a * b;
    if (!SafeRange<T>::holds(s)) {
      if (s == 0 && (a == 0 || b == 0))
        return s;
      return exact(exactMul(a, b), draw);
    }
    T err = std::fma(a, b, -s);
    return chooseNeighbour<T, M>(s, err > 0, std::fabs(err), T(1), draw);
  }

  static T div(T a, T b, uint64_t draw) {
    T s = a / b;
    if (!SafeRange<T>::holds(s) || !SafeRange<T>::holds(a) ||
        !SafeRange<T>::holds(b)) {
      if (a == 0 && b != 0 && !std::isnan(b))
        return s;
      return exact(exactDiv(a, b), draw);
    }
    T r = std::fma(-s, b, a); // exact remainder: x - s = r / b
    return chooseNeighbour<T, M>(s, (r > 0) == (b > 0), std::fabs(r),
                                 std::fabs(b), draw);
  }

  static T sqrt(T a, uint64_t draw) {
    T s = std::sqrt(a);
    if (!SafeRange<T>::holds(a)) {
      if (a == 0 || std::isnan(a) || a < 0 || std::isinf(a))
        return s;
      return exact(exactSqrt(a), draw);
    }
    T r = std::fma(-s, s, a); // exact: x - s ~ r / (2s)
    return chooseNeighbour<T, M>(s, r > 0, std::fabs(r), 2 * s, draw);
  }

  static T fma(T a, T b, T c, uint64_t draw) {
    T s = std::fma(a, b, c);
    T p = a * b;
    if (!SafeRange<T>::holds(s) || !SafeRange<T>::holds(p) ||
        !SafeRange<T>::holds(c))
      return exact(exactFma(a, b, c), draw);
    // ErrFma (Boldo & Muller): x = s + r2 + r3 exactly; RN(r2 + r3) keeps the
    // sign of the error.
    T p2 = std::fma(a, b, -p);
    ExactValue<T> alpha = twoSum(c, p2, 0);
    ExactValue<T> beta = twoSum(p, alpha.hi, 0);
    T gamma = (beta.hi - s) + beta.lo;
    T err = gamma + alpha.lo;
    err += alpha.lo - (err - gamma);
    return chooseNeighbour<T, M>(s, err > 0, std::fabs(err), T(1), draw);
  }

  static float trunc(double d, uint64_t draw) {
    float s = static_cast<float>(d);
    if (!SafeRange<float>::holds(s)) {
      if (d == 0 || std::isnan(d))
        return s;
      return StochasticFast<float, M>::exact(exactTrunc(d), draw);
    }
    double err = d - static_cast<double>(s); // exact
    using Bits = FloatTraits<float>::Bits;
    Bits sb = std::bit_cast<Bits>(s);
    Bits nb = (err > 0) == !std::signbit(s) ? sb + 1 : sb - 1;
    float n = std::bit_cast<float>(nb);
    bool up;
    if constexpr (M == RoundingMode::SR)
      up = std::fabs(err) > uniformOf<double>(draw) *
                                static_cast<double>(std::fabs(n - s));
    else
      up = err != 0 && (draw >> 63) != 0;
    return up ? n : s;
  }
};

} // namespace prism
