// format_table.h - chop target formats by name (SPEC.md's format table), with
// their overflow behaviour.
#pragma once

#include "format_spec.h"

#include <cmath>
#include <optional>
#include <string>

namespace prism {

enum class SpecialValues {
  InfAndNan, // IEEE-like: overflow may give inf
  NanOnly,   // OCP e4m3: no infinity, an overflowing inf becomes NaN
  None       // MX e3m2/e2m3/e2m1, fixed point: always saturate
};

struct ChopFormat {
  FormatSpec grid;     // precision, emin, emax (subnormals set by the user)
  double xmax;         // largest finite magnitude
  SpecialValues specials;
  bool fixed = false;  // fixed:I.F — uniform grid, two's complement range
  double fixed_min = 0; // -2^(I-1) for fixed point
  int fraction_bits;   // stored fraction bits (p-1, or F for fixed point)
};

// Parses PRISM_FORMAT names; nullopt for unknown or out-of-range names.
inline std::optional<ChopFormat> parseChopFormat(const std::string &name) {
  auto ieee = [](int p, int emax) {
    ChopFormat f{{p, 1 - emax, emax, true}, 0, SpecialValues::InfAndNan,
                 false, 0, p - 1};
    f.xmax = std::ldexp(2.0 - std::ldexp(1.0, 1 - p), emax);
    return f;
  };
  auto noInf = [&](int p, int emin, int emax, double xmax, SpecialValues s) {
    ChopFormat f = ieee(p, emax);
    f.grid.emin = emin;
    f.xmax = xmax;
    f.specials = s;
    return f;
  };
  if (name == "binary16" || name == "fp16" || name == "half")
    return ieee(11, 15);
  if (name == "bfloat16" || name == "bf16")
    return ieee(8, 127);
  if (name == "tf32")
    return ieee(11, 127);
  if (name == "binary32" || name == "fp32" || name == "single")
    return ieee(24, 127);
  if (name == "binary64" || name == "fp64" || name == "double")
    return ieee(53, 1023);
  if (name == "e5m2")
    return ieee(3, 15);
  if (name == "e4m3")
    return noInf(4, -6, 8, 448.0, SpecialValues::NanOnly);
  if (name == "e3m2")
    return noInf(3, -2, 4, 28.0, SpecialValues::None);
  if (name == "e2m3")
    return noInf(4, 0, 2, 7.5, SpecialValues::None);
  if (name == "e2m1")
    return noInf(2, 0, 2, 6.0, SpecialValues::None);
  unsigned x, y, i, fr;
  char tail;
  if (std::sscanf(name.c_str(), "e%um%u%c", &x, &y, &tail) == 2) {
    if (x < 2 || x > 11 || y > 52)
      return std::nullopt;
    return ieee(static_cast<int>(y) + 1, (1 << (x - 1)) - 1);
  }
  if (std::sscanf(name.c_str(), "fixed:%u.%u%c", &i, &fr, &tail) == 2) {
    if (i < 1 || i + fr > 64)
      return std::nullopt;
    // A uniform grid of spacing 2^-F: every value lies below 2^emin, in the
    // "subnormal" range of a format with p = I+F+1 and emin = I.
    int I = static_cast<int>(i), F = static_cast<int>(fr);
    ChopFormat f{{I + F + 1, I, I, true}, 0, SpecialValues::None, true, 0, F};
    f.xmax = std::ldexp(1.0, I - 1) - std::ldexp(1.0, -F);
    f.fixed_min = -std::ldexp(1.0, I - 1);
    return f;
  }
  return std::nullopt;
}

inline std::optional<RoundingMode> parseRoundingMode(const std::string &s) {
  static const struct {
    const char *name;
    RoundingMode mode;
  } kModes[] = {{"rne", RoundingMode::RNE}, {"ru", RoundingMode::RU},
                {"rd", RoundingMode::RD},   {"rz", RoundingMode::RZ},
                {"sr", RoundingMode::SR},   {"sr-uniform", RoundingMode::SRUniform},
                {"rnz", RoundingMode::RNZ}, {"rna", RoundingMode::RNA},
                {"ro", RoundingMode::RO}};
  for (const auto &m : kModes)
    if (s == m.name)
      return m.mode;
  return std::nullopt;
}

} // namespace prism
