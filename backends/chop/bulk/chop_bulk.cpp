// chop_bulk.cpp - prism_chop_f32 / prism_chop_f64: option checking, the
// block / thread / RNG-stream layout of prism/chop.h, the vector kernels
// (chop_kernels.cpp) for the rounding of every format, and soft errors as a
// scalar pass through the reference ChopRounder after the vector rounding.
#include "backends/chop/bulk/bulk_common.h"
#include "backends/chop/bulk/bulk_params.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

namespace prism::bulk {

namespace {
thread_local std::string t_last_error;
} // namespace

int fail(int code, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  t_last_error = buf;
  return code;
}

const char *lastError() { return t_last_error.c_str(); }

namespace {

template <class T> struct Plan {
  using U = typename StorageBits<T>::U;
  ChopRounder rounder;
  KernelParams<U> kp{};
  bool random = false;
  bool flips = false;
  uint64_t seed = 0;
};

template <class T> constexpr const char *storageName() {
  return sizeof(T) == 4 ? "float" : "double";
}

// Parses and checks the options for storage T (fn names the caller).
template <class T>
int makePlan(const prism_chop_options *opt, Plan<T> &plan, const char *fn) {
  if (!opt)
    return fail(PRISM_CHOP_E_NULL, "%s: options is NULL", fn);
  if (!opt->format)
    return fail(PRISM_CHOP_E_FORMAT,
                "%s: option format is not set (accepted: %s)", fn,
                kFormatsAccepted);
  auto f = parseChopFormat(opt->format);
  if (!f)
    return fail(PRISM_CHOP_E_FORMAT,
                "%s: option format='%s' is not a format (accepted: %s)", fn,
                opt->format, kFormatsAccepted);
  RoundingMode mode = RoundingMode::RNE;
  if (opt->rounding) {
    auto m = parseRoundingMode(opt->rounding);
    if (!m)
      return fail(PRISM_CHOP_E_ROUNDING,
                  "%s: option rounding='%s' is not a rounding mode "
                  "(accepted: %s)",
                  fn, opt->rounding, kModesAccepted);
    mode = *m;
  }
  if (!(opt->flip_prob >= 0 && opt->flip_prob <= 1))
    return fail(PRISM_CHOP_E_PROB,
                "%s: option flip_prob=%g is outside [0, 1] (a probability)", fn,
                opt->flip_prob);
  const FormatSpec &g = f->grid;
  constexpr int kP = std::numeric_limits<T>::digits;
  constexpr int kEmax = std::numeric_limits<T>::max_exponent - 1;
  constexpr int kEmin = std::numeric_limits<T>::min_exponent - 1;
  if (f->fixed) {
    if (g.precision - 1 > kP)
      return fail(PRISM_CHOP_E_WIDE,
                  "%s: option format='%s' is wider than the %s storage "
                  "(accepted on %s: fixed:I.F with I+F <= %d%s)",
                  fn, opt->format, storageName<T>(), storageName<T>(), kP,
                  sizeof(T) == 4 ? "; use prism_chop_f64" : "");
  } else if (g.precision > kP || g.emax > kEmax || g.emin < kEmin) {
    return fail(PRISM_CHOP_E_WIDE,
                "%s: option format='%s' (p=%d, emin=%d, emax=%d) is wider "
                "than the %s storage (accepted on %s: p <= %d and %d <= emin, "
                "emax <= %d, e.g. binary16, bfloat16, tf32, e5m2, e4m3, e3m2, "
                "e2m3, e2m1, binary32, eXmY with X <= 8 and Y <= 23, "
                "fixed:I.F with I+F <= 24; use prism_chop_f64)",
                fn, opt->format, g.precision, g.emin, g.emax, storageName<T>(),
                storageName<T>(), kP, kEmin, kEmax);
  }
  ChopRounder &r = plan.rounder;
  r = ChopRounder{};
  r.fmt = *f;
  r.fmt.grid.subnormals = opt->subnormals_off == 0;
  r.mode = mode;
  r.saturate = opt->saturate != 0;
  r.flip_prob = opt->flip_prob;
  plan.random = mode == RoundingMode::SR || mode == RoundingMode::SRUniform;
  plan.flips = opt->flip_prob > 0;
  plan.seed = opt->seed;
  plan.kp = makeKernelParams<T>(r);
  return PRISM_CHOP_OK;
}

// Block b of the array: [b * kBlock, min(n, (b+1) * kBlock)).
constexpr size_t kBlock = PRISM_CHOP_BLOCK;

template <class T>
void processBlock(const Plan<T> &plan, const T *in, T *out, size_t len,
                  uint64_t block) {
  const ChopRounder &r = plan.rounder;
  uint64_t s[4];
  if (plan.random) {
    alignas(64) uint64_t rng[kRngWords];
    for (int k = 0; k < kStreams; ++k) {
      seedStream(s, plan.seed, block, static_cast<unsigned>(k));
      for (int w = 0; w < 4; ++w)
        rng[w * kStreams + k] = s[w];
    }
    roundBlock(plan.kp, in, out, len, rng);
  } else {
    roundBlock(plan.kp, in, out, len, nullptr);
  }
  if (plan.flips) {
    // ChopRounder::round's soft error, after the rounding: each element is
    // hit independently with probability p. The gaps between hit elements are
    // geometric, drawn directly (one uniform per hit instead of per element).
    seedStream(s, plan.seed, block, kStreams);
    auto flip = [&](size_t i) {
      // As ChopRounder::round: inf and NaN have no fraction to flip (and an
      // exact infinity is not a finite overflow for clampRange).
      const T flipped = r.flipBit(out[i], s);
      if (std::isfinite(out[i]))
        out[i] = r.clampRange(flipped, false);
    };
    if (r.flip_prob >= 1) {
      for (size_t i = 0; i < len; ++i)
        flip(i);
    } else {
      const double logq = std::log1p(-r.flip_prob); // log(1 - p) < 0
      for (size_t i = 0;; ++i) {
        // P(gap >= k) = (1 - p)^k; u in (0, 1].
        const double u = 1.0 - prism_rng_uniform(s);
        const double gap = std::floor(std::log(u) / logq);
        if (!(gap < static_cast<double>(len - i)))
          break;
        i += static_cast<size_t>(gap);
        flip(i);
      }
    }
  }
}

template <class T>
int chopArray(const T *in, T *out, size_t n, const prism_chop_options *opt,
              const char *fn) {
  Plan<T> plan;
  if (int rc = makePlan<T>(opt, plan, fn))
    return rc;
  if (n == 0)
    return PRISM_CHOP_OK;
  if (!in || !out)
    return fail(PRISM_CHOP_E_NULL, "%s: %s is NULL with n=%zu", fn,
                !in ? "in" : "out", n);
  const size_t blocks = (n + kBlock - 1) / kBlock;
  auto work = [&](size_t b0, size_t b1) {
    for (size_t b = b0; b < b1; ++b) {
      const size_t off = b * kBlock;
      processBlock(plan, in + off, out + off, std::min(kBlock, n - off), b);
    }
  };
  const size_t k =
      std::min<size_t>(opt->threads <= 1 ? 1 : opt->threads, blocks);
  if (k <= 1) {
    work(0, blocks);
    return PRISM_CHOP_OK;
  }
  auto begin = [&](size_t t) { return blocks * t / k; };
  std::vector<std::thread> pool;
  std::vector<size_t> orphans; // ranges whose thread could not start
  pool.reserve(k - 1);
  for (size_t t = 1; t < k; ++t) {
    try {
      pool.emplace_back(work, begin(t), begin(t + 1));
    } catch (const std::system_error &) {
      orphans.push_back(t);
    }
  }
  work(begin(0), begin(1));
  for (size_t t : orphans)
    work(begin(t), begin(t + 1));
  for (auto &th : pool)
    th.join();
  return PRISM_CHOP_OK;
}

} // namespace
} // namespace prism::bulk

using namespace prism::bulk;

extern "C" {

int prism_chop_f32(const float *in, float *out, size_t n,
                   const prism_chop_options *opt) {
  return chopArray(in, out, n, opt, "prism_chop_f32");
}

int prism_chop_f64(const double *in, double *out, size_t n,
                   const prism_chop_options *opt) {
  return chopArray(in, out, n, opt, "prism_chop_f64");
}

int prism_chop_check(const prism_chop_options *opt, int storage_bits) {
  if (storage_bits == 32) {
    Plan<float> p;
    return makePlan<float>(opt, p, "prism_chop_check");
  }
  if (storage_bits == 64) {
    Plan<double> p;
    return makePlan<double>(opt, p, "prism_chop_check");
  }
  return fail(PRISM_CHOP_E_NULL,
              "prism_chop_check: storage_bits=%d (accepted: 32, 64)",
              storage_bits);
}

const char *prism_chop_strerror(int code) {
  switch (code) {
  case PRISM_CHOP_OK:
    return "success";
  case PRISM_CHOP_E_NULL:
    return "NULL pointer or bad argument";
  case PRISM_CHOP_E_FORMAT:
    return "unknown or out-of-range format";
  case PRISM_CHOP_E_ROUNDING:
    return "unknown rounding mode";
  case PRISM_CHOP_E_WIDE:
    return "format wider than the storage type";
  case PRISM_CHOP_E_PROB:
    return "flip probability outside [0, 1]";
  case PRISM_CHOP_E_BITS:
    return "quantization bits outside 2..32";
  case PRISM_CHOP_E_SHAPE:
    return "bad shape, ndim or axis";
  case PRISM_CHOP_E_RANGE:
    return "bad scale or zero point";
  default:
    return "unknown error code";
  }
}

const char *prism_chop_last_error(void) { return lastError(); }

} // extern "C"
