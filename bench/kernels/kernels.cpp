// kernels.cpp - the eight kernels of the prism benchmark suite.
//
// Compiled twice with identical flags (see bench/CMakeLists.txt):
//   clang++-19 -O3 -march=native -DPRISM_BENCH_NS=native
//   prism-c++  -O3 -march=native -DPRISM_BENCH_NS=instrumented
//
// The code is plain strict-IEEE C++ (no -ffast-math): reductions keep
// explicit partial sums so that clang vectorizes them without reassociating,
// the way performance-minded numerical code is written. expf and sqrtf are
// libm calls (sqrtf becomes a sqrt instruction).
#include "kernels.h"

#include <cmath>
#include <limits>

#ifndef PRISM_BENCH_NS
#error "define PRISM_BENCH_NS (native or instrumented)"
#endif

namespace prism_bench::PRISM_BENCH_NS {

namespace {

// Lanes of the partial sums: two AVX2 registers of floats, four of doubles.
constexpr int kLanes = 16;

// Sums the partial sums in order (a pairwise tree here would make the SLP
// vectorizer pair the accumulators badly: 2-wide instead of 4/8-wide).
template <class T> T combine(const T (&acc)[kLanes]) {
  T s = acc[0];
  for (int j = 1; j < kLanes; ++j)
    s += acc[j];
  return s;
}

} // namespace

double dot(const double *x, const double *y, std::size_t n) {
  double acc[kLanes] = {};
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; ++j)
      acc[j] += x[i + j] * y[i + j];
  for (; i < n; ++i)
    acc[0] += x[i] * y[i];
  return combine(acc);
}

void axpy(float a, const float *x, float *y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    y[i] = a * x[i] + y[i];
}

void gemm(const float *a, const float *b, float *c, int m, int n, int k) {
  for (int i = 0; i < m; ++i) {
    float *ci = c + static_cast<std::size_t>(i) * n;
    for (int j = 0; j < n; ++j)
      ci[j] = 0.0f;
    for (int p = 0; p < k; ++p) {
      const float aip = a[static_cast<std::size_t>(i) * k + p];
      const float *bp = b + static_cast<std::size_t>(p) * n;
      for (int j = 0; j < n; ++j)
        ci[j] += aip * bp[j];
    }
  }
}

void stencil(const double *in, double *out, double *tmp, int n, int sweeps) {
  // Ping-pong so that the last sweep writes `out`.
  const double *src = in;
  double *dst = (sweeps % 2) ? out : tmp;
  for (int s = 0; s < sweeps; ++s) {
    for (int j = 0; j < n; ++j) { // fixed boundary rows
      dst[j] = src[j];
      dst[static_cast<std::size_t>(n - 1) * n + j] =
          src[static_cast<std::size_t>(n - 1) * n + j];
    }
    for (int i = 1; i < n - 1; ++i) {
      const double *up = src + static_cast<std::size_t>(i - 1) * n;
      const double *mid = up + n;
      const double *down = mid + n;
      double *row = dst + static_cast<std::size_t>(i) * n;
      row[0] = mid[0];
      row[n - 1] = mid[n - 1];
      for (int j = 1; j < n - 1; ++j)
        row[j] = 0.5 * mid[j] +
                 0.125 * ((up[j] + down[j]) + (mid[j - 1] + mid[j + 1]));
    }
    src = dst;
    dst = (dst == out) ? tmp : out;
  }
}

void polynomial(const double *c, const double *x, double *y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double xi = x[i];
    double r = c[kPolyDegree];
    for (int j = kPolyDegree - 1; j >= 0; --j)
      r = r * xi + c[j];
    y[i] = r;
  }
}

void softmax(const float *x, float *y, int rows, int cols) {
  for (int r = 0; r < rows; ++r) {
    const float *xr = x + static_cast<std::size_t>(r) * cols;
    float *yr = y + static_cast<std::size_t>(r) * cols;
    float mx[kLanes];
    for (int j = 0; j < kLanes; ++j)
      mx[j] = -std::numeric_limits<float>::infinity();
    int i = 0;
    for (; i + kLanes <= cols; i += kLanes)
      for (int j = 0; j < kLanes; ++j)
        mx[j] = xr[i + j] > mx[j] ? xr[i + j] : mx[j];
    for (; i < cols; ++i)
      mx[0] = xr[i] > mx[0] ? xr[i] : mx[0];
    float m = mx[0];
    for (int j = 1; j < kLanes; ++j)
      m = mx[j] > m ? mx[j] : m;

    float acc[kLanes] = {};
    for (i = 0; i + kLanes <= cols; i += kLanes)
      for (int j = 0; j < kLanes; ++j) {
        const float e = std::exp(xr[i + j] - m);
        yr[i + j] = e;
        acc[j] += e;
      }
    for (; i < cols; ++i) {
      const float e = std::exp(xr[i] - m);
      yr[i] = e;
      acc[0] += e;
    }
    const float inv = 1.0f / combine(acc);
    for (i = 0; i < cols; ++i)
      yr[i] *= inv;
  }
}

void conv2d(const float *in, const float *filter, float *out, int h, int w) {
  const int oh = h - kConvTaps + 1, ow = w - kConvTaps + 1;
  for (int y = 0; y < oh; ++y) {
    float *orow = out + static_cast<std::size_t>(y) * ow;
    for (int x = 0; x < ow; ++x) {
      float acc = 0.0f;
      for (int ky = 0; ky < kConvTaps; ++ky) {
        const float *irow = in + static_cast<std::size_t>(y + ky) * w + x;
        for (int kx = 0; kx < kConvTaps; ++kx)
          acc += filter[ky * kConvTaps + kx] * irow[kx];
      }
      orow[x] = acc;
    }
  }
}

void layernorm(const float *x, const float *gamma, const float *beta, float *y,
               int rows, int cols) {
  for (int r = 0; r < rows; ++r) {
    const float *xr = x + static_cast<std::size_t>(r) * cols;
    float *yr = y + static_cast<std::size_t>(r) * cols;
    float acc[kLanes] = {};
    int i = 0;
    for (; i + kLanes <= cols; i += kLanes)
      for (int j = 0; j < kLanes; ++j)
        acc[j] += xr[i + j];
    for (; i < cols; ++i)
      acc[0] += xr[i];
    const float mean = combine(acc) / static_cast<float>(cols);

    float sq[kLanes] = {};
    for (i = 0; i + kLanes <= cols; i += kLanes)
      for (int j = 0; j < kLanes; ++j) {
        const float d = xr[i + j] - mean;
        sq[j] += d * d;
      }
    for (; i < cols; ++i) {
      const float d = xr[i] - mean;
      sq[0] += d * d;
    }
    const float var = combine(sq) / static_cast<float>(cols);
    const float inv = 1.0f / std::sqrt(var + 1e-5f);
    for (i = 0; i < cols; ++i)
      yr[i] = (xr[i] - mean) * inv * gamma[i] + beta[i];
  }
}

} // namespace prism_bench::PRISM_BENCH_NS
