/* vectors.c - explicit vector types of power-of-two lane counts (4, 8, 16, 32
 * floats; 2, 8 doubles) plus a 2-D stencil the vectorizers widen. The generic
 * vectors are legalized differently at every -march: the results must not
 * change under the ieee backend. Lane counts with padding (3, 5, 7) are in
 * odd_lanes.c. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef float f4 __attribute__((ext_vector_type(4)));
typedef float f8 __attribute__((ext_vector_type(8)));
typedef float f16 __attribute__((ext_vector_type(16)));
typedef float f32x32 __attribute__((ext_vector_type(32)));
typedef double d2 __attribute__((ext_vector_type(2)));
typedef double d8 __attribute__((ext_vector_type(8)));

static uint32_t g_s = 777u;
static float rf(void) {
  g_s = g_s * 1664525u + 1013904223u;
  return (float)(g_s >> 9) * 0x1p-23f + 0.5f;
}
static double rd(void) {
  g_s = g_s * 1664525u + 1013904223u;
  return (double)(g_s >> 4) * 0x1p-28 + 0.5;
}

#define FILL(v, n, gen)                                                        \
  for (int i_ = 0; i_ < (n); i_++) (v)[i_] = gen()

#define REDUCE_PRINT(name, v, n)                                               \
  do {                                                                         \
    double s_ = 0;                                                             \
    for (int i_ = 0; i_ < (n); i_++) s_ = s_ * 0.5 + (double)(v)[i_];          \
    printf("%-8s %a %a\n", name, s_, (double)(v)[(n) - 1]);                    \
  } while (0)

/* Kernels take and return their vectors through pointers and have external
 * linkage (no argument promotion): their entry blocks start with loads. See
 * the KnownBugs tests for vectors passed by value. */
#define KERNEL(name, T, expr)                                                  \
  __attribute__((noinline)) void name(T *r, const T *pa, const T *pb,          \
                                      const T *pc) {                           \
    T a = *pa, b = *pb, c = *pc;                                               \
    (void)c;                                                                   \
    *r = (expr);                                                               \
  }
KERNEL(k4, f4, a * b - c * a + b / c)
KERNEL(k8, f8, (a + b) * (c - a) / (b + c))
KERNEL(k16, f16, (a * b * c + a / b) * 0.5f)
KERNEL(k32, f32x32, (a * 0.5f - b / a + b) * 0.25f + 1.0f)
KERNEL(kd2, d2, (a * b + a / b) * 0.5)
KERNEL(kd8, d8, (a / b + c * a - b) * 0.5)

/* <8 x double> -> <8 x float>: a vector fptrunc. */
__attribute__((noinline)) void narrow8(f8 *r, const d8 *a, const d8 *b) {
  *r = __builtin_convertvector(*a * *b, f8);
}

#define NX 67
#define NY 45
static float grid[2][NY][NX];
static double gridd[2][NY][NX];

__attribute__((noinline)) static void jacobi(int steps) {
  for (int t = 0; t < steps; t++) {
    int a = t & 1, b = a ^ 1;
    for (int y = 1; y < NY - 1; y++)
      for (int x = 1; x < NX - 1; x++) {
        grid[b][y][x] = 0.25f * (grid[a][y][x - 1] + grid[a][y][x + 1] +
                                 grid[a][y - 1][x] + grid[a][y + 1][x]);
        gridd[b][y][x] = 0.2 * (gridd[a][y][x - 1] + gridd[a][y][x + 1] +
                                gridd[a][y - 1][x] + gridd[a][y + 1][x] +
                                gridd[a][y][x]);
      }
  }
}

int main(void) {
  f4 a4, b4, c4; FILL(a4, 4, rf); FILL(b4, 4, rf); FILL(c4, 4, rf);
  f8 a8, b8, c8; FILL(a8, 8, rf); FILL(b8, 8, rf); FILL(c8, 8, rf);
  f16 a16, b16, c16; FILL(a16, 16, rf); FILL(b16, 16, rf); FILL(c16, 16, rf);
  f32x32 a32, b32; FILL(a32, 32, rf); FILL(b32, 32, rf);
  d2 e2, g2; FILL(e2, 2, rd); FILL(g2, 2, rd);
  d8 e8, g8, h8; FILL(e8, 8, rd); FILL(g8, 8, rd); FILL(h8, 8, rd);

  for (int r = 0; r < 20; r++) {
    k4(&a4, &a4, &b4, &c4);
    k8(&a8, &a8, &b8, &c8);
    k16(&a16, &a16, &b16, &c16);
    k32(&a32, &a32, &b32, &b32);
    kd2(&e2, &e2, &g2, &g2);
    kd8(&e8, &e8, &g8, &h8);
  }
  REDUCE_PRINT("f4", a4, 4);
  REDUCE_PRINT("f8", a8, 8);
  REDUCE_PRINT("f16", a16, 16);
  REDUCE_PRINT("f32", a32, 32);
  REDUCE_PRINT("d2", e2, 2);
  REDUCE_PRINT("d8", e8, 8);
  f8 n8;
  d8 t8 = h8 * (1.0 / 3);
  narrow8(&n8, &e8, &t8);
  REDUCE_PRINT("narrow8", n8, 8);

  for (int y = 0; y < NY; y++)
    for (int x = 0; x < NX; x++) {
      grid[0][y][x] = grid[1][y][x] = (x == 0 || y == 0) ? 1.0f : 0.0f;
      gridd[0][y][x] = gridd[1][y][x] = (x == NX - 1) ? 3.0 : rd() * 0.01;
    }
  jacobi(40);
  double sf = 0, sd = 0;
  for (int y = 0; y < NY; y++)
    for (int x = 0; x < NX; x++) {
      sf += grid[0][y][x];
      sd += gridd[0][y][x];
    }
  printf("jacobi   %a %a %a %a\n", sf, sd, (double)grid[0][NY / 2][NX / 2],
         gridd[0][NY / 3][NX / 3]);
  return 0;
}
