/* stochastic_ops.c - applies one floating-point operation to given operands
 * many times and reports every distinct result with its count, for the
 * MPFR-oracle tests of the sr and ud backends (tests/stochastic).
 *
 *   stochastic_ops OP TYPE WIDTH REPS LAYOUT A,B,C [A,B,C ...]
 *
 * OP     add sub mul div fma fmuladd sqrt trunc   (trunc: double -> float)
 * TYPE   f32 f64   (trunc takes f64: the source type)
 * WIDTH  1 (plain scalars) 2 3 4 8 16 (clang ext_vector_type lanes)
 * LAYOUT splat:   each input fills every lane of its own vector;
 *        chain:   like splat, through kernels whose result is loop-carried
 *                 into the next repetition's first operand (never taken at
 *                 run time): the accumulator form (add, sub, fma, fmuladd);
 *        quarter: like splat, with the constant 0.25 in place of B
 *                 (fmuladd only: a * 0.25 + c, an exact product);
 *        lanes:   input k*WIDTH+l (mod N) goes to lane l of the k-th vector,
 *                 so neighbouring lanes hold different operands;
 *        disable: like splat, and each repetition computes the operation
 *                 three times: as is, between prism_disable() and
 *                 prism_enable(), and after (phases 0, 1, 2).
 * Operands are anything strtod reads (hex floats, inf, nan); unused ones may
 * be omitted. f32 operands must be floats (they are converted).
 *
 * Output: "r INPUT PHASE BITS VALUE COUNT" for each distinct result (bits in
 * hex, value as %a), "over INPUT PHASE COUNT" when more than kMaxDistinct
 * distinct results were seen, and "seq HASH": an FNV-1a hash of every result
 * in order (seeds must reproduce it).
 *
 * Each repetition reloads the operands through volatile loads, so the
 * compiler can neither hoist the operation out of the loop nor fold it. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Weak: the native (clang-19) build has no prism runtime. */
void prism_disable(void) __attribute__((weak));
void prism_enable(void) __attribute__((weak));

typedef float f2 __attribute__((ext_vector_type(2)));
typedef float f3 __attribute__((ext_vector_type(3)));
typedef float f4 __attribute__((ext_vector_type(4)));
typedef float f8 __attribute__((ext_vector_type(8)));
typedef float f16 __attribute__((ext_vector_type(16)));
typedef double d2 __attribute__((ext_vector_type(2)));
typedef double d3 __attribute__((ext_vector_type(3)));
typedef double d4 __attribute__((ext_vector_type(4)));
typedef double d8 __attribute__((ext_vector_type(8)));
typedef double d16 __attribute__((ext_vector_type(16)));

#define kMaxInputs 64
#define kMaxDistinct 6

static volatile double g_a[kMaxInputs], g_b[kMaxInputs], g_c[kMaxInputs];
static volatile float g_af[kMaxInputs], g_bf[kMaxInputs], g_cf[kMaxInputs];
static int g_n;

struct tally {
  uint64_t bits[kMaxDistinct];
  long count[kMaxDistinct];
  int distinct;
  long over;
};
static struct tally g_tally[kMaxInputs][3];
static uint64_t g_hash = 0xcbf29ce484222325ull;

/* Integer code only: nothing here is instrumented. Out of line: the kernels
   stay small (compile time). */
__attribute__((noinline)) static void record(int input, int phase, uint64_t bits) {
  struct tally *t = &g_tally[input][phase];
  g_hash = (g_hash ^ bits) * 0x100000001b3ull;
  for (int i = 0; i < t->distinct; i++)
    if (t->bits[i] == bits) {
      t->count[i]++;
      return;
    }
  if (t->distinct < kMaxDistinct) {
    t->bits[t->distinct] = bits;
    t->count[t->distinct++] = 1;
  } else {
    t->over++;
  }
}
__attribute__((noinline)) static void record_f(int input, int phase, float v) {
  uint32_t u;
  memcpy(&u, &v, sizeof u);
  record(input, phase, u);
}
__attribute__((noinline)) static void record_d(int input, int phase, double v) {
  uint64_t u;
  memcpy(&u, &v, sizeof u);
  record(input, phase, u);
}

/* The operations. S: scalar type, V: operand type (S or a vector), R: result
 * type, r = OP(a, b, c). */
#define OP_add(a, b, c) ((a) + (b))
#define OP_sub(a, b, c) ((a) - (b))
#define OP_mul(a, b, c) ((a) * (b))
#define OP_div(a, b, c) ((a) / (b))
#define OP_fmuladd(a, b, c) ((a) * (b) + (c)) /* -ffp-contract=on */
#define OP_fma_s_f32(a, b, c) fmaf(a, b, c)
#define OP_fma_s_f64(a, b, c) fma(a, b, c)
#define OP_fma_v(a, b, c) __builtin_elementwise_fma(a, b, c)
#define OP_sqrt_s_f32(a, b, c) sqrtf(a)
#define OP_sqrt_s_f64(a, b, c) sqrt(a)
#define OP_sqrt_v(a, b, c) __builtin_elementwise_sqrt(a)
#define OP_trunc_s(a, b, c) ((float)(a))

/* Lane l of chunk k of a layout holds input g_lane[k * W + l]: in the splat
 * and disable layouts chunk k is input k in every lane, in the lanes layout
 * input (k * W + l) % N. Filled by main(). */
static int g_splat, g_chunks;
static int g_lane[kMaxInputs * 16];

/* a, b, c of chunk k's lanes (ix: its inputs) from the volatile arrays. */
#define LOAD_OPERANDS(W, A, B, C)                                              \
  for (int l = 0; l < W; l++) {                                                \
    SET(a, l, W, A[ix[l]]);                                                    \
    SET(b, l, W, B[ix[l]]);                                                    \
    SET(c, l, W, C[ix[l]]);                                                    \
  }

/* A kernel for a scalar (W = 1) or vector operation. PH: 1 for plain
 * repetitions, 3 for the prism_disable() phases. */
#define KERNEL(name, OPX, S, R, W, V, RV, A, B, C, REC, DIS)                   \
  __attribute__((noinline)) static void name(long reps) {                     \
    const int nk = g_chunks;                                                   \
    for (long rep = 0; rep < reps; rep++)                                      \
      for (int k = 0; k < nk; k++) {                                           \
        const int *ix = &g_lane[k * W];                                        \
        for (int ph = 0; ph < (DIS ? 3 : 1); ph++) {                           \
          V a, b, c;                                                           \
          LOAD_OPERANDS(W, A, B, C);                                           \
          if (DIS && ph == 1 && prism_disable)                                 \
            prism_disable();                                                   \
          /* A volatile store of the whole result keeps the operation a  */  \
          /* vector operation (lane extracts alone let LLVM scalarize it). */  \
          volatile RV r = OPX(a, b, c);                                        \
          if (DIS && ph == 1 && prism_enable)                                  \
            prism_enable();                                                    \
          for (int l = 0; l < W; l++)                                          \
            REC(ix[l], ph, GET(r, l, W));                                      \
        }                                                                      \
      }                                                                        \
  }
/* The chain layout: the result feeds the next repetition's `a` when g_keep
 * is set, which it never is (volatile: the compiler cannot tell). */
static volatile int g_keep;
#define CHAIN_KERNEL(name, OPX, W, V, A, B, C, REC)                            \
  __attribute__((noinline)) static void name(long reps) {                     \
    const int nk = g_chunks;                                                   \
    V carry = {0};                                                             \
    for (long rep = 0; rep < reps; rep++)                                      \
      for (int k = 0; k < nk; k++) {                                           \
        const int *ix = &g_lane[k * W];                                        \
        V a, b, c;                                                             \
        LOAD_OPERANDS(W, A, B, C);                                             \
        if (g_keep)                                                            \
          a = carry;                                                           \
        V t = OPX(a, b, c);                                                    \
        carry = t;                                                             \
        volatile V r = t;                                                      \
        for (int l = 0; l < W; l++)                                            \
          REC(ix[l], 0, GET(r, l, W));                                         \
      }                                                                        \
  }
#define OP_quarter(a, b, c) ((a) * 0.25f + (c))

#define SET(v, l, W, x) SET_##W(v, l, x)
#define GET(v, l, W) GET_##W(v, l)
#define SET_1(v, l, x) ((v) = (x))
#define GET_1(v, l) (v)
#define SET_V(v, l, x) ((v)[l] = (x))
#define GET_V(v, l) ((v)[l])
#define SET_2 SET_V
#define SET_3 SET_V
#define SET_4 SET_V
#define SET_8 SET_V
#define SET_16 SET_V
#define GET_2 GET_V
#define GET_3 GET_V
#define GET_4 GET_V
#define GET_8 GET_V
#define GET_16 GET_V

/* Every op for one element type and width; plain and disable kernels. */
#define KERNELS_T(T, S, RECT, W, V, FMA, SQRT)                                 \
  KERNEL(k_add_##T##_##W, OP_add, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 0) \
  KERNEL(k_sub_##T##_##W, OP_sub, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 0) \
  KERNEL(k_mul_##T##_##W, OP_mul, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 0) \
  KERNEL(k_div_##T##_##W, OP_div, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 0) \
  KERNEL(k_fma_##T##_##W, FMA, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 0)    \
  KERNEL(k_fmuladd_##T##_##W, OP_fmuladd, S, S, W, V, V, g_a##T, g_b##T, g_c##T,  \
         RECT, 0)                                                              \
  KERNEL(k_sqrt_##T##_##W, SQRT, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 0)  \
  KERNEL(x_add_##T##_##W, OP_add, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 1) \
  KERNEL(x_sub_##T##_##W, OP_sub, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 1) \
  KERNEL(x_mul_##T##_##W, OP_mul, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 1) \
  KERNEL(x_div_##T##_##W, OP_div, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 1) \
  KERNEL(x_fma_##T##_##W, FMA, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 1)    \
  KERNEL(x_fmuladd_##T##_##W, OP_fmuladd, S, S, W, V, V, g_a##T, g_b##T, g_c##T,  \
         RECT, 1)                                                              \
  KERNEL(x_sqrt_##T##_##W, SQRT, S, S, W, V, V, g_a##T, g_b##T, g_c##T, RECT, 1) \
  CHAIN_KERNEL(c_add_##T##_##W, OP_add, W, V, g_a##T, g_b##T, g_c##T, RECT)     \
  CHAIN_KERNEL(c_sub_##T##_##W, OP_sub, W, V, g_a##T, g_b##T, g_c##T, RECT)     \
  CHAIN_KERNEL(c_fma_##T##_##W, FMA, W, V, g_a##T, g_b##T, g_c##T, RECT)        \
  CHAIN_KERNEL(c_fmuladd_##T##_##W, OP_fmuladd, W, V, g_a##T, g_b##T, g_c##T,   \
               RECT)                                                           \
  KERNEL(q_fmuladd_##T##_##W, OP_quarter, S, S, W, V, V, g_a##T, g_b##T,        \
         g_c##T, RECT, 0)

#define KERNELS_W(W, FV, DV, TV)                                               \
  KERNELS_T(f, float, record_f, W, FV, OP_fma_v, OP_sqrt_v)                    \
  KERNELS_T(, double, record_d, W, DV, OP_fma_v, OP_sqrt_v)                    \
  KERNEL(k_trunc_##W, OP_trunc_v, double, float, W, DV, TV, g_a, g_b, g_c,     \
         record_f, 0)                                                          \
  KERNEL(x_trunc_##W, OP_trunc_v, double, float, W, DV, TV, g_a, g_b, g_c,     \
         record_f, 1)

/* Scalars: the libm names, as a program would write them. */
KERNELS_T(f, float, record_f, 1, float, OP_fma_s_f32, OP_sqrt_s_f32)
KERNELS_T(, double, record_d, 1, double, OP_fma_s_f64, OP_sqrt_s_f64)
KERNEL(k_trunc_1, OP_trunc_s, double, float, 1, double, float, g_a, g_b, g_c,
       record_f, 0)
KERNEL(x_trunc_1, OP_trunc_s, double, float, 1, double, float, g_a, g_b, g_c,
       record_f, 1)

#define OP_trunc_v(a, b, c) __builtin_convertvector(a, TRUNC_TO)
#define TRUNC_TO f2
KERNELS_W(2, f2, d2, f2)
#undef TRUNC_TO
#define TRUNC_TO f3
KERNELS_W(3, f3, d3, f3)
#undef TRUNC_TO
#define TRUNC_TO f4
KERNELS_W(4, f4, d4, f4)
#undef TRUNC_TO
#define TRUNC_TO f8
KERNELS_W(8, f8, d8, f8)
#undef TRUNC_TO
#define TRUNC_TO f16
KERNELS_W(16, f16, d16, f16)
#undef TRUNC_TO

typedef void (*kernel_fn)(long);
struct entry {
  const char *op, *type;
  int width;
  kernel_fn plain, disable, chain, quarter;
};

#define E_T(op, W)                                                             \
  {#op, "f32", W, k_##op##_f_##W, x_##op##_f_##W, NULL, NULL},                 \
      {#op, "f64", W, k_##op##__##W, x_##op##__##W, NULL, NULL}
#define E_C(op, W, Q)                                                          \
  {#op, "f32", W, k_##op##_f_##W, x_##op##_f_##W, c_##op##_f_##W, Q(f_, W)},   \
      {#op, "f64", W, k_##op##__##W, x_##op##__##W, c_##op##__##W, Q(_, W)}
#define NO_Q(T, W) NULL
#define Q_FMULADD(T, W) q_fmuladd_##T##W
#define E_W(W)                                                                 \
  E_C(add, W, NO_Q), E_C(sub, W, NO_Q), E_T(mul, W), E_T(div, W),              \
      E_C(fma, W, NO_Q), E_C(fmuladd, W, Q_FMULADD), E_T(sqrt, W),             \
      {"trunc", "f64", W, k_trunc_##W, x_trunc_##W, NULL, NULL}

static const struct entry kEntries[] = {E_W(1), E_W(2), E_W(3),
                                        E_W(4), E_W(8), E_W(16)};

int main(int argc, char **argv) {
  if (argc < 7) {
    fprintf(stderr,
            "usage: %s OP TYPE WIDTH REPS splat|lanes|disable A,B,C...\n",
            argv[0]);
    return 2;
  }
  const char *op = argv[1], *type = argv[2], *layout = argv[5];
  int width = atoi(argv[3]);
  long reps = atol(argv[4]);
  const struct entry *e = NULL;
  for (size_t i = 0; i < sizeof kEntries / sizeof kEntries[0]; i++)
    if (!strcmp(kEntries[i].op, op) && !strcmp(kEntries[i].type, type) &&
        kEntries[i].width == width)
      e = &kEntries[i];
  if (!e) {
    fprintf(stderr, "no kernel %s %s %d\n", op, type, width);
    return 2;
  }
  int dis = !strcmp(layout, "disable");
  int chain = !strcmp(layout, "chain"), quarter = !strcmp(layout, "quarter");
  g_splat = dis || chain || quarter || !strcmp(layout, "splat");
  if (!g_splat && strcmp(layout, "lanes")) {
    fprintf(stderr,
            "bad layout '%s' (splat, lanes, disable, chain or quarter)\n",
            layout);
    return 2;
  }
  kernel_fn fn = dis ? e->disable
                 : chain ? e->chain
                 : quarter ? e->quarter
                 : e->plain;
  if (!fn) {
    fprintf(stderr, "no %s kernel for %s\n", layout, op);
    return 2;
  }
  g_n = argc - 6;
  if (g_n > kMaxInputs) {
    fprintf(stderr, "too many inputs\n");
    return 2;
  }
  for (int i = 0; i < g_n; i++) {
    double v[3] = {0, 0, 0};
    char *p = argv[6 + i];
    for (int j = 0; j < 3 && *p; j++) {
      char *end;
      v[j] = strtod(p, &end);
      if (end == p) {
        fprintf(stderr, "bad operand '%s'\n", p);
        return 2;
      }
      p = *end == ',' ? end + 1 : end;
    }
    g_a[i] = v[0];
    g_b[i] = v[1];
    g_c[i] = v[2];
    /* volatile float stores from doubles: converted by the native cast (an
       fptrunc of main, which under prism is exact for float operands). */
    g_af[i] = (float)v[0];
    g_bf[i] = (float)v[1];
    g_cf[i] = (float)v[2];
  }
  g_chunks = g_splat ? g_n : (g_n + width - 1) / width;
  for (int k = 0; k < g_chunks; k++)
    for (int l = 0; l < width; l++)
      g_lane[k * width + l] = g_splat ? k : (k * width + l) % g_n;
  fn(reps);
  for (int i = 0; i < g_n; i++)
    for (int ph = 0; ph < 3; ph++) {
      const struct tally *t = &g_tally[i][ph];
      for (int d = 0; d < t->distinct; d++) {
        double v;
        if (!strcmp(type, "f32") || !strcmp(op, "trunc")) {
          float f;
          uint32_t u = (uint32_t)t->bits[d];
          memcpy(&f, &u, sizeof f);
          v = f;
        } else {
          memcpy(&v, &t->bits[d], sizeof v);
        }
        printf("r %d %d %llx %a %ld\n", i, ph, (unsigned long long)t->bits[d],
               v, t->count[d]);
      }
      if (t->over)
        printf("over %d %d %ld\n", i, ph, t->over);
    }
  printf("seq %016llx\n", (unsigned long long)g_hash);
  return 0;
}
