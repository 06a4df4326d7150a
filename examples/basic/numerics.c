/* numerics.c - four small computations whose trustworthy digits differ:
 * prism-sample (or scripts/demo.sh) shows how many survive under sr. */
#include <math.h>
#include <stdio.h>

/* Forward sum of 1/i^2 in float: stagnates once terms drop below the ulp. */
static float zeta2_float(int n) {
  float s = 0.0f;
  for (int i = 1; i <= n; i++)
    s += 1.0f / ((float)i * (float)i);
  return s;
}

/* Textbook one-pass variance of data with a large mean: cancellation. */
static double naive_variance(int n) {
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < n; i++) {
    double x = 1.0e8 + (double)(i % 7) * 0.1;
    sum += x;
    sum2 += x * x;
  }
  double mean = sum / n;
  return sum2 / n - mean * mean;
}

/* Ill-conditioned 2x2 system solved by Cramer's rule. */
static double cramer_x(void) {
  volatile double e = 1.234567e-10;
  double a = 1.0, b = 1.0, c = 1.0, d = 1.0 + e;
  double r1 = 2.0, r2 = 2.0 + e;
  return (r1 * d - b * r2) / (a * d - b * c);
}

/* A well-conditioned dot product of positive terms. */
static double dot_positive(int n) {
  double s = 0.0;
  for (int i = 1; i <= n; i++)
    s += sqrt((double)i) * (1.0 / i);
  return s;
}

int main(void) {
  printf("%.9g\n", (double)zeta2_float(1000000));
  printf("%.17g\n", naive_variance(100000));
  printf("%.17g\n", cramer_x());
  printf("%.17g\n", dot_positive(100000));
  return 0;
}
