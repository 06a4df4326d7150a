// quantize.cpp - Pychop's Chopi integer quantization (formulas in
// prism/chop.h): calibration of scale / zero point per tensor or per channel,
// quantization to int32 with any chop rounding mode, dequantization.
#include "backends/chop/bulk/bulk_common.h"
#include "backends/common/format_table.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace prism::bulk {
namespace {

struct QuantPlan {
  size_t count = 1;    // elements
  size_t channels = 1; // (scale, zero point) pairs
  size_t inner = 1;    // product of the dimensions after the axis
  int bits = 8;
  int64_t qmin = 0, qmax = 0;
  bool symmetric = false;
  RoundingMode mode = RoundingMode::RNE;
  uint64_t seed = 0;

  size_t channelOf(size_t i) const {
    return channels == 1 ? 0 : (i / inner) % channels;
  }
};

int makeQuantPlan(const size_t *shape, int ndim, const prism_quant_options *opt,
                  QuantPlan &p, const char *fn) {
  if (!opt)
    return fail(PRISM_CHOP_E_NULL, "%s: options is NULL", fn);
  if (ndim < 0)
    return fail(PRISM_CHOP_E_SHAPE, "%s: ndim=%d is negative", fn, ndim);
  if (ndim > 0 && !shape)
    return fail(PRISM_CHOP_E_NULL, "%s: shape is NULL with ndim=%d", fn, ndim);
  p.bits = opt->bits == 0 ? 8 : opt->bits;
  if (p.bits < 2 || p.bits > 32)
    return fail(PRISM_CHOP_E_BITS,
                "%s: option bits=%d is outside 2..32 (0 means 8)", fn,
                opt->bits);
  p.qmin = -(int64_t(1) << (p.bits - 1));
  p.qmax = (int64_t(1) << (p.bits - 1)) - 1;
  p.symmetric = opt->symmetric != 0;
  p.seed = opt->seed;
  if (opt->rounding) {
    auto m = parseRoundingMode(opt->rounding);
    if (!m)
      return fail(PRISM_CHOP_E_ROUNDING,
                  "%s: option rounding='%s' is not a rounding mode "
                  "(accepted: %s)",
                  fn, opt->rounding, kModesAccepted);
    p.mode = *m;
  }
  p.count = 1;
  for (int i = 0; i < ndim; ++i) {
    if (shape[i] != 0 &&
        p.count > std::numeric_limits<size_t>::max() / shape[i])
      return fail(PRISM_CHOP_E_SHAPE, "%s: shape overflows size_t", fn);
    p.count *= shape[i];
  }
  p.channels = 1;
  p.inner = 1;
  if (opt->per_channel) {
    if (ndim == 0)
      return fail(PRISM_CHOP_E_SHAPE,
                  "%s: option per_channel needs a tensor (ndim >= 1), got a "
                  "scalar (ndim=0)",
                  fn);
    const int ax = opt->axis < 0 ? opt->axis + ndim : opt->axis;
    if (ax < 0 || ax >= ndim)
      return fail(PRISM_CHOP_E_SHAPE,
                  "%s: option axis=%d is outside [-%d, %d] (ndim=%d)", fn,
                  opt->axis, ndim, ndim - 1, ndim);
    p.channels = shape[ax];
    for (int i = ax + 1; i < ndim; ++i)
      p.inner *= shape[i];
    if (p.channels == 0)
      return fail(PRISM_CHOP_E_SHAPE, "%s: shape[axis=%d] is 0 (no channel)",
                  fn, opt->axis);
  }
  return PRISM_CHOP_OK;
}

// Rounds v to an integer (as a double) with a chop mode.
double roundToInteger(double v, RoundingMode m, uint64_t *rng) {
  if (!std::isfinite(v))
    return v;
  const double fl = std::floor(v);
  const double f = v - fl; // exact
  if (f == 0)
    return v;
  const bool flOdd = std::fmod(fl, 2.0) != 0;
  const bool neg = v < 0;
  bool up = false;
  switch (m) {
  case RoundingMode::RNE:
    up = f > 0.5 || (f == 0.5 && flOdd);
    break;
  case RoundingMode::RNZ:
    up = f > 0.5 || (f == 0.5 && neg);
    break;
  case RoundingMode::RNA:
    up = f > 0.5 || (f == 0.5 && !neg);
    break;
  case RoundingMode::RU:
    up = true;
    break;
  case RoundingMode::RD:
    up = false;
    break;
  case RoundingMode::RZ:
    up = neg;
    break;
  case RoundingMode::RO:
    up = !flOdd;
    break;
  case RoundingMode::SR:
    up = prism_rng_uniform(rng) < f;
    break;
  case RoundingMode::SRUniform:
    up = (prism_rng_next(rng) >> 63) != 0;
    break;
  }
  return up ? fl + 1 : fl;
}

template <class T>
int calibrate(const T *x, const QuantPlan &p, double *scale,
              int32_t *zero_point, const char *fn) {
  if (p.count > 0 && !x)
    return fail(PRISM_CHOP_E_NULL, "%s: x is NULL", fn);
  if (!scale || !zero_point)
    return fail(PRISM_CHOP_E_NULL, "%s: %s is NULL", fn,
                !scale ? "scale" : "zero_point");
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> lo(p.channels, inf), hi(p.channels, -inf);
  for (size_t i = 0; i < p.count; ++i) {
    const double v = static_cast<double>(x[i]);
    if (!std::isfinite(v))
      continue;
    const size_t c = p.channelOf(i);
    lo[c] = std::min(lo[c], v);
    hi[c] = std::max(hi[c], v);
  }
  for (size_t c = 0; c < p.channels; ++c) {
    // No finite value: the range is {0}.
    const double mn = lo[c] == inf ? 0 : lo[c], mx = hi[c] == -inf ? 0 : hi[c];
    double s;
    int64_t z;
    if (p.symmetric) {
      const double alpha = std::max(std::fabs(mn), std::fabs(mx));
      s = alpha > 0 ? alpha / static_cast<double>(p.qmax) : 1.0;
      z = 0;
    } else {
      const double alpha = std::min(mn, 0.0), beta = std::max(mx, 0.0);
      const double levels = std::ldexp(1.0, p.bits) - 1; // 2^b - 1
      if (beta > alpha) {
        s = (beta - alpha) / levels;
        if (std::isinf(s) || std::isinf(beta - alpha)) // range beyond DBL_MAX
          s = (0.5 * beta - 0.5 * alpha) / (0.5 * levels);
      } else {
        s = 1.0;
      }
      z = p.qmin - static_cast<int64_t>(
                       roundToInteger(alpha / s, RoundingMode::RNE, nullptr));
      z = std::clamp(z, p.qmin, p.qmax);
    }
    scale[c] = s;
    zero_point[c] = static_cast<int32_t>(z);
  }
  return PRISM_CHOP_OK;
}

int checkParams(const QuantPlan &p, const double *scale,
                const int32_t *zero_point, const char *fn) {
  if (!scale || !zero_point)
    return fail(PRISM_CHOP_E_NULL, "%s: %s is NULL", fn,
                !scale ? "scale" : "zero_point");
  for (size_t c = 0; c < p.channels; ++c) {
    if (!(std::isfinite(scale[c]) && scale[c] > 0))
      return fail(PRISM_CHOP_E_RANGE, "%s: scale[%zu]=%g is not finite and > 0",
                  fn, c, scale[c]);
    if (zero_point[c] < p.qmin || zero_point[c] > p.qmax)
      return fail(PRISM_CHOP_E_RANGE,
                  "%s: zero_point[%zu]=%d is outside [%lld, %lld] (bits=%d)",
                  fn, c, zero_point[c], static_cast<long long>(p.qmin),
                  static_cast<long long>(p.qmax), p.bits);
    if (p.symmetric && zero_point[c] != 0)
      return fail(PRISM_CHOP_E_RANGE,
                  "%s: zero_point[%zu]=%d but symmetric quantization has "
                  "zero point 0",
                  fn, c, zero_point[c]);
  }
  return PRISM_CHOP_OK;
}

template <class T>
int apply(const T *x, const QuantPlan &p, const double *scale,
          const int32_t *zero_point, int32_t *q, const char *fn) {
  if (int rc = checkParams(p, scale, zero_point, fn))
    return rc;
  if (p.count > 0 && (!x || !q))
    return fail(PRISM_CHOP_E_NULL, "%s: %s is NULL", fn, !x ? "x" : "q");
  uint64_t rng[4];
  seedStream(rng, p.seed, 0, 0);
  const double qmin = static_cast<double>(p.qmin);
  const double qmax = static_cast<double>(p.qmax);
  for (size_t i = 0; i < p.count; ++i) {
    const size_t c = p.channelOf(i);
    const double v = static_cast<double>(x[i]) / scale[c];
    if (std::isnan(v)) {
      q[i] = zero_point[c];
      continue;
    }
    const double t =
        roundToInteger(v, p.mode, rng) + static_cast<double>(zero_point[c]);
    q[i] = static_cast<int32_t>(std::clamp(t, qmin, qmax));
  }
  return PRISM_CHOP_OK;
}

template <class T>
int dequantize(const int32_t *q, const QuantPlan &p, const double *scale,
               const int32_t *zero_point, T *out, const char *fn) {
  if (int rc = checkParams(p, scale, zero_point, fn))
    return rc;
  if (p.count > 0 && (!q || !out))
    return fail(PRISM_CHOP_E_NULL, "%s: %s is NULL", fn, !q ? "q" : "out");
  for (size_t i = 0; i < p.count; ++i) {
    const size_t c = p.channelOf(i);
    const int64_t k = int64_t(q[i]) - int64_t(zero_point[c]);
    out[i] = static_cast<T>(scale[c] * static_cast<double>(k));
  }
  return PRISM_CHOP_OK;
}

template <class T>
int quantize(const T *x, const size_t *shape, int ndim,
             const prism_quant_options *opt, int32_t *q, double *scale,
             int32_t *zero_point, const char *fn) {
  QuantPlan p;
  if (int rc = makeQuantPlan(shape, ndim, opt, p, fn))
    return rc;
  if (int rc = calibrate(x, p, scale, zero_point, fn))
    return rc;
  return apply(x, p, scale, zero_point, q, fn);
}

} // namespace
} // namespace prism::bulk

using namespace prism::bulk;

extern "C" {

size_t prism_quant_channels(const size_t *shape, int ndim,
                            const prism_quant_options *opt) {
  QuantPlan p;
  if (makeQuantPlan(shape, ndim, opt, p, "prism_quant_channels"))
    return 0;
  return p.channels;
}

#define PRISM_QUANT_ENTRY_POINTS(T, S)                                         \
  int prism_quant_calibrate_##S(const T *x, const size_t *shape, int ndim,     \
                                const prism_quant_options *opt, double *scale, \
                                int32_t *zero_point) {                         \
    const char *fn = "prism_quant_calibrate_" #S;                              \
    QuantPlan p;                                                               \
    if (int rc = makeQuantPlan(shape, ndim, opt, p, fn))                       \
      return rc;                                                               \
    return calibrate(x, p, scale, zero_point, fn);                             \
  }                                                                            \
  int prism_quant_apply_##S(const T *x, const size_t *shape, int ndim,         \
                            const prism_quant_options *opt,                    \
                            const double *scale, const int32_t *zero_point,    \
                            int32_t *q) {                                      \
    const char *fn = "prism_quant_apply_" #S;                                  \
    QuantPlan p;                                                               \
    if (int rc = makeQuantPlan(shape, ndim, opt, p, fn))                       \
      return rc;                                                               \
    return apply(x, p, scale, zero_point, q, fn);                              \
  }                                                                            \
  int prism_quantize_##S(const T *x, const size_t *shape, int ndim,            \
                         const prism_quant_options *opt, int32_t *q,           \
                         double *scale, int32_t *zero_point) {                 \
    return quantize(x, shape, ndim, opt, q, scale, zero_point,                 \
                    "prism_quantize_" #S);                                     \
  }                                                                            \
  int prism_dequantize_##S(const int32_t *q, const size_t *shape, int ndim,    \
                           const prism_quant_options *opt,                     \
                           const double *scale, const int32_t *zero_point,     \
                           T *out) {                                           \
    const char *fn = "prism_dequantize_" #S;                                   \
    QuantPlan p;                                                               \
    if (int rc = makeQuantPlan(shape, ndim, opt, p, fn))                       \
      return rc;                                                               \
    return dequantize(q, p, scale, zero_point, out, fn);                       \
  }

PRISM_QUANT_ENTRY_POINTS(float, f32)
PRISM_QUANT_ENTRY_POINTS(double, f64)
#undef PRISM_QUANT_ENTRY_POINTS

} // extern "C"
