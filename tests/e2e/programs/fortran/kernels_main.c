/* kernels_main.c - C caller of the Fortran kernels of kernels.f90. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void fdot_(const int *n, const double *x, const double *y, double *r);
void fscal_(const int *n, const float *a, float *x);

int main(void) {
  enum { N = 500 };
  static double x[N], y[N];
  static float v[N];
  for (int i = 0; i < N; i++) {
    x[i] = 1.0 / (i + 1.5);
    y[i] = (i + 0.75) / 7.0;
    v[i] = (float)(i + 1) / 3.0f;
  }
  int n = N;
  double r;
  float a = 1.7f, s = 0;
  fdot_(&n, x, y, &r);
  fscal_(&n, &a, v);
  for (int i = 0; i < N; i++)
    s += v[i]; /* native C code: not instrumented */
  uint64_t rb;
  uint32_t sb;
  memcpy(&rb, &r, 8);
  memcpy(&sb, &s, 4);
  printf("fdot 8 %016llx %.17e\n", (unsigned long long)rb, r);
  printf("fscal 4 %08x %.9e\n", sb, (double)s);
  return 0;
}
