// round_core.h - the one rounding core shared by every backend: rounds an
// exact value (exact.h) once onto a FormatSpec grid with any RoundingMode.
#pragma once

#include "exact.h"
#include "format_spec.h"
#include "prism/rng.h"

#include <cmath>
#include <cstdint>

namespace prism {

namespace detail {

// Sign of (a - b + sticky*eps): exact comparison, the sticky breaks ties.
template <class T> inline int compareWithSticky(T a, T b, int sticky) {
  if (a != b)
    return a > b ? 1 : -1;
  return sticky;
}

template <class T> inline bool isPowerOfTwo(T v) {
  int e;
  return std::frexp(std::fabs(v), &e) == T(0.5);
}

} // namespace detail

// Where the exact value lies on the grid: RD index n, the fraction of the gap
// above RD (for sr), and its position against the midpoint.
template <class T> struct GridPosition {
  T n;          // RD(x) = n * 2^q
  int q;        // unscaled exponent of the grid spacing
  double frac;  // (x - RD) / (RU - RD), in [0, 1)
  int vsHalf;   // sign of frac - 1/2, exact
  bool exact;
};

template <class T>
inline GridPosition<T> locate(const ExactValue<T> &x, const FormatSpec &f) {
  using detail::compareWithSticky;
  int below = signOf(x.lo) != 0 ? signOf(x.lo) : x.sticky;
  int e = std::ilogb(x.hi) - x.scale;
  // RN may have carried x up to a power of two: x then lies one binade lower.
  if (below * signOf(x.hi) < 0 && detail::isPowerOfTwo(x.hi))
    --e;
  int q = e >= f.emin ? e - f.precision + 1
                      : (f.subnormals ? f.emin - f.precision + 1 : f.emin);
  if (e < q - 1) {
    // |x| < half a spacing: scaling could underflow; RD is 0 or -1 spacing.
    const bool neg = x.hi < 0;
    const double r =
        std::ldexp(std::fabs(static_cast<double>(x.hi)), -(q + x.scale));
    return {neg ? T(-1) : T(0), q, neg ? 1.0 - r : r, neg ? 1 : -1, false};
  }
  int qs = q + x.scale;
  T y = std::scalbn(x.hi, -qs); // exact: |y| < 2^p
  T l = std::scalbn(x.lo, -qs);
  // lo below T's range after scaling still tells on which side x lies.
  const int sticky = (l == 0 && x.lo != 0) ? signOf(x.lo) : x.sticky;
  T fl = std::floor(y);
  T fh = y - fl;
  GridPosition<T> g{fl, q, 0.0, -1, false};
  if (fh == 0 && l == 0 && sticky == 0) {
    g.exact = true;
  } else if (fh == 0 && below < 0) {
    g.n = fl - 1;
    g.frac = 1.0 + static_cast<double>(l);
    g.vsHalf = compareWithSticky(l, T(-0.5), sticky);
  } else if (fh == 0) {
    g.frac = static_cast<double>(l);
    g.vsHalf = compareWithSticky(l, T(0.5), sticky);
  } else {
    g.frac = static_cast<double>(fh) + static_cast<double>(l);
    g.vsHalf = compareWithSticky(fh - T(0.5), -l, sticky);
  }
  return g;
}

// True for the modes that draw a random number.
constexpr bool isStochastic(RoundingMode m) {
  return m == RoundingMode::SR || m == RoundingMode::SRUniform;
}

// Chooses RU (true) or RD for an inexact value; `draw` is the random word of
// a stochastic mode.
template <class T>
inline bool roundsUp(const GridPosition<T> &g, bool negative, RoundingMode m,
                     uint64_t draw) {
  // |n| < 2^p <= 2^53: the integer conversion is exact.
  auto odd = [&g] { return (static_cast<int64_t>(g.n) & 1) != 0; };
  switch (m) {
  case RoundingMode::RNE:
    return g.vsHalf > 0 || (g.vsHalf == 0 && odd());
  case RoundingMode::RNZ:
    return g.vsHalf > 0 || (g.vsHalf == 0 && negative);
  case RoundingMode::RNA:
    return g.vsHalf > 0 || (g.vsHalf == 0 && !negative);
  case RoundingMode::RU:
    return true;
  case RoundingMode::RD:
    return false;
  case RoundingMode::RZ:
    return negative;
  case RoundingMode::RO:
    return !odd();
  case RoundingMode::SR:
    return static_cast<double>(draw >> 11) * 0x1.0p-53 < g.frac;
  case RoundingMode::SRUniform:
    return (draw >> 63) != 0;
  }
  return false;
}

// Rounds x once onto f's grid (exponent unbounded above: the storage type
// overflows to inf as IEEE does). NaN and inf pass through. Stochastic modes
// draw exactly one number per call, exact or not, so that the stream does not
// depend on the values (e.g. a vector's unused padding lanes).
template <class T>
inline T roundExactWithDraw(const ExactValue<T> &x, const FormatSpec &f,
                            RoundingMode m, uint64_t draw) {
  if (x.hi == 0 && x.lo == 0 && x.sticky == 0)
    return (m == RoundingMode::RD && x.zeroSumOfOpposites) ? -T(0) : x.hi;
  if (!std::isfinite(x.hi))
    return x.hi;
  GridPosition<T> g = locate(x, f);
  T n = g.n;
  if (!g.exact && roundsUp(g, std::signbit(x.hi), m, draw))
    n += 1;
  if (n == 0)
    return std::copysign(T(0), x.hi);
  return std::scalbn(n, g.q);
}

template <class T>
inline T roundExact(const ExactValue<T> &x, const FormatSpec &f,
                    RoundingMode m, uint64_t *rng) {
  return roundExactWithDraw(x, f, m, isStochastic(m) ? prism_rng_next(rng) : 0);
}

} // namespace prism
