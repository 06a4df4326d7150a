// gen.h - reproducible random operands for the rounding-core sweeps: values
// across the whole range (subnormals included), short significands (exact
// results and exact midpoints on short grids), neighbours of powers of two,
// cancellation, and operand pairs aimed at a chosen result exponent so that
// results land near a format's emin, inside its subnormal range, near its
// emax, far below it (underflow) or above the storage range (overflow).
#pragma once

#include "mpfr_oracle.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>

namespace prism_test {

class Gen {
public:
  explicit Gen(uint64_t seed) : rng_(seed) {}

  uint64_t bits() { return rng_(); }
  int uniform(int lo, int hi) { // inclusive
    return lo + static_cast<int>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool coin(int oneIn = 2) { return rng_() % static_cast<uint64_t>(oneIn) == 0; }
  double unit() { return static_cast<double>(rng_() >> 11) * 0x1p-53; }

  // A random finite T from uniformly random bits (subnormals included).
  template <class T> T anyFinite() {
    for (;;) {
      T v;
      if constexpr (sizeof(T) == 4) {
        uint32_t b = static_cast<uint32_t>(rng_());
        std::memcpy(&v, &b, 4);
      } else {
        uint64_t b = rng_();
        std::memcpy(&v, &b, 8);
      }
      if (std::isfinite(v))
        return v;
    }
  }

  // A significand in [1, 2) of one of several shapes.
  template <class T> T significand() {
    constexpr int d = Storage<T>::digits;
    switch (uniform(0, 5)) {
    case 0: { // few bits: exact results, midpoints of short grids
      int k = uniform(1, 12);
      uint64_t m = (uint64_t{1} << (k - 1)) | (rng_() & ((uint64_t{1} << (k - 1)) - 1));
      return static_cast<T>(std::ldexp(static_cast<double>(m), 1 - k));
    }
    case 1: { // next to 1 or 2
      int j = uniform(0, 3);
      return coin() ? T(1) + T(j) * std::numeric_limits<T>::epsilon()
                    : T(2) - T(j + 1) * std::numeric_limits<T>::epsilon() / 2;
    }
    case 2: { // p+1 bits for a random p: a midpoint on a p-bit grid
      int k = uniform(2, d);
      uint64_t m = (uint64_t{1} << (k - 1)) | (rng_() & ((uint64_t{1} << (k - 1)) - 1)) | 1;
      return static_cast<T>(std::ldexp(static_cast<double>(m), 1 - k));
    }
    default: { // all digits random
      uint64_t m = (uint64_t{1} << (d - 1)) | (rng_() & ((uint64_t{1} << (d - 1)) - 1));
      return static_cast<T>(std::ldexp(static_cast<double>(m), 1 - d));
    }
    }
  }

  // A random-signed T with |v| in [2^e, 2^(e+1)) as far as T allows (clamped
  // to the storage range; below it, a subnormal or the smallest subnormal).
  template <class T> T withExponent(int e) {
    e = std::clamp(e, Storage<T>::minSubExp, Storage<T>::emax);
    T v = std::ldexp(significand<T>(), e);
    if (v == 0 || !std::isfinite(v))
      v = std::ldexp(T(1), e);
    return coin() ? -v : v;
  }

  // Result exponents worth testing for format f.
  template <class T> int targetExponent(const FormatSpec &f) {
    constexpr int lo = Storage<T>::minSubExp, hi = Storage<T>::emax;
    switch (uniform(0, 7)) {
    case 0: return uniform(lo - 2, hi + 2);                  // anywhere
    case 1: return uniform(-6, 6);                           // ordinary
    case 2: return uniform(f.emin - f.precision - 3, f.emin + 2); // subnormal range
    case 3: return uniform(f.emin - 2, f.emin + 1);          // around 2^emin
    case 4: return uniform(f.emax - 1, f.emax + 2);          // around the top
    case 5: return uniform(hi - 2, hi + 2);                  // storage overflow
    case 6: return uniform(2 * lo, lo + 4);                  // deep underflow
    default: return uniform(f.emin - 2 * f.precision - 8, f.emin - f.precision - 1);
    }
  }

  // Operands of op whose exact result has exponent about e.
  template <class T> Inputs operands(Op op, int e) {
    constexpr int d = Storage<T>::digits;
    Inputs in;
    switch (op) {
    case Op::Add:
    case Op::Sub: {
      T a = withExponent<T>(e);
      T b;
      switch (uniform(0, 4)) {
      case 0: b = withExponent<T>(e - uniform(-2, d + 3)); break;
      case 1: b = withExponent<T>(e - uniform(d, 2 * d + 8)); break;
      case 2: b = withExponent<T>(e - uniform(0, 3000)); break;
      case 3: { // cancellation: b within a few ulps of +-a
        b = a;
        for (int k = uniform(0, 4); k > 0; --k)
          b = std::nextafter(b, coin() ? std::numeric_limits<T>::infinity()
                                        : -std::numeric_limits<T>::infinity());
        if (coin())
          b = -b;
        break;
      }
      default: b = anyFinite<T>(); break;
      }
      if (coin())
        std::swap(a, b);
      in = {a, b, 0};
      break;
    }
    case Op::Mul: {
      int e1 = uniform(e / 2 - 40, e / 2 + 40);
      in = {withExponent<T>(e1), withExponent<T>(e - e1), 0};
      break;
    }
    case Op::Div: {
      int e1 = uniform(-60, 60);
      if (coin(4))
        e1 = e < 0 ? uniform(Storage<T>::emax - 8, Storage<T>::emax)
                   : uniform(Storage<T>::minSubExp, Storage<T>::minSubExp + 8);
      in = {withExponent<T>(e + e1), withExponent<T>(e1), 0};
      break;
    }
    case Op::Fma: {
      int ep = e, ec = e;
      switch (uniform(0, 4)) {
      case 0: ec = e - uniform(-3, d + 3); break;          // overlapping
      case 1: ec = e - uniform(2 * d, 2 * d + 10); break;   // around kGap
      case 2: ep = e - uniform(2 * d, 2 * d + 10); break;   // product tiny
      case 3: ec = e - uniform(0, 400); ep = e - uniform(0, 400); break;
      default: break;
      }
      int e1 = uniform(ep / 2 - 30, ep / 2 + 30);
      T a = withExponent<T>(e1), b = withExponent<T>(ep - e1);
      T c = withExponent<T>(ec);
      if (coin(5)) // massive cancellation: c = -RN(a*b) (+ a few ulps)
        c = -(a * b);
      if (!std::isfinite(c) || c == 0)
        c = withExponent<T>(ec);
      in = {a, b, c};
      break;
    }
    case Op::Sqrt:
      in = {std::fabs(withExponent<T>(2 * e + uniform(0, 1))), 0, 0};
      break;
    case Op::Trunc: {
      // A double whose float-relative position is interesting: random bits,
      // 25..30-bit significands (midpoints of the float grids), or anything.
      double v = withExponent<double>(e);
      if (coin(3)) {
        int k = uniform(2, 30);
        uint64_t m = (uint64_t{1} << (k - 1)) | (rng_() & ((uint64_t{1} << (k - 1)) - 1)) | 1;
        v = std::ldexp(static_cast<double>(m), e - k + 1);
        if (v == 0 || !std::isfinite(v))
          v = std::ldexp(1.0, std::clamp(e, -1074, 1023));
        if (coin())
          v = -v;
      }
      in = {v, 0, 0};
      break;
    }
    }
    return in;
  }

private:
  std::mt19937_64 rng_;
};

// Formats of the sweeps: virtual precisions on the storage range and small
// formats stored in T, each with subnormals on and off.
template <class T> std::vector<FormatSpec> sweepFormats() {
  std::vector<FormatSpec> base;
  for (int t : std::is_same_v<T, float> ? std::vector<int>{1, 2, 5, 11, 23, 24}
                                        : std::vector<int>{1, 2, 5, 11, 24, 52, 53})
    base.push_back(prism::virtualFormat<T>(t));
  base.push_back({11, -14, 15, true});  // binary16
  base.push_back({8, -126, 127, true}); // bfloat16
  base.push_back({11, -126, 127, true}); // tf32
  base.push_back({3, -14, 15, true});   // e5m2
  base.push_back({4, -6, 8, true});     // e4m3
  base.push_back({2, 0, 2, true});      // e2m1
  if (std::is_same_v<T, double>)
    base.push_back({24, -126, 127, true}); // binary32 on double storage
  std::vector<FormatSpec> all;
  for (FormatSpec f : base) {
    all.push_back(f);
    f.subnormals = false;
    all.push_back(f);
  }
  return all;
}

} // namespace prism_test
