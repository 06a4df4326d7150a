/* omp.c - OpenMP: a parallel loop whose per-element results are summed
 * sequentially (deterministic natively), and one probe per thread. */
#include <math.h>
#include <omp.h>
#include <stdio.h>

#include "sig.h"

#define N 4096
static double y[N];
static unsigned long long sigs[64];

int main(void) {
  int nthreads = 0;
#pragma omp parallel
  {
#pragma omp single
    nthreads = omp_get_num_threads();
  }
#pragma omp parallel for schedule(static)
  for (int i = 0; i < N; i++) {
    double t = 1.0 / (i + 1);
    y[i] = t * t + sqrt(t) / 3.0;
  }
  double s = 0;
  for (int i = 0; i < N; i++)
    s += y[i];
#pragma omp parallel
  {
    int id = omp_get_thread_num();
    if (id < 64)
      sigs[id] = probe_sig();
  }
  printf("threads %d\n", nthreads);
  printf("sum %a\n", s);
  for (int k = 0; k < nthreads && k < 64; k++)
    printf("sig%d %016llx\n", k, sigs[k]);
  return 0;
}
