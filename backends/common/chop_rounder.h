// chop_rounder.h - rounding an exact result to a chop target format: the
// grid (round_core.h), then the target's range, specials and soft errors.
// Shared by the chop backend and the bulk API; a plain value type so that
// tests and threads can hold their own.
#pragma once

#include "format_table.h"
#include "round_core.h"

#include <cstdint>
#include <limits>

namespace prism {

struct ChopRounder {
  ChopFormat fmt{};
  RoundingMode mode = RoundingMode::RNE;
  bool saturate = false;
  double flip_prob = 0;

  bool overflowsToMax(bool negative) const {
    switch (mode) {
    case RoundingMode::RZ:
    case RoundingMode::RO:
      return true;
    case RoundingMode::RU:
      return negative;
    case RoundingMode::RD:
      return !negative;
    default:
      return false;
    }
  }

  template <class T> static T infinity(bool negative) {
    T inf = std::numeric_limits<T>::infinity();
    return negative ? -inf : inf;
  }

  // Applies the target's range to an unbounded-exponent rounding r of x.
  template <class T> T clampRange(T r, bool exactIsInf) const {
    bool neg = std::signbit(r);
    T xmax = static_cast<T>(fmt.xmax);
    if (fmt.fixed) {
      if (r > xmax)
        return xmax;
      return r < static_cast<T>(fmt.fixed_min) ? static_cast<T>(fmt.fixed_min)
                                               : r;
    }
    if (!(std::fabs(r) > xmax))
      return r;
    bool toMax = saturate || fmt.specials == SpecialValues::None ||
                 (!exactIsInf && overflowsToMax(neg));
    if (toMax)
      return neg ? -xmax : xmax;
    if (fmt.specials == SpecialValues::NanOnly)
      return std::numeric_limits<T>::quiet_NaN();
    return infinity<T>(neg);
  }

  // Flips one uniformly chosen bit of the stored fraction.
  template <class T> T flipBit(T r, uint64_t *rng) const {
    // Draw first: the number of draws must not depend on the values.
    uint64_t draw = prism_rng_next(rng);
    if (fmt.fraction_bits <= 0 || !std::isfinite(r))
      return r;
    int k = static_cast<int>(draw % fmt.fraction_bits);
    if (fmt.fixed) {
      int64_t n = static_cast<int64_t>(std::ldexp(r, fmt.fraction_bits));
      n ^= int64_t(1) << k;
      return static_cast<T>(std::ldexp(static_cast<double>(n), -fmt.fraction_bits));
    }
    int e = r == 0 ? fmt.grid.emin : std::ilogb(r);
    if (e < fmt.grid.emin)
      e = fmt.grid.emin;
    T bit = std::scalbn(T(1), e - fmt.grid.precision + 1 + k);
    T mag = std::fabs(r);
    bool set = std::fmod(std::floor(mag / bit), T(2)) != 0;
    T flipped = set ? mag - bit : mag + bit;
    if (fmt.specials == SpecialValues::NanOnly && flipped > T(fmt.xmax))
      return std::numeric_limits<T>::quiet_NaN(); // e4m3's NaN encoding
    return std::copysign(flipped, r);
  }

  // The exact value x rounded to the target, then stored in T. The caller
  // ensures that T holds every value of the format (the chop backend stops a
  // program whose float operations meet a wider format; the bulk API refuses
  // it).
  template <class T> T round(const ExactValue<T> &x, uint64_t *rng) const {
    // Fixed point's uniform grid lies wholly below 2^emin = 2^I of its
    // IEEE-like encoding: it has no subnormals that PRISM_SUBNORMALS=off
    // could flush.
    FormatSpec grid = fmt.grid;
    if (fmt.fixed)
      grid.subnormals = true;
    T r = clampRange(roundExact(x, grid, mode, rng), std::isinf(x.hi));
    if (flip_prob > 0 && prism_rng_uniform(rng) < flip_prob) {
      // inf and NaN have no fraction to flip: an exact infinity must not be
      // taken for a finite overflow by a second clampRange.
      T flipped = flipBit(r, rng);
      if (std::isfinite(r))
        r = clampRange(flipped, false);
    }
    return r;
  }
};

} // namespace prism
