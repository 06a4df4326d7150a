/* each_op.c - one function per instrumented operation kind, each printing a
 * digest of its results: under sr every line must change with the seed. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define N 67 /* full vectors and a remainder */

static float af[N], bf[N], cf[N], rf[N];
static double ad[N], bd[N], cd[N], rd[N];

static uint64_t digest(const void *p, size_t bytes) {
  uint64_t h = 1469598103934665603ull;
  const unsigned char *c = (const unsigned char *)p;
  for (size_t i = 0; i < bytes; i++)
    h = (h ^ c[i]) * 1099511628211ull;
  return h;
}
#define REPORT(name, arr) printf("%-14s %016llx\n", name, (unsigned long long)digest(arr, sizeof arr))

__attribute__((noinline)) static void op_add(void) {
  for (int i = 0; i < N; i++) rf[i] = af[i] + bf[i], rd[i] = ad[i] + bd[i];
}
__attribute__((noinline)) static void op_sub(void) {
  for (int i = 0; i < N; i++) rf[i] = af[i] - bf[i], rd[i] = ad[i] - bd[i];
}
__attribute__((noinline)) static void op_mul(void) {
  for (int i = 0; i < N; i++) rf[i] = af[i] * bf[i], rd[i] = ad[i] * bd[i];
}
__attribute__((noinline)) static void op_div(void) {
  for (int i = 0; i < N; i++) rf[i] = af[i] / bf[i], rd[i] = ad[i] / bd[i];
}
__attribute__((noinline)) static void op_fma(void) {
  for (int i = 0; i < N; i++)
    rf[i] = fmaf(af[i], bf[i], cf[i]), rd[i] = fma(ad[i], bd[i], cd[i]);
}
__attribute__((noinline)) static void op_fmuladd(void) {
  for (int i = 0; i < N; i++) rf[i] = af[i] * bf[i] + cf[i], rd[i] = ad[i] * bd[i] + cd[i];
}
__attribute__((noinline)) static void op_sqrt(void) {
  for (int i = 0; i < N; i++) rf[i] = sqrtf(af[i]), rd[i] = sqrt(ad[i]);
}
__attribute__((noinline)) static void op_fptrunc(void) {
  for (int i = 0; i < N; i++) rf[i] = (float)(ad[i] / 3.0);
}
/* A reassociable reduction (llvm.vector.reduce.fadd with reassoc), long
 * enough that sr's noise exceeds an ulp of the sum. */
#define NR 4099
static float redf[NR];
static double redd[NR];
__attribute__((noinline)) static void op_reduce(void) {
#pragma clang fp reassociate(on)
  float sf = 0;
  double sd = 0;
  for (int i = 0; i < NR; i++) sf += redf[i], sd += redd[i];
  for (int i = 0; i < N; i++) rf[i] = sf, rd[i] = sd;
}

int main(void) {
  uint32_t s = 7u;
  for (int i = 0; i < N; i++) {
    s = s * 1664525u + 1013904223u;
    af[i] = 1.0f + (float)(s >> 9) * 0x1p-23f;
    uint64_t hi = s;
    s = s * 1664525u + 1013904223u;
    ad[i] = 1.0 + (double)(((hi << 32) | s) >> 12) * 0x1p-52; /* full significand */
    bf[i] = 3.0f + (float)(s >> 9) * 0x1p-21f;
    s = s * 1664525u + 1013904223u;
    hi = s;
    s = s * 1664525u + 1013904223u;
    bd[i] = 3.0 + (double)(((hi << 32) | s) >> 12) * 0x1p-50;
    cf[i] = 0.1f * (float)i;
    cd[i] = 0.1 * (double)i;
  }
  for (int i = 0; i < NR; i++) {
    /* Alternating signs keep the sum small: each addition's error is then
       large against the sum's ulp. */
    redf[i] = (i & 1 ? -1.0f : 1.0f) * af[(i * 7) % N] * 1.25f;
    redd[i] = (i & 1 ? -1.0 : 1.0) * ad[(i * 7) % N] * 1.25;
  }
  struct { const char *name; void (*fn)(void); int f32, f64; } ops[] = {
      {"fadd", op_add, 1, 1},       {"fsub", op_sub, 1, 1},   {"fmul", op_mul, 1, 1},
      {"fdiv", op_div, 1, 1},       {"fma", op_fma, 1, 1},    {"fmuladd", op_fmuladd, 1, 1},
      {"sqrt", op_sqrt, 1, 1},      {"fptrunc", op_fptrunc, 1, 0},
      {"reduce.fadd", op_reduce, 1, 1}};
  for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
    char name[32];
    memset(rf, 0, sizeof rf);
    memset(rd, 0, sizeof rd);
    ops[k].fn();
    if (ops[k].f32) { snprintf(name, sizeof name, "%s.f32", ops[k].name); REPORT(name, rf); }
    if (ops[k].f64) { snprintf(name, sizeof name, "%s.f64", ops[k].name); REPORT(name, rd); }
  }
  return 0;
}
