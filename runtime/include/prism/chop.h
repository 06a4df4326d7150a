/* prism/chop.h - the bulk chop API: round whole arrays to a low-precision
 * format (fp16, bf16, tf32, OCP fp8, MX fp6/fp4, custom eXmY, fixed point)
 * with the chop backend's nine rounding modes, and Pychop's Chopi integer
 * quantization. C and C++ (a `namespace prism` layer at the end). Link with
 * -lprism-chop (build/lib or <prefix>/lib); it does not need libprism and
 * nothing has to be instrumented.
 *
 * ROUNDING SEMANTICS. prism_chop_f32/f64 round every element x of `in` once
 * to the target format exactly as the chop backend rounds an exact operation
 * result (SPEC.md, "chop"): the format's grid with subnormals on or off, the
 * mode, IEEE overflow rules or saturation, the OCP/MX specials (e4m3 has no
 * infinity, e3m2/e2m3/e2m1 and fixed point always saturate), NaN stays NaN,
 * the sign of zero is kept; then, with probability flip_prob, one uniformly
 * chosen bit of the result's stored fraction (p-1 bits, F for fixed:I.F) is
 * flipped. The result is stored in the same type (float or double). The
 * deterministic modes give bit for bit the scalar reference
 * (backends/common/chop_rounder.h) - the tests check it on every code of the
 * small formats, +-1 ulp, the midpoints, subnormals, overflow edges and
 * specials.
 *
 * THE TARGET MUST FIT THE STORAGE TYPE: on float, precision p <= 24 and
 * exponents within binary32's (binary16, bfloat16, tf32, e5m2, e4m3, e3m2,
 * e2m3, e2m1, binary32, eXmY with X <= 8 and Y <= 23, fixed:I.F with
 * I+F <= 24); on double, every format (fixed:I.F with I+F <= 53). A wider
 * target is an error (PRISM_CHOP_E_WIDE), never a silent double rounding.
 *
 * STOCHASTIC MODES AND DETERMINISM. The array is cut into blocks of
 * PRISM_CHOP_BLOCK elements. Block b draws from 9 xoshiro256++ streams
 * (prism/rng.h), each seeded with prism_rng_seed(state, h, 0) where
 * h = splitmix64-style hash of (seed, b, stream index): streams 0..7 feed the
 * rounding of sr / sr-uniform, stream 8 the soft errors (each element is hit
 * independently with probability flip_prob: the gaps between hit elements are
 * drawn as geometric variables, one uniform double per hit, followed by the
 * hit's bit index as in ChopRounder::flipBit). Within a block, float
 * element j takes a 32-bit random word: the low (j even) or high (j odd) half
 * of the next output of stream (j mod 16) / 2; a double element j takes the
 * next 64-bit output of stream j mod 8 (the last partial group of a block
 * still advances every stream once). So the output is a function of
 * (input, options, seed) only: it does NOT depend on the thread count nor on
 * the instruction set chosen at run time (AVX-512, AVX2, SSE4, scalar).
 * Calling twice with the same seed gives the same draws: vary the seed
 * between calls (e.g. seed = base + step) when rounding, say, successive
 * training steps.
 *   sr: with d discarded bits, RU is taken when d random bits added to the
 *   discarded bits carry, i.e. with probability exactly (x-RD)/(RU-RD) (d <= 23
 *   on float, <= 52 on double). Below the smallest target spacing (|x| < 2^q,
 *   q the exponent of the subnormal spacing, or of 2^emin with subnormals off)
 *   the probability |x|/2^q is resolved with the 32 (float) / 64 (double)
 *   random bits, i.e. within 2^-32 / 2^-64 of exact.
 *   sr-uniform: an inexact x goes up when the top bit of its word is 1.
 *
 * THREADS. threads 0 or 1: the calling thread does everything. threads = k:
 * the blocks are split into k contiguous ranges, one std::thread each (the
 * caller runs the first); never more threads than blocks, so arrays of at most
 * one block stay on the calling thread. A thread that cannot be started has
 * its range done by the caller. The result is identical for every k.
 *
 * SPEED: every format (fixed point included) is rounded by one Highway
 * vector kernel - integer add-bias-and-mask on the storage bits, dispatched
 * at run time to the best instruction set - with a fast path for groups of
 * 16 floats / 8 doubles whose values all lie in the format's normal range
 * (or are 0); subnormals, tiny values, overflow, inf and NaN take a slower
 * per-lane path. Soft errors are a scalar pass after the vector rounding.
 * Measured with bench/chop_bulk_bench.cpp (one thread, AMD Zen 3, AVX2,
 * in + out in L1/L2, N(0,1) data, median of 7 on a shared machine):
 * binary16 RNE from double 2.0-2.9 G elements/s, bfloat16 RNE from float
 * 6.8-6.9 G/s, sr to bfloat16 2.4-3.5 G/s (a copy loop: 8.5 G/s for float,
 * 3.5-3.9 G/s for double).
 *
 * in == out (in place) is allowed; other overlaps are not. n == 0 is a no-op
 * (the options are still checked).
 */
#ifndef PRISM_CHOP_H
#define PRISM_CHOP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PRISM_CHOP_API __attribute__((visibility("default")))
#else
#define PRISM_CHOP_API
#endif

/* Elements per RNG block (see STOCHASTIC MODES). */
#define PRISM_CHOP_BLOCK 65536

/* Return codes (0 = success). prism_chop_last_error() has the details. */
#define PRISM_CHOP_OK 0
#define PRISM_CHOP_E_NULL (-1)     /* a NULL pointer (options, in, out...) */
#define PRISM_CHOP_E_FORMAT (-2)   /* unknown or out-of-range format name */
#define PRISM_CHOP_E_ROUNDING (-3) /* unknown rounding mode name */
#define PRISM_CHOP_E_WIDE (-4)     /* format wider than the storage type */
#define PRISM_CHOP_E_PROB (-5)     /* flip_prob not in [0, 1] (or NaN) */
#define PRISM_CHOP_E_BITS (-6)     /* quantization bits not in 2..32 */
#define PRISM_CHOP_E_SHAPE (-7)    /* bad shape, ndim or axis */
#define PRISM_CHOP_E_RANGE (-8)    /* bad scale / zero point (dequantize) */

/* Options of prism_chop_f32/f64. A zero-initialized struct plus a format is
   a valid configuration with the backend's defaults (rne, subnormals on,
   IEEE overflow, no soft errors, seed 0, one thread). The names and values
   are those of the PRISM_* variables of the chop backend. */
typedef struct prism_chop_options {
  /* PRISM_FORMAT: binary16 (fp16, half), bfloat16 (bf16), tf32, e4m3 (OCP),
     e5m2 (OCP), e3m2, e2m3, e2m1 (MX), binary32 (fp32, single), binary64
     (fp64, double), custom eXmY (IEEE-like, 2 <= X <= 11, Y <= 52), or
     fixed:I.F (two's complement, I integer bits sign included, F fraction
     bits, range [-2^(I-1), 2^(I-1) - 2^-F], saturating). Required. */
  const char *format;
  /* PRISM_ROUNDING: rne (default when NULL), ru, rd, rz, sr, sr-uniform,
     rnz (nearest, ties to zero), rna (ties away), ro (round to odd). */
  const char *rounding;
  int subnormals_off; /* PRISM_SUBNORMALS=off when nonzero (default: on);
                         no effect on fixed point (no subnormals) */
  int saturate;       /* PRISM_OVERFLOW=saturate when nonzero (default: inf) */
  double flip_prob;   /* PRISM_FLIP_PROB, in [0, 1] */
  uint64_t seed;      /* PRISM_SEED: streams of sr, sr-uniform and flips */
  unsigned threads;   /* 0 or 1: calling thread only; k: k threads */
} prism_chop_options;

/* Round n floats / doubles: out[i] = chop(in[i]). 0 or a PRISM_CHOP_E_*. */
PRISM_CHOP_API int prism_chop_f32(const float *in, float *out, size_t n,
                                  const prism_chop_options *opt);
PRISM_CHOP_API int prism_chop_f64(const double *in, double *out, size_t n,
                                  const prism_chop_options *opt);

/* Checks options for a storage type without rounding anything: storage_bits
   is 32 (float) or 64 (double). 0 or a PRISM_CHOP_E_* code. */
PRISM_CHOP_API int prism_chop_check(const prism_chop_options *opt,
                                    int storage_bits);

/* Generic text of a return code (never NULL). */
PRISM_CHOP_API const char *prism_chop_strerror(int code);
/* The message of the last failed call on this thread, naming the option, its
   value and what is accepted; "" when no call has failed. */
PRISM_CHOP_API const char *prism_chop_last_error(void);

/* ------------------------------------------------------------------------
 * Integer quantization (Pychop's Chopi(bits, symmetric, per_channel, axis)).
 *
 * b = bits, qmin = -2^(b-1), qmax = 2^(b-1) - 1 (b-bit two's complement).
 * Calibration, over the whole tensor or over each channel (each index c along
 * `axis`, the others reduced), ignoring NaN and +-inf:
 *   symmetric:  alpha = max |x|,  s = alpha / qmax,  z = 0
 *   asymmetric: alpha = min(min x, 0), beta = max(max x, 0),
 *               s = (beta - alpha) / (2^b - 1),  z = qmin - rne(alpha / s)
 *   (a zero range - all zeros, or no finite value - gives s = 1; z = 0 for
 *   symmetric, qmin - 0 = qmin for asymmetric.)
 * Quantization:   q = clamp(round(x / s) + z, qmin, qmax)
 * Dequantization: x' = s * (q - z)
 * s, x / s and s * (q - z) are computed in double (one rounding each); x' is
 * then rounded to the output type. round() is RNE (Pychop's np.round /
 * torch.round) unless `rounding` names another mode (the chop modes; sr and
 * sr-uniform round to an adjacent integer with the seeded stream). NaN
 * quantizes to z (dequantizes to 0); +-inf to qmax / qmin.
 * This is the paper's scheme (Pychop, Sec. 3.3): symmetric s = alpha /
 * (2^(b-1) - 1) maps [-alpha, alpha] onto [-qmax, qmax]; asymmetric
 * s = (beta - alpha) / (2^b - 1) maps [alpha, beta] onto [qmin, qmax] and z
 * is the integer that 0 maps to. One deliberate difference: the asymmetric
 * range always contains 0 (alpha <= 0 <= beta, as in PyTorch / TFLite), so
 * that 0 is exact (zero padding, ReLU zeros) and z lies in [qmin, qmax].
 * Pychop's own code instead uses qmin = 0 for asymmetric (so b-1 bits) and
 * (max - min) / (qmax - qmin) for symmetric; we follow the paper.
 *
 * Tensors are row-major with dimensions shape[0..ndim-1] (ndim >= 1, the
 * element count is their product; ndim = 0 is a scalar, shape may then be
 * NULL). Per channel, the
 * channel of flat index i is (i / inner) % shape[axis], inner = product of
 * shape[axis+1..]; axis may be negative (counts from the end, as in numpy).
 * Per tensor there is one scale and one zero point.
 * ------------------------------------------------------------------------ */
typedef struct prism_quant_options {
  int bits;        /* 2..32; 0 means 8 (Chopi's default) */
  int symmetric;   /* nonzero: symmetric (z = 0); 0: asymmetric (default) */
  int per_channel; /* nonzero: one (s, z) per index along axis */
  int axis;        /* channel axis, negative counts from the end */
  const char *rounding; /* NULL or "rne": round half to even; any chop mode */
  uint64_t seed;        /* stream of sr / sr-uniform */
} prism_quant_options;

/* Number of (scale, zero point) pairs: shape[axis] per channel, else 1;
   0 on a bad shape / axis (with the message in prism_chop_last_error()). */
PRISM_CHOP_API size_t prism_quant_channels(const size_t *shape, int ndim,
                                           const prism_quant_options *opt);

/* Computes scale[c] and zero_point[c] (prism_quant_channels() entries). */
PRISM_CHOP_API int prism_quant_calibrate_f32(const float *x,
                                             const size_t *shape, int ndim,
                                             const prism_quant_options *opt,
                                             double *scale,
                                             int32_t *zero_point);
PRISM_CHOP_API int prism_quant_calibrate_f64(const double *x,
                                             const size_t *shape, int ndim,
                                             const prism_quant_options *opt,
                                             double *scale,
                                             int32_t *zero_point);
/* q[i] = clamp(round(x[i] / s) + z, qmin, qmax) with given scales and zero
   points (e.g. calibrated on another tensor). Scales must be finite and > 0,
   zero points in [qmin, qmax]. */
PRISM_CHOP_API int prism_quant_apply_f32(const float *x, const size_t *shape,
                                         int ndim,
                                         const prism_quant_options *opt,
                                         const double *scale,
                                         const int32_t *zero_point, int32_t *q);
PRISM_CHOP_API int prism_quant_apply_f64(const double *x, const size_t *shape,
                                         int ndim,
                                         const prism_quant_options *opt,
                                         const double *scale,
                                         const int32_t *zero_point, int32_t *q);
/* Calibrate, then apply: Chopi's quantize(x). scale / zero_point receive
   prism_quant_channels() entries. */
PRISM_CHOP_API int prism_quantize_f32(const float *x, const size_t *shape,
                                      int ndim, const prism_quant_options *opt,
                                      int32_t *q, double *scale,
                                      int32_t *zero_point);
PRISM_CHOP_API int prism_quantize_f64(const double *x, const size_t *shape,
                                      int ndim, const prism_quant_options *opt,
                                      int32_t *q, double *scale,
                                      int32_t *zero_point);
/* out[i] = s * (q[i] - z) of the element's channel. */
PRISM_CHOP_API int prism_dequantize_f32(const int32_t *q, const size_t *shape,
                                        int ndim,
                                        const prism_quant_options *opt,
                                        const double *scale,
                                        const int32_t *zero_point, float *out);
PRISM_CHOP_API int prism_dequantize_f64(const int32_t *q, const size_t *shape,
                                        int ndim,
                                        const prism_quant_options *opt,
                                        const double *scale,
                                        const int32_t *zero_point, double *out);

#ifdef __cplusplus
} /* extern "C" */

/* ------------------------------------------------------------------------
 * C++ layer: the same functions on spans and vectors; errors throw
 * prism::ChopError (code() is the PRISM_CHOP_E_* value, what() the message).
 * ------------------------------------------------------------------------ */
#if __cplusplus >= 202002L
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace prism {

class ChopError : public std::runtime_error {
public:
  ChopError(int code, const std::string &what)
      : std::runtime_error(what), code_(code) {}
  int code() const noexcept { return code_; }

private:
  int code_;
};

namespace chop_detail {
inline void check(int rc) {
  if (rc != PRISM_CHOP_OK) {
    const char *msg = prism_chop_last_error();
    throw ChopError(rc, msg && *msg ? msg : prism_chop_strerror(rc));
  }
}
inline void checkSize(size_t a, size_t b, const char *what) {
  if (a != b)
    throw ChopError(PRISM_CHOP_E_SHAPE,
                    std::string("prism::") + what + ": " + std::to_string(a) +
                        " input elements but " + std::to_string(b) +
                        " output elements");
}
inline int call(const float *i, float *o, size_t n,
                const prism_chop_options &opt) {
  return prism_chop_f32(i, o, n, &opt);
}
inline int call(const double *i, double *o, size_t n,
                const prism_chop_options &opt) {
  return prism_chop_f64(i, o, n, &opt);
}
} // namespace chop_detail

/* Options with a format and a rounding mode, the rest as the defaults. */
inline prism_chop_options chop_options(const char *format,
                                       const char *rounding = "rne",
                                       uint64_t seed = 0) {
  prism_chop_options o{};
  o.format = format;
  o.rounding = rounding;
  o.seed = seed;
  return o;
}

/* out = chop(in); sizes must match (in.data() == out.data() is fine). */
template <class T>
requires(
    std::is_same_v<T, float> ||
    std::is_same_v<T, double>) inline void chop(std::span<const T> in,
                                                std::span<T> out,
                                                const prism_chop_options &opt) {
  chop_detail::checkSize(in.size(), out.size(), "chop");
  chop_detail::check(chop_detail::call(in.data(), out.data(), in.size(), opt));
}
/* In place. */
template <class T>
requires(
    std::is_same_v<T, float> ||
    std::is_same_v<T, double>) inline void chop(std::span<T> data,
                                                const prism_chop_options &opt) {
  chop_detail::check(
      chop_detail::call(data.data(), data.data(), data.size(), opt));
}
/* A rounded copy. */
template <class T>
requires(std::is_same_v<T, float> || std::is_same_v<T, double>) inline std::
    vector<T> chopped(const std::vector<T> &in, const prism_chop_options &opt) {
  std::vector<T> out(in.size());
  chop(std::span<const T>(in), std::span<T>(out), opt);
  return out;
}

/* Chopi's result: the integers, one (scale, zero point) per channel, and
   what is needed to dequantize. */
struct QuantizedTensor {
  std::vector<int32_t> values;
  std::vector<double> scales;
  std::vector<int32_t> zero_points;
  std::vector<size_t> shape;
  prism_quant_options options{};

  template <class T = float>
  requires(std::is_same_v<T, float> ||
           std::is_same_v<T, double>) std::vector<T> dequantize()
  const {
    std::vector<T> out(values.size());
    int rc;
    if constexpr (std::is_same_v<T, float>)
      rc = prism_dequantize_f32(values.data(), shape.data(),
                                static_cast<int>(shape.size()), &options,
                                scales.data(), zero_points.data(), out.data());
    else
      rc = prism_dequantize_f64(values.data(), shape.data(),
                                static_cast<int>(shape.size()), &options,
                                scales.data(), zero_points.data(), out.data());
    chop_detail::check(rc);
    return out;
  }
};

/* Chopi(bits, symmetric, per_channel, axis).quantize(x) on a row-major
   tensor; an empty shape means {x.size()}. */
template <class T>
requires(std::is_same_v<T, float> ||
         std::is_same_v<T, double>) inline QuantizedTensor
    quantize(std::span<const T> x, std::vector<size_t> shape = {},
             const prism_quant_options &opt = {}) {
  QuantizedTensor r;
  r.shape = shape.empty() ? std::vector<size_t>{x.size()} : std::move(shape);
  r.options = opt;
  size_t count = 1;
  for (size_t s : r.shape)
    count *= s;
  chop_detail::checkSize(x.size(), count, "quantize (shape)");
  const int nd = static_cast<int>(r.shape.size());
  size_t ch = prism_quant_channels(r.shape.data(), nd, &opt);
  if (ch == 0)
    chop_detail::check(PRISM_CHOP_E_SHAPE);
  r.values.resize(x.size());
  r.scales.resize(ch);
  r.zero_points.resize(ch);
  int rc;
  if constexpr (std::is_same_v<T, float>)
    rc = prism_quantize_f32(x.data(), r.shape.data(), nd, &opt, r.values.data(),
                            r.scales.data(), r.zero_points.data());
  else
    rc = prism_quantize_f64(x.data(), r.shape.data(), nd, &opt, r.values.data(),
                            r.scales.data(), r.zero_points.data());
  chop_detail::check(rc);
  return r;
}
template <class T>
requires(std::is_same_v<T, float> ||
         std::is_same_v<T, double>) inline QuantizedTensor
    quantize(const std::vector<T> &x, std::vector<size_t> shape = {},
             const prism_quant_options &opt = {}) {
  return quantize(std::span<const T>(x), std::move(shape), opt);
}

} // namespace prism
#endif /* C++20 */
#endif /* __cplusplus */

#endif /* PRISM_CHOP_H */
