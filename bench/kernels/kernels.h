// kernels.h - the kernels of the prism benchmark suite.
//
// kernels.cpp is compiled twice from the same source: once by clang++-19
// (namespace prism_bench::native) and once by prism-c++ (namespace
// prism_bench::instrumented), with the same flags (-O3 -march=native). The
// harness links both objects and times them against each other in one run.
#ifndef PRISM_BENCH_KERNELS_H
#define PRISM_BENCH_KERNELS_H

#include <cstddef>

namespace prism_bench {

// Sizes shared by the harness and the kernels; every working set fits in the
// 512 KiB L2 of a Zen 3 core.
inline constexpr int kPolyDegree = 15; // polynomial: 16 coefficients
inline constexpr int kConvTaps = 5;    // conv2d: 5x5 filter

} // namespace prism_bench

#define PRISM_BENCH_DECLARE_KERNELS(NS)                                        \
  namespace prism_bench::NS {                                                  \
  /* sum_i x[i] * y[i] */                                                      \
  double dot(const double *x, const double *y, std::size_t n);                 \
  /* y[i] = a * x[i] + y[i] */                                                 \
  void axpy(float a, const float *x, float *y, std::size_t n);                 \
  /* c = a * b; a is m x k, b is k x n, c is m x n, row-major */               \
  void gemm(const float *a, const float *b, float *c, int m, int n, int k);    \
  /* `sweeps` Jacobi sweeps of a 5-point stencil on an n x n grid with fixed   \
     boundary; reads `in`, result in `out`, `tmp` is scratch of n * n */       \
  void stencil(const double *in, double *out, double *tmp, int n, int sweeps); \
  /* y[i] = sum_j c[j] * x[i]^j by Horner, degree kPolyDegree */               \
  void polynomial(const double *c, const double *x, double *y, std::size_t n); \
  /* row-wise softmax of a rows x cols matrix */                               \
  void softmax(const float *x, float *y, int rows, int cols);                  \
  /* valid 2-D convolution of an h x w image by a kConvTaps^2 filter; out is   \
     (h - kConvTaps + 1) x (w - kConvTaps + 1) */                              \
  void conv2d(const float *in, const float *filter, float *out, int h, int w); \
  /* row-wise layer normalization with gain and bias, epsilon 1e-5 */          \
  void layernorm(const float *x, const float *gamma, const float *beta,        \
                 float *y, int rows, int cols);                                \
  }

PRISM_BENCH_DECLARE_KERNELS(native)
PRISM_BENCH_DECLARE_KERNELS(instrumented)

#endif
