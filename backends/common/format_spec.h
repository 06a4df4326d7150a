// format_spec.h - the grid a result is rounded to, and how.
#pragma once

#include <limits>

namespace prism {

enum class RoundingMode {
  RNE,       // nearest, ties to even
  RU,        // toward +inf
  RD,        // toward -inf
  RZ,        // toward zero
  SR,        // up with probability proportional to the distance from RD
  SRUniform, // up or down with probability 1/2 each (inexact results only)
  RNZ,       // nearest, ties toward zero
  RNA,       // nearest, ties away from zero
  RO         // to odd: inexact results take the neighbour whose last bit is 1
};

// An IEEE-like binary format: precision p counts the hidden bit; emin is the
// exponent of the smallest normal. The exponent is unbounded above here;
// overflow rules belong to the backend that knows its target.
struct FormatSpec {
  int precision;
  int emin;
  int emax;
  bool subnormals = true;
};

// The storage type's own exponent range with a virtual precision t.
template <class T> constexpr FormatSpec virtualFormat(int t) {
  return {t, std::numeric_limits<T>::min_exponent - 1,
          std::numeric_limits<T>::max_exponent - 1, true};
}

} // namespace prism
