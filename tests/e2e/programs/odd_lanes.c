/* odd_lanes.c - vectors whose lane count is not a power of two (3, 5, 7
 * floats; 3, 6 doubles). In memory they are padded to the next power of two
 * and the compiler loads and computes the padding lanes too: the padding is
 * zeroed here so that every run sees the same values (see
 * KnownBugs.SrRandomDrawsDependOnPaddingLanes for what happens otherwise). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef float f3 __attribute__((ext_vector_type(3)));
typedef float f5 __attribute__((ext_vector_type(5)));
typedef float f7 __attribute__((ext_vector_type(7)));
typedef double d3 __attribute__((ext_vector_type(3)));
typedef double d6 __attribute__((ext_vector_type(6)));

static uint32_t g_s = 4242u;
static double next(void) {
  g_s = g_s * 1664525u + 1013904223u;
  return (double)(g_s >> 8) * 0x1p-24 + 0.5;
}

#define KERNEL(name, T, expr)                                                  \
  __attribute__((noinline)) void name(T *r, const T *pa, const T *pb) {        \
    T a = *pa, b = *pb;                                                        \
    *r = (expr);                                                               \
  }
KERNEL(k3, f3, (a * b + a) / (b + 1.0f) - b * 0.5f)
KERNEL(k5, f5, a / b + a * 0.25f)
KERNEL(k7, f7, (a - b) * (a + b) / (a * a + 1.0f))
KERNEL(kd3, d3, (a * b + a) / (b + 1.0) - b * 0.5)
KERNEL(kd6, d6, (a - b) * (a + b) / (a * a + 1.0))

#define RUN(T, n, kern, label)                                                 \
  do {                                                                         \
    T a, b;                                                                    \
    memset(&a, 0, sizeof a);                                                   \
    memset(&b, 0, sizeof b);                                                   \
    for (int i = 0; i < (n); i++) {                                            \
      a[i] = next();                                                           \
      b[i] = next();                                                           \
    }                                                                          \
    for (int r = 0; r < 30; r++)                                               \
      kern(&a, &a, &b);                                                        \
    printf("%-4s", label);                                                     \
    for (int i = 0; i < (n); i++)                                              \
      printf(" %a", (double)a[i]);                                             \
    printf("\n");                                                              \
  } while (0)

int main(void) {
  RUN(f3, 3, k3, "f3");
  RUN(f5, 5, k5, "f5");
  RUN(f7, 7, k7, "f7");
  RUN(d3, 3, kd3, "d3");
  RUN(d6, 6, kd6, "d6");
  return 0;
}
