// chop_backend.cpp - every operation's exact result rounded once to a target
// format (PRISM_FORMAT) with one of nine modes (PRISM_ROUNDING), then stored
// in the program's float/double. Overflow and soft errors follow SPEC.md.
//
// Vector operations, and scalar ones as one lane: the Highway kernels of
// chop_vector.h, bit for bit the rounding core's result (ChopRounder over
// exact.h), which serves soft errors, p > 51 on double (sr: p > 29), the
// lanes the kernels cannot take, and ISAs without FMA.
//
// A format the storage type cannot hold (wider than binary32 for float
// operations: p > 24 or an exponent range beyond float's) stops the program
// at its first float operation with one line and exit status 2; formats
// wider than binary64 cannot be written (PRISM_FORMAT's syntax, and fixed
// point with I+F > 53 is refused at start-up).
#include "../common/backend_table.h"
#include "../common/chop_rounder.h"
#include "chop_vector.h"

#include <cstdio>
#include <unistd.h>

namespace prism {
namespace {

const prism_host *g_host = nullptr;
ChopRounder g_rounder;
chopvec::Plan g_plan;
bool g_float_ok = true; // the format fits binary32
char g_float_error[512] = "";

[[noreturn, gnu::cold, gnu::noinline]] void floatTooWide() {
  std::fprintf(stderr, "%s\n", g_float_error);
  std::fflush(stderr);
  _exit(2);
}

template <class T> inline void checkStorage() {
  if constexpr (sizeof(T) == 4)
    if (__builtin_expect(!g_float_ok, 0))
      floatTooWide();
}

// This thread's vector streams (sr, sr-uniform), seeded from its scalar
// stream, again after prism_set_seed().
uint64_t *laneRng() {
  struct Streams {
    alignas(64) uint64_t s[chopvec::kRngWords];
    uint64_t generation = ~0ull;
  };
  thread_local Streams t;
  const uint64_t gen = g_host->seed_generation ? g_host->seed_generation() : 0;
  if (__builtin_expect(t.generation != gen, 0)) {
    uint64_t *scalar = g_host->thread_rng();
    for (size_t lane = 0; lane < chopvec::kLanes; ++lane) {
      uint64_t state[4];
      prism_rng_seed(state, prism_rng_next(scalar), 0);
      for (size_t w = 0; w < 4; ++w)
        t.s[w * chopvec::kLanes + lane] = state[w];
    }
    t.generation = gen;
  }
  return t.s;
}

struct ChopPolicy {
  template <class T> static T round(const ExactValue<T> &x) {
    checkStorage<T>();
    return g_rounder.round(x, g_host->thread_rng());
  }

  // Scalar operations: one lane of the vector kernels (bit for bit the
  // core's result, several times faster than the general core), or the core.
  template <class T, class ExactOp>
  static T one(chopvec::Op op, T a, T b, T c, ExactOp exact) {
    checkStorage<T>();
    if (sizeof(T) == 4 ? g_plan.f32 : g_plan.f64) {
      T r;
      uint64_t *lane = g_plan.random ? laneRng() : nullptr;
      uint64_t *scalar = g_plan.random ? g_host->thread_rng() : nullptr;
      if (chopvec::apply(g_plan, op, &r, &a, &b, &c, 1, lane, scalar))
        return r;
    }
    return g_rounder.round(exact(), g_host->thread_rng());
  }
  template <class T> static T add(T a, T b) {
    return one(chopvec::Op::Add, a, b, b, [&] { return exactAdd(a, b); });
  }
  template <class T> static T mul(T a, T b) {
    return one(chopvec::Op::Mul, a, b, b, [&] { return exactMul(a, b); });
  }
  template <class T> static T div(T a, T b) {
    return one(chopvec::Op::Div, a, b, b, [&] { return exactDiv(a, b); });
  }
  template <class T> static T fma(T a, T b, T c) {
    return one(chopvec::Op::Fma, a, b, c, [&] { return exactFma(a, b, c); });
  }
  template <class T> static T sqrt(T a) {
    return one(chopvec::Op::Sqrt, a, a, a, [&] { return exactSqrt(a); });
  }
  static float trunc(double a) {
    checkStorage<float>();
    float r;
    if (g_plan.f32 &&
        chopvec::truncate(g_plan, &r, &a, 1, g_plan.random ? laneRng() : nullptr))
      return r;
    return g_rounder.round(exactTrunc(a), g_host->thread_rng());
  }

  template <class T, class ExactOp>
  static void lanes(chopvec::Op op, T *r, const T *a, const T *b, const T *c,
                    size_t n, ExactOp exact) {
    checkStorage<T>();
    if (sizeof(T) == 4 ? g_plan.f32 : g_plan.f64) {
      uint64_t *lane = g_plan.random ? laneRng() : nullptr;
      uint64_t *scalar = g_plan.random ? g_host->thread_rng() : nullptr;
      if (chopvec::apply(g_plan, op, r, a, b, c, n, lane, scalar))
        return;
    }
    uint64_t *rng = g_host->thread_rng();
    for (size_t i = 0; i < n; i++)
      r[i] = g_rounder.round(exact(i), rng);
  }
  template <class T> static void v_add(T *r, const T *a, const T *b, size_t n) {
    lanes(chopvec::Op::Add, r, a, b, b, n,
          [&](size_t i) { return exactAdd(a[i], b[i]); });
  }
  template <class T> static void v_sub(T *r, const T *a, const T *b, size_t n) {
    lanes(chopvec::Op::Sub, r, a, b, b, n,
          [&](size_t i) { return exactSub(a[i], b[i]); });
  }
  template <class T> static void v_mul(T *r, const T *a, const T *b, size_t n) {
    lanes(chopvec::Op::Mul, r, a, b, b, n,
          [&](size_t i) { return exactMul(a[i], b[i]); });
  }
  template <class T> static void v_div(T *r, const T *a, const T *b, size_t n) {
    lanes(chopvec::Op::Div, r, a, b, b, n,
          [&](size_t i) { return exactDiv(a[i], b[i]); });
  }
  template <class T>
  static void v_fma(T *r, const T *a, const T *b, const T *c, size_t n) {
    lanes(chopvec::Op::Fma, r, a, b, c, n,
          [&](size_t i) { return exactFma(a[i], b[i], c[i]); });
  }
  template <class T> static void v_sqrt(T *r, const T *a, size_t n) {
    lanes(chopvec::Op::Sqrt, r, a, a, a, n,
          [&](size_t i) { return exactSqrt(a[i]); });
  }
  static void v_trunc(float *r, const double *a, size_t n) {
    checkStorage<float>();
    if (g_plan.f32 &&
        chopvec::truncate(g_plan, r, a, n, g_plan.random ? laneRng() : nullptr))
      return;
    uint64_t *rng = g_host->thread_rng();
    for (size_t i = 0; i < n; i++)
      r[i] = g_rounder.round(exactTrunc(a[i]), rng);
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
  if (r.fmt.fixed && r.fmt.grid.precision - 1 > 53) {
    std::snprintf(err, len,
                  "PRISM_FORMAT='%s' is wider than double (fixed point needs "
                  "I+F <= 53)",
                  cfg->format);
    return 1;
  }
  const FormatSpec f32 = virtualFormat<float>(24);
  const bool fits = r.fmt.fixed ? r.fmt.grid.precision - 1 <= f32.precision
                                : r.fmt.grid.precision <= f32.precision &&
                                      r.fmt.grid.emax <= f32.emax &&
                                      r.fmt.grid.emin >= f32.emin;
  if (r.fmt.fixed)
    std::snprintf(g_float_error, sizeof g_float_error,
                  "prism: backend 'chop': PRISM_FORMAT='%s' is wider than the "
                  "float storage of this program's float operations (fixed "
                  "point on float needs I+F <= 24); use a narrower format, or "
                  "double in the program",
                  cfg->format);
  else
    std::snprintf(g_float_error, sizeof g_float_error,
                  "prism: backend 'chop': PRISM_FORMAT='%s' (p=%d, emin=%d, "
                  "emax=%d) is wider than the float storage of this program's "
                  "float operations (binary32: p <= 24, emin >= -126, emax <= "
                  "127); use a narrower format, or double in the program",
                  cfg->format, r.fmt.grid.precision, r.fmt.grid.emin,
                  r.fmt.grid.emax);
  if (cfg->verbose)
    std::fprintf(stderr,
                 "prism: chop format=%s rounding=%s subnormals=%s "
                 "overflow=%s flip_prob=%g%s\n",
                 cfg->format, cfg->rounding ? cfg->rounding : "rne",
                 r.fmt.grid.subnormals ? "on" : "off",
                 r.saturate ? "saturate" : "inf", r.flip_prob,
                 fits ? "" : " (wider than float: float operations stop the "
                             "program)");
  g_rounder = r;
  g_plan = chopvec::makePlan(r);
  g_plan.f32 = g_plan.f32 && fits;
  g_float_ok = fits;
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
