#include <math.h>
#include <stdio.h>

#include "kern.h"

int main(void) {
  double h = kern_harmonic(10000);
  int ok = fabs(h - 9.787606036044382) < 1e-9;
  printf("selftest %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
