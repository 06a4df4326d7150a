/* gemm_check.c - calls sgemm_, dgemm_ (Fortran BLAS) and cblas_sgemm,
 * cblas_dgemm (CBLAS) of whichever libblas.so.3 the loader finds, and prints
 * per call "name hash sum": an FNV-1a hash of the result's bit patterns (equal
 * hashes = bit-identical results) and the sum of its elements (to check that
 * perturbed results stay close). This file is compiled natively: all
 * floating-point work under test happens inside the library. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cblas.h>

void sgemm_(const char *ta, const char *tb, const int *m, const int *n,
            const int *k, const float *alpha, const float *a, const int *lda,
            const float *b, const int *ldb, const float *beta, float *c,
            const int *ldc);
void dgemm_(const char *ta, const char *tb, const int *m, const int *n,
            const int *k, const double *alpha, const double *a, const int *lda,
            const double *b, const int *ldb, const double *beta, double *c,
            const int *ldc);

enum { M = 61, N = 47, K = 203 };

static uint64_t fnv(const void *p, size_t n) {
  const unsigned char *b = p;
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++)
    h = (h ^ b[i]) * 1099511628211ull;
  return h;
}

static void report(const char *name, const void *c, size_t bytes, double sum) {
  printf("%s %016llx %.17e\n", name, (unsigned long long)fnv(c, bytes), sum);
}

int main(void) {
  static float as[M * K], bs[K * N], cs[M * N];
  static double ad[M * K], bd[K * N], cd[M * N];
  for (int i = 0; i < M * K; i++)
    ad[i] = 1.0 / (i % 97 + 1.5) - 0.3, as[i] = (float)ad[i];
  for (int i = 0; i < K * N; i++)
    bd[i] = (i % 89 + 0.25) / 37.0, bs[i] = (float)bd[i];
  int m = M, n = N, k = K;
  float alf = 1.25f, bef = 0.5f;
  double ald = 1.25, bed = 0.5;
  double sum;

  for (int i = 0; i < M * N; i++) cs[i] = 1.0f;
  sgemm_("N", "N", &m, &n, &k, &alf, as, &m, bs, &k, &bef, cs, &m);
  sum = 0;
  for (int i = 0; i < M * N; i++) sum += cs[i];
  report("sgemm_", cs, sizeof cs, sum);

  for (int i = 0; i < M * N; i++) cd[i] = 1.0;
  dgemm_("N", "N", &m, &n, &k, &ald, ad, &m, bd, &k, &bed, cd, &m);
  sum = 0;
  for (int i = 0; i < M * N; i++) sum += cd[i];
  report("dgemm_", cd, sizeof cd, sum);

  /* Row-major with a transposed B: CBLAS swaps operands into a Fortran call. */
  memset(cs, 0, sizeof cs);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, M, N, K, 1.0f, as, K,
              bs, K, 0.0f, cs, N);
  sum = 0;
  for (int i = 0; i < M * N; i++) sum += cs[i];
  report("cblas_sgemm", cs, sizeof cs, sum);

  memset(cd, 0, sizeof cd);
  cblas_dgemm(CblasColMajor, CblasTrans, CblasNoTrans, M, N, K, 1.0, ad, K, bd,
              K, 0.0, cd, M);
  sum = 0;
  for (int i = 0; i < M * N; i++) sum += cd[i];
  report("cblas_dgemm", cd, sizeof cd, sum);
  return 0;
}
