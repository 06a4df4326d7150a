// chop_backend.cpp - every operation's exact result rounded once to a target
// format (PRISM_FORMAT) with one of nine modes (PRISM_ROUNDING), then stored
// in the program's float/double. Overflow and soft errors follow SPEC.md.
#include "../common/backend_table.h"
#include "../common/chop_rounder.h"

#include <cstdio>

namespace prism {
namespace {

const prism_host *g_host = nullptr;
ChopRounder g_rounder;

struct ChopPolicy {
  template <class T> static T round(const ExactValue<T> &x) {
    return g_rounder.round(x, g_host->thread_rng());
  }
};

constexpr const char *kFormats =
    "binary16, bfloat16, tf32, e4m3, e5m2, e3m2, e2m3, e2m1, binary32, "
    "binary64, eXmY, fixed:I.F";

int init(const prism_host *host, const prism_config *cfg, char *err,
         size_t len) {
  g_host = host;
  if (!cfg->format) {
    std::snprintf(err, len, "PRISM_FORMAT is not set (accepted: %s)", kFormats);
    return 1;
  }
  auto f = parseChopFormat(cfg->format);
  if (!f) {
    std::snprintf(err, len, "invalid PRISM_FORMAT='%s' (accepted: %s)",
                  cfg->format, kFormats);
    return 1;
  }
  ChopRounder r;
  r.fmt = *f;
  r.fmt.grid.subnormals = cfg->subnormals != 0;
  r.mode = cfg->rounding ? *parseRoundingMode(cfg->rounding) : RoundingMode::RNE;
  r.saturate = cfg->overflow_saturate != 0;
  r.flip_prob = cfg->flip_prob;
  const FormatSpec f32 = virtualFormat<float>(24);
  r.chop_float = r.fmt.fixed ? r.fmt.grid.precision - 1 <= f32.precision
                             : r.fmt.grid.precision <= f32.precision &&
                                   r.fmt.grid.emax <= f32.emax &&
                                   r.fmt.grid.emin >= f32.emin;
  if (r.fmt.fixed && r.fmt.grid.precision - 1 > 53) {
    std::snprintf(err, len,
                  "PRISM_FORMAT='%s' is wider than double (fixed point needs "
                  "I+F <= 53)",
                  cfg->format);
    return 1;
  }
  if (cfg->verbose)
    std::fprintf(stderr,
                 "prism: chop format=%s rounding=%s subnormals=%s "
                 "overflow=%s flip_prob=%g%s\n",
                 cfg->format, cfg->rounding ? cfg->rounding : "rne",
                 r.fmt.grid.subnormals ? "on" : "off",
                 r.saturate ? "saturate" : "inf", r.flip_prob,
                 r.chop_float ? "" : " (wider than float: float ops stay binary32)");
  g_rounder = r;
  return 0;
}

} // namespace
} // namespace prism

extern "C" __attribute__((visibility("default"))) const prism_backend *
prism_backend_entry(void) {
  static constexpr prism_backend kTable =
      prism::BackendTable<prism::ChopPolicy>::make("chop", prism::init);
  return &kTable;
}
