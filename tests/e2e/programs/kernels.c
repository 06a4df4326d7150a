/* kernels.c - vectorizable float/double kernels (no fast-math): sums, fma,
 * sqrt, division, reductions, double->float conversion. Prints every result
 * with %a so that any difference in the last bit shows. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#define N 1003 /* not a multiple of any vector width: remainder loops too */

static float xf[N], yf[N], zf[N];
static double xd[N], yd[N], zd[N];

/* Deterministic inputs from an integer generator (no FP in the generator). */
static uint32_t lcg(uint32_t *s) { return *s = *s * 1664525u + 1013904223u; }

static void init(void) {
  uint32_t s = 12345u;
  for (int i = 0; i < N; i++) {
    xd[i] = (double)(lcg(&s) >> 8) * 0x1p-24 + 0.5;    /* [0.5, 1.5) */
    yd[i] = (double)(lcg(&s) >> 8) * 0x1p-22 - 2.0;    /* [-2, 2) */
    xf[i] = (float)(lcg(&s) >> 9) * 0x1p-23f + 0.25f;  /* [0.25, 1.25) */
    yf[i] = (float)(lcg(&s) >> 9) * 0x1p-21f - 1.0f;   /* [-1, 3) */
  }
}

__attribute__((noinline)) static void axpy_f(float a) {
  for (int i = 0; i < N; i++) zf[i] = a * xf[i] + yf[i];
}
__attribute__((noinline)) static void axpy_d(double a) {
  for (int i = 0; i < N; i++) zd[i] = a * xd[i] + yd[i];
}
__attribute__((noinline)) static void explicit_fma(void) {
  for (int i = 0; i < N; i++) {
    zd[i] = fma(xd[i], yd[i], zd[i]);
    zf[i] = fmaf(xf[i], yf[i], zf[i]);
  }
}
__attribute__((noinline)) static void div_sqrt(void) {
  for (int i = 0; i < N; i++) {
    zd[i] = sqrt(xd[i]) / (yd[i] * yd[i] + 1.0);
    zf[i] = sqrtf(xf[i]) / (xf[i] + 0.75f) - zf[i];
  }
}
__attribute__((noinline)) static void narrow(void) {
  for (int i = 0; i < N; i++) zf[i] = (float)(zd[i] * 3.0) + zf[i];
}
__attribute__((noinline)) static double sum_d(const double *v) {
  double s = 0;
  for (int i = 0; i < N; i++) s += v[i];
  return s;
}
__attribute__((noinline)) static float sum_f(const float *v) {
  float s = 0;
  for (int i = 0; i < N; i++) s += v[i];
  return s;
}
__attribute__((noinline)) static double dot_d(void) {
  double s = 0;
  for (int i = 0; i < N; i++) s += xd[i] * yd[i];
  return s;
}
__attribute__((noinline)) static float dot_f(void) {
  float s = 0;
  for (int i = 0; i < N; i++) s += xf[i] * yf[i];
  return s;
}
__attribute__((noinline)) static double horner(double x) {
  static const double c[] = {1.0, -0.5, 1.0 / 3, -0.25, 0.2, -1.0 / 6, 1.0 / 7};
  double r = 0;
  for (int k = 6; k >= 0; k--) r = r * x + c[k];
  return r;
}
__attribute__((noinline)) static double harmonic(int n) {
  double s = 0;
  for (int i = 1; i <= n; i++) s += 1.0 / i;
  return s;
}
__attribute__((noinline)) static float harmonic_f(int n) {
  float s = 0;
  for (int i = 1; i <= n; i++) s += 1.0f / (float)i;
  return s;
}

int main(void) {
  init();
  axpy_f(1.5f);
  axpy_d(0.75);
  printf("axpy      %a %a\n", (double)sum_f(zf), sum_d(zd));
  explicit_fma();
  printf("fma       %a %a\n", (double)sum_f(zf), sum_d(zd));
  div_sqrt();
  printf("div_sqrt  %a %a\n", (double)sum_f(zf), sum_d(zd));
  narrow();
  printf("narrow    %a %a %a\n", (double)sum_f(zf), (double)zf[0], (double)zf[N - 1]);
  printf("dot       %a %a\n", (double)dot_f(), dot_d());
  printf("horner    %a %a\n", horner(0.3), horner(-0.7));
  printf("harmonic  %a %a\n", harmonic(5000), (double)harmonic_f(5000));
  printf("elements  %a %a %a %a\n", zd[1], zd[N / 2], (double)zf[2], (double)zf[N / 3]);
  return 0;
}
