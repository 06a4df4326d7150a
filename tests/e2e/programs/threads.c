/* threads.c - per-thread random streams: main and NT pthreads run the same
 * computation; threads are created in a fixed order. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#include "sig.h"

#define NT 3

static unsigned long long sigs[NT];
static double sums[NT];

static void *worker(void *p) {
  intptr_t k = (intptr_t)p;
  sigs[k] = probe_sig();
  sums[k] = probe_sum(2000);
  return NULL;
}

int main(void) {
  pthread_t t[NT];
  unsigned long long msig = probe_sig();
  double msum = probe_sum(2000);
  for (intptr_t k = 0; k < NT; k++)
    if (pthread_create(&t[k], NULL, worker, (void *)k) != 0)
      return 1;
  for (int k = 0; k < NT; k++)
    pthread_join(t[k], NULL);
  printf("main sig=%016llx sum=%a\n", msig, msum);
  for (int k = 0; k < NT; k++)
    printf("thread%d sig=%016llx sum=%a\n", k, sigs[k], sums[k]);
  return 0;
}
