#include "kern.h"

#include <math.h>

static volatile double one = 1.0, three = 3.0;

double kern_harmonic(int n) {
  double s = 0;
  for (int i = 1; i <= n; i++)
    s += one / i;
  return sqrt(s * s);
}

unsigned long long kern_sig(void) {
  unsigned long long sig = 0;
  for (int k = 0; k < 64; k++)
    if (one / three != 0x1.5555555555555p-2)
      sig |= 1ull << k;
  return sig;
}
