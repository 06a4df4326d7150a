/* sig.h - tiny probes shared by the e2e programs (static: each translation
 * unit, hence each instrumented library, gets its own instrumented copy).
 *
 * probe_sig(): 64 divisions 1/3 in double. Bit k is set when division k did
 * not return the round-to-nearest result: 0 under ieee (and when prism is
 * disabled), a random-looking word under sr (RU with probability 1/3 each), so
 * two independent streams collide with probability (5/9)^64.
 * probe_sum(): a float and a double harmonic sum, perturbed under sr. */
#ifndef PRISM_E2E_SIG_H
#define PRISM_E2E_SIG_H

#include <stdint.h>

static volatile double probe_one = 1.0, probe_three = 3.0;

__attribute__((noinline, unused)) static unsigned long long probe_sig(void) {
  unsigned long long sig = 0;
  for (int k = 0; k < 64; k++) {
    double q = probe_one / probe_three;
    if (q != 0x1.5555555555555p-2)
      sig |= 1ull << k;
  }
  return sig;
}

__attribute__((noinline, unused)) static double probe_sum(int n) {
  double s = 0;
  float f = 0;
  for (int i = 1; i <= n; i++) {
    s += probe_one / i;
    f += (float)probe_one / (float)i;
  }
  return s + f;
}

#endif
