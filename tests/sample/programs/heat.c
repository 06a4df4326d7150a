/* heat.c - a small real program for the prism-sample end-to-end test: an
 * explicit 1-D heat equation (well conditioned), a float harmonic sum
 * (stagnation) and a cancellation (ill conditioned). Prints 18 numbers and
 * records named quantities with prism_probe(). Built with prism-cc. */
#include <prism.h>
#include <stdio.h>

#define N 48

int main(void) {
  double u[N], v[N];
  for (int i = 0; i < N; i++)
    u[i] = (i > N / 4 && i < 3 * N / 4) ? 1.0 + 0.01 * i : 0.0;
  const double r = 0.24;
  for (int step = 1; step <= 400; step++) {
    v[0] = u[0];
    v[N - 1] = u[N - 1];
    for (int i = 1; i < N - 1; i++)
      v[i] = u[i] + r * (u[i - 1] - 2.0 * u[i] + u[i + 1]);
    for (int i = 0; i < N; i++)
      u[i] = v[i];
    if (step % 100 == 0) {
      double energy = 0.0;
      for (int i = 0; i < N; i++)
        energy += u[i] * u[i];
      prism_probe("energy", energy);
    }
  }
  for (int i = 0; i < N; i += 3)
    printf("%.17g\n", u[i]);

  float h = 0.0f;
  for (int i = 1; i <= 20000; i++)
    h += 1.0f / (float)i;
  prism_probe("harmonic_float", (double)h);
  printf("%.9g\n", (double)h);

  /* 1000 small terms added to 1e8, then 1e8 taken away again: each addition
     rounds at ulp(1e8) ~ 1.5e-8, and the cancellation leaves ~30 bits. */
  double acc = 1e8;
  for (int i = 1; i <= 1000; i++)
    acc += 1e-3 * i;
  double c = acc - 1e8;
  prism_probe("cancellation", c);
  printf("%.17g\n", c);
  return 0;
}
