/* chop_ops.c - held-out program of the chop suite, built with prism-cc.
 *
 * Reads operand lines "A B C FA FB FC" (bit patterns in hex: three doubles,
 * three floats) from the file argv[1], applies every instrumented operation
 * to them, scalar (noinline functions) and vector (loops over arrays, which
 * the loop vectorizer turns into vector operations), and prints one line per
 * result:
 *     <s|v> <op> <d|f> <a> <b> <c> <result>        (hex floats, %a)
 * op: add sub mul div fma sqrt muladd (a*b+c contracted to llvm.fmuladd),
 * and trunc (double a -> float). With a second argument "double", only the
 * double operations run (a double-only program, for formats wider than
 * float). No floating-point operation is used to read
 * or print (fpext to print a float is exact and not instrumented), so every
 * printed result is exactly one instrumented operation's result. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXN 8192

static double da[MAXN], db[MAXN], dc[MAXN], dr[MAXN];
static float fa[MAXN], fb[MAXN], fc[MAXN], fr[MAXN];

#define NOINLINE __attribute__((noinline))

/* ---- scalar ---- */
NOINLINE static double s_add_d(double a, double b) { return a + b; }
NOINLINE static double s_sub_d(double a, double b) { return a - b; }
NOINLINE static double s_mul_d(double a, double b) { return a * b; }
NOINLINE static double s_div_d(double a, double b) { return a / b; }
NOINLINE static double s_fma_d(double a, double b, double c) { return fma(a, b, c); }
NOINLINE static double s_sqrt_d(double a) { return sqrt(a); }
NOINLINE static float s_add_f(float a, float b) { return a + b; }
NOINLINE static float s_sub_f(float a, float b) { return a - b; }
NOINLINE static float s_mul_f(float a, float b) { return a * b; }
NOINLINE static float s_div_f(float a, float b) { return a / b; }
NOINLINE static float s_fma_f(float a, float b, float c) { return fmaf(a, b, c); }
NOINLINE static float s_sqrt_f(float a) { return sqrtf(a); }
NOINLINE static float s_trunc(double a) { return (float)a; }
NOINLINE static double s_muladd_d(double a, double b, double c) {
#pragma clang fp contract(on)
  return a * b + c;
}
NOINLINE static float s_muladd_f(float a, float b, float c) {
#pragma clang fp contract(on)
  return a * b + c;
}

/* ---- vector ---- */
#define R restrict
NOINLINE static void v_add_d(double *R r, const double *R a, const double *R b, int n) { for (int i = 0; i < n; i++) r[i] = a[i] + b[i]; }
NOINLINE static void v_sub_d(double *R r, const double *R a, const double *R b, int n) { for (int i = 0; i < n; i++) r[i] = a[i] - b[i]; }
NOINLINE static void v_mul_d(double *R r, const double *R a, const double *R b, int n) { for (int i = 0; i < n; i++) r[i] = a[i] * b[i]; }
NOINLINE static void v_div_d(double *R r, const double *R a, const double *R b, int n) { for (int i = 0; i < n; i++) r[i] = a[i] / b[i]; }
NOINLINE static void v_fma_d(double *R r, const double *R a, const double *R b, const double *R c, int n) { for (int i = 0; i < n; i++) r[i] = fma(a[i], b[i], c[i]); }
NOINLINE static void v_sqrt_d(double *R r, const double *R a, int n) { for (int i = 0; i < n; i++) r[i] = sqrt(a[i]); }
NOINLINE static void v_add_f(float *R r, const float *R a, const float *R b, int n) { for (int i = 0; i < n; i++) r[i] = a[i] + b[i]; }
NOINLINE static void v_sub_f(float *R r, const float *R a, const float *R b, int n) { for (int i = 0; i < n; i++) r[i] = a[i] - b[i]; }
NOINLINE static void v_mul_f(float *R r, const float *R a, const float *R b, int n) { for (int i = 0; i < n; i++) r[i] = a[i] * b[i]; }
NOINLINE static void v_div_f(float *R r, const float *R a, const float *R b, int n) { for (int i = 0; i < n; i++) r[i] = a[i] / b[i]; }
NOINLINE static void v_fma_f(float *R r, const float *R a, const float *R b, const float *R c, int n) { for (int i = 0; i < n; i++) r[i] = fmaf(a[i], b[i], c[i]); }
NOINLINE static void v_sqrt_f(float *R r, const float *R a, int n) { for (int i = 0; i < n; i++) r[i] = sqrtf(a[i]); }
NOINLINE static void v_trunc(float *R r, const double *R a, int n) { for (int i = 0; i < n; i++) r[i] = (float)a[i]; }
NOINLINE static void v_muladd_d(double *R r, const double *R a, const double *R b, const double *R c, int n) {
#pragma clang fp contract(on)
  for (int i = 0; i < n; i++) r[i] = a[i] * b[i] + c[i];
}
NOINLINE static void v_muladd_f(float *R r, const float *R a, const float *R b, const float *R c, int n) {
#pragma clang fp contract(on)
  for (int i = 0; i < n; i++) r[i] = a[i] * b[i] + c[i];
}

static void outd(const char *k, const char *op, int i, double r) {
  printf("%s %s d %a %a %a %a\n", k, op, da[i], db[i], dc[i], r);
}
static void outf(const char *k, const char *op, int i, float r) {
  printf("%s %s f %a %a %a %a\n", k, op, (double)fa[i], (double)fb[i], (double)fc[i], (double)r);
}

int main(int argc, char **argv) {
  if (argc != 2 && !(argc == 3 && strcmp(argv[2], "double") == 0)) {
    fprintf(stderr, "usage: %s OPERANDS-FILE [double]\n", argv[0]);
    return 64;
  }
  const int floats = argc == 2;
  FILE *in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 66;
  }
  int n = 0;
  unsigned long long a, b, c;
  unsigned x, y, z;
  while (n < MAXN && fscanf(in, "%llx %llx %llx %x %x %x", &a, &b, &c, &x, &y, &z) == 6) {
    memcpy(&da[n], &a, 8);
    memcpy(&db[n], &b, 8);
    memcpy(&dc[n], &c, 8);
    memcpy(&fa[n], &x, 4);
    memcpy(&fb[n], &y, 4);
    memcpy(&fc[n], &z, 4);
    n++;
  }
  fclose(in);

  for (int i = 0; i < n; i++) {
    outd("s", "add", i, s_add_d(da[i], db[i]));
    outd("s", "sub", i, s_sub_d(da[i], db[i]));
    outd("s", "mul", i, s_mul_d(da[i], db[i]));
    outd("s", "div", i, s_div_d(da[i], db[i]));
    outd("s", "fma", i, s_fma_d(da[i], db[i], dc[i]));
    outd("s", "sqrt", i, s_sqrt_d(da[i]));
    outd("s", "muladd", i, s_muladd_d(da[i], db[i], dc[i]));
    if (!floats)
      continue;
    outf("s", "add", i, s_add_f(fa[i], fb[i]));
    outf("s", "sub", i, s_sub_f(fa[i], fb[i]));
    outf("s", "mul", i, s_mul_f(fa[i], fb[i]));
    outf("s", "div", i, s_div_f(fa[i], fb[i]));
    outf("s", "fma", i, s_fma_f(fa[i], fb[i], fc[i]));
    outf("s", "sqrt", i, s_sqrt_f(fa[i]));
    outf("s", "muladd", i, s_muladd_f(fa[i], fb[i], fc[i]));
    printf("s trunc f %a 0x0p+0 0x0p+0 %a\n", da[i], (double)s_trunc(da[i]));
  }

#define VD(name, call)                                                         \
  call;                                                                        \
  for (int i = 0; i < n; i++)                                                  \
    outd("v", name, i, dr[i]);
#define VF(name, call)                                                         \
  call;                                                                        \
  for (int i = 0; i < n; i++)                                                  \
    outf("v", name, i, fr[i]);
  VD("add", v_add_d(dr, da, db, n))
  VD("sub", v_sub_d(dr, da, db, n))
  VD("mul", v_mul_d(dr, da, db, n))
  VD("div", v_div_d(dr, da, db, n))
  VD("fma", v_fma_d(dr, da, db, dc, n))
  VD("sqrt", v_sqrt_d(dr, da, n))
  VD("muladd", v_muladd_d(dr, da, db, dc, n))
  if (!floats)
    return 0;
  VF("add", v_add_f(fr, fa, fb, n))
  VF("sub", v_sub_f(fr, fa, fb, n))
  VF("mul", v_mul_f(fr, fa, fb, n))
  VF("div", v_div_f(fr, fa, fb, n))
  VF("fma", v_fma_f(fr, fa, fb, fc, n))
  VF("sqrt", v_sqrt_f(fr, fa, n))
  VF("muladd", v_muladd_f(fr, fa, fb, fc, n))
  v_trunc(fr, da, n);
  for (int i = 0; i < n; i++)
    printf("v trunc f %a 0x0p+0 0x0p+0 %a\n", da[i], (double)fr[i]);
  return 0;
}
