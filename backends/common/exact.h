// exact.h - error-free transforms: each operation's EXACT result as an
// unevaluated sum, never recomputed in higher precision.
//
// x = (hi + lo + sticky*eps) * 2^-scale, where hi = RN(x * 2^scale), lo is
// the rounding error (exact for add/mul/fma/trunc; sign-exact and accurate to
// a few ulps of lo for div/sqrt), and sticky (-1, 0, +1) carries the sign of
// anything below lo's resolution. Operands are scaled by powers of two so that
// no intermediate under- or overflows; specials come back with lo = 0.
#pragma once

#include <cmath>

namespace prism {

template <class T> struct ExactValue {
  T hi;
  T lo;
  int scale;
  int sticky;
  // An exact zero sum of terms of opposite signs (x - x, (+0) + (-0), a*b - c
  // with a*b = c): IEEE 754 gives it the sign -0 under roundTowardNegative.
  bool zeroSumOfOpposites = false;
};

template <class T> constexpr int kPrecision = std::numeric_limits<T>::digits;

template <class T> inline int signOf(T v) { return (v > 0) - (v < 0); }

template <class T> inline ExactValue<T> twoSum(T a, T b, int scale) {
  T s = a + b;
  T bb = s - a;
  T err = (a - (s - bb)) + (b - bb);
  return {s, err, scale, 0};
}

template <class T> inline ExactValue<T> exactAdd(T a, T b) {
  T s = a + b;
  if (s == 0 && std::signbit(a) != std::signbit(b))
    return {s, 0, 0, 0, true};
  if (std::isfinite(s))
    return twoSum(a, b, 0);
  if (std::isinf(s) && std::isfinite(a) && std::isfinite(b))
    return twoSum(a * T(0.5), b * T(0.5), -1); // overflowed: halve, exactly
  return {s, 0, 0, 0};
}

template <class T> inline ExactValue<T> exactSub(T a, T b) {
  return exactAdd(a, -b);
}

template <class T> inline bool isOrdinary(T v) {
  return std::isfinite(v) && v != 0;
}

template <class T> inline ExactValue<T> exactMul(T a, T b) {
  if (!isOrdinary(a) || !isOrdinary(b))
    return {a * b, 0, 0, 0};
  int ka = -std::ilogb(a), kb = -std::ilogb(b);
  T as = std::scalbn(a, ka), bs = std::scalbn(b, kb);
  T hi = as * bs;
  return {hi, std::fma(as, bs, -hi), ka + kb, 0};
}

template <class T> inline ExactValue<T> exactDiv(T a, T b) {
  if (!isOrdinary(a) || !isOrdinary(b))
    return {a / b, 0, 0, 0};
  int ka = -std::ilogb(a), kb = -std::ilogb(b);
  T as = std::scalbn(a, ka), bs = std::scalbn(b, kb);
  T hi = as / bs;
  T r = std::fma(-hi, bs, as); // exact remainder
  T lo = r / bs;
  // The quotient is never a midpoint; the residual's sign tells on which side
  // of lo the exact error lies.
  return {hi, lo, ka - kb, signOf(std::fma(-lo, bs, r)) * signOf(bs)};
}

template <class T> inline ExactValue<T> exactSqrt(T a) {
  if (!isOrdinary(a) || a < 0)
    return {std::sqrt(a), 0, 0, 0};
  int k = std::ilogb(a) >> 1;
  T as = std::scalbn(a, -2 * k); // in [1, 4)
  T hi = std::sqrt(as);
  T r = std::fma(-hi, hi, as); // exact remainder
  T lo = r / (2 * hi);
  // (hi + lo_true)^2 = as: the sign of as - (hi + lo)^2 is that of lo_true-lo.
  T res = std::fma(-lo, lo, std::fma(-2 * hi, lo, r));
  return {hi, lo, -k, r == 0 ? 0 : signOf(res)};
}

// ErrFma (Boldo & Muller 2011) on operands scaled near 1; a term more than
// 2p+4 binades below the other only contributes its sign (sticky).
template <class T> inline ExactValue<T> exactFma(T a, T b, T c) {
  if (!isOrdinary(a) || !isOrdinary(b) || !std::isfinite(c)) {
    T r = std::fma(a, b, c);
    return {r, 0, 0, 0, r == 0 && std::signbit(a * b) != std::signbit(c)};
  }
  if (c == 0)
    return exactMul(a, b);
  constexpr int kGap = 2 * kPrecision<T> + 4;
  int ea = std::ilogb(a), eb = std::ilogb(b), ec = std::ilogb(c);
  int ep = ea + eb;
  if (ec < ep - kGap) {
    ExactValue<T> p = exactMul(a, b);
    p.sticky = signOf(c);
    // a*b exactly halfway between two storage neighbours: c breaks the tie,
    // so represent x from the neighbour on c's side (lo then opposes c).
    if (p.lo != 0 && signOf(p.lo) == p.sticky) {
      T other = std::nextafter(p.hi, p.lo > 0 ? T(8) : T(-8)); // |hi| in [1,4)
      if (other - p.hi == 2 * p.lo) {
        p.hi = other;
        p.lo = -p.lo;
      }
    }
    return p;
  }
  if (ep < ec - kGap) {
    int k = -ec;
    return {std::scalbn(c, k), 0, k, signOf(a) * signOf(b)};
  }
  int m = ep > ec ? ep : ec;
  T as = std::scalbn(a, -ea + (ep - m)), bs = std::scalbn(b, -eb);
  T cs = std::scalbn(c, -m);
  T r1 = std::fma(as, bs, cs);
  T u1 = as * bs, u2 = std::fma(as, bs, -u1);  // TwoProd
  ExactValue<T> alpha = twoSum(cs, u2, 0);     // alpha1 + z
  ExactValue<T> beta = twoSum(u1, alpha.hi, 0); // beta1 + beta2
  T gamma = (beta.hi - r1) + beta.lo;
  T r2 = gamma + alpha.lo, r3 = alpha.lo - (r2 - gamma); // Fast2Sum
  ExactValue<T> err = twoSum(r2, r3, 0);
  return {r1, err.hi, -m, signOf(err.lo),
          r1 == 0 && err.hi == 0 && err.lo == 0};
}

// double -> float: the double is the exact value.
inline ExactValue<float> exactTrunc(double d) {
  if (!isOrdinary(d))
    return {static_cast<float>(d), 0, 0, 0};
  int k = -std::ilogb(d);
  double ds = std::scalbn(d, k); // in [1, 2)
  float hi = static_cast<float>(ds);
  double rem = ds - static_cast<double>(hi); // exact
  float lo = static_cast<float>(rem);
  return {hi, lo, k, signOf(rem - static_cast<double>(lo))};
}

} // namespace prism
