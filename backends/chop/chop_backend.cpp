// chop_backend.cpp - every operation's exact result rounded once to a target
// format (PRISM_FORMAT) with one of nine modes (PRISM_ROUNDING), then stored
// in the program's float/double. Overflow and soft errors follow SPEC.md.
#include "../common/backend_table.h"
#include "../common/format_table.h"
#include "../common/round_core.h"

#include <cstdio>
#include <string>

namespace prism {
namespace {

struct ChopBackend {
  static inline const prism_host *host = nullptr;
  static inline ChopFormat fmt{};
  static inline RoundingMode mode = RoundingMode::RNE;
  static inline bool saturate = false;
  static inline double flip_prob = 0;
  // A target wider than float leaves float operations IEEE binary32 (a second
  // rounding into float would make the emulation meaningless).
  static inline bool chop_float = true;

  static bool overflowsToMax(bool negative) {
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
  template <class T> static T clampRange(T r, bool exactIsInf) {
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
  template <class T> static T flipBit(T r, uint64_t *rng) {
    if (fmt.fraction_bits <= 0 || !std::isfinite(r))
      return r;
    int k = static_cast<int>(prism_rng_next(rng) % fmt.fraction_bits);
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

  template <class T> static T round(const ExactValue<T> &x) {
    if (sizeof(T) == 4 && !chop_float)
      return roundExact(x, virtualFormat<T>(24), RoundingMode::RNE, nullptr);
    if (std::isnan(x.hi))
      return x.hi;
    uint64_t *rng = host->thread_rng();
    T r = roundExact(x, fmt.grid, mode, rng);
    r = clampRange(r, std::isinf(x.hi));
    if (flip_prob > 0 && prism_rng_uniform(rng) < flip_prob)
      r = clampRange(flipBit(r, rng), false);
    return r;
  }

  static int init(const prism_host *h, const prism_config *cfg, char *err,
                  size_t len) {
    host = h;
    if (!cfg->format) {
      std::snprintf(err, len,
                    "PRISM_FORMAT is not set (accepted: binary16, bfloat16, "
                    "tf32, e4m3, e5m2, e3m2, e2m3, e2m1, binary32, binary64, "
                    "eXmY, fixed:I.F)");
      return 1;
    }
    auto f = parseChopFormat(cfg->format);
    if (!f) {
      std::snprintf(err, len, "invalid PRISM_FORMAT='%s'", cfg->format);
      return 1;
    }
    fmt = *f;
    fmt.grid.subnormals = cfg->subnormals != 0;
    mode = cfg->rounding ? *parseRoundingMode(cfg->rounding) : RoundingMode::RNE;
    saturate = cfg->overflow_saturate != 0;
    flip_prob = cfg->flip_prob;
    const FormatSpec f32 = virtualFormat<float>(24);
    chop_float = fmt.fixed ? fmt.grid.precision - 1 <= 24
                           : fmt.grid.precision <= f32.precision &&
                                 fmt.grid.emax <= f32.emax &&
                                 fmt.grid.emin >= f32.emin;
    if (fmt.fixed && fmt.grid.precision - 1 > 53) {
      std::snprintf(err, len,
                    "PRISM_FORMAT='%s' is wider than double (fixed point "
                    "needs I+F <= 53)",
                    cfg->format);
      return 1;
    }
    if (cfg->verbose)
      std::fprintf(stderr, "prism: chop format=%s rounding=%s subnormals=%s "
                           "overflow=%s flip_prob=%g%s\n",
                   cfg->format, cfg->rounding ? cfg->rounding : "rne",
                   fmt.grid.subnormals ? "on" : "off",
                   saturate ? "saturate" : "inf", flip_prob,
                   chop_float ? "" : " (wider than float: float ops stay binary32)");
    return 0;
  }
};

} // namespace
} // namespace prism

extern "C" __attribute__((visibility("default"))) const prism_backend *
prism_backend_entry(void) {
  static constexpr prism_backend kTable =
      prism::BackendTable<prism::ChopBackend>::make("chop",
                                                    prism::ChopBackend::init);
  return &kTable;
}
