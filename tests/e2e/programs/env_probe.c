/* env_probe.c - a small instrumented program for the launch-time tests:
 * prints the backend name, one double and one float addition, a double
 * harmonic sum and the sr probe. Built at -O0 so that the number of additions
 * is exactly: 1 (add) + 1000 (sum) double, 1 float. */
#include <prism.h>
#include <stdio.h>

static volatile double a = 1.0, b = 2.0;
static volatile float fa = 1.0f, fb = 2.0f;

int main(void) {
  double add = a + b;
  float addf = fa + fb;
  double s = 0;
  for (int i = 1; i <= 1000; i++)
    s += a / i;
  printf("main ran\n");
  printf("backend=%s\n", prism_backend_name());
  printf("add=%a addf=%a\n", add, (double)addf);
  printf("sum=%a\n", s);
  return 0;
}
