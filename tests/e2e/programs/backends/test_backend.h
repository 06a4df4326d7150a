/* test_backend.h - builds a complete third-party prism backend from plain C
 * (compiled with clang-19, never instrumented). Every operation defaults to
 * the native IEEE one; a backend source overrides what it needs by defining
 * TB_* macros before including this file:
 *   TB_NAME, TB_INIT, TB_ABI_VERSION, TB_STRUCT_SIZE,
 *   TB_ADD_F32, TB_ADD_F64, TB_V_ADD_F32, TB_V_ADD_F64. */
#ifndef PRISM_E2E_TEST_BACKEND_H
#define PRISM_E2E_TEST_BACKEND_H

#include <math.h>
#include <prism/backend.h>
#include <stddef.h>

#define TB_BINARY(op, expr)                                                    \
  __attribute__((unused)) static float nat_##op##_f32(float a, float b) {      \
    return expr;                                                               \
  }                                                                            \
  __attribute__((unused)) static double nat_##op##_f64(double a, double b) {   \
    return expr;                                                               \
  }                                                                            \
  __attribute__((unused)) static void nat_v_##op##_f32(                        \
      float *r, const float *pa, const float *pb, size_t n) {                  \
    for (size_t i = 0; i < n; i++) {                                           \
      float a = pa[i], b = pb[i];                                              \
      r[i] = expr;                                                             \
    }                                                                          \
  }                                                                            \
  __attribute__((unused)) static void nat_v_##op##_f64(                        \
      double *r, const double *pa, const double *pb, size_t n) {               \
    for (size_t i = 0; i < n; i++) {                                           \
      double a = pa[i], b = pb[i];                                             \
      r[i] = expr;                                                             \
    }                                                                          \
  }
TB_BINARY(add, a + b)
TB_BINARY(sub, a - b)
TB_BINARY(mul, a * b)
TB_BINARY(div, a / b)
#undef TB_BINARY

static float nat_fma_f32(float a, float b, float c) { return fmaf(a, b, c); }
static double nat_fma_f64(double a, double b, double c) { return fma(a, b, c); }
static void nat_v_fma_f32(float *r, const float *a, const float *b,
                          const float *c, size_t n) {
  for (size_t i = 0; i < n; i++) r[i] = fmaf(a[i], b[i], c[i]);
}
static void nat_v_fma_f64(double *r, const double *a, const double *b,
                          const double *c, size_t n) {
  for (size_t i = 0; i < n; i++) r[i] = fma(a[i], b[i], c[i]);
}
static float nat_sqrt_f32(float a) { return sqrtf(a); }
static double nat_sqrt_f64(double a) { return sqrt(a); }
static void nat_v_sqrt_f32(float *r, const float *a, size_t n) {
  for (size_t i = 0; i < n; i++) r[i] = sqrtf(a[i]);
}
static void nat_v_sqrt_f64(double *r, const double *a, size_t n) {
  for (size_t i = 0; i < n; i++) r[i] = sqrt(a[i]);
}
static float nat_trunc_f64_f32(double a) { return (float)a; }
static void nat_v_trunc_f64_f32(float *r, const double *a, size_t n) {
  for (size_t i = 0; i < n; i++) r[i] = (float)a[i];
}

#ifndef TB_NAME
#define TB_NAME "test"
#endif
#ifndef TB_INIT
#define TB_INIT NULL
#endif
#ifndef TB_ABI_VERSION
#define TB_ABI_VERSION PRISM_BACKEND_ABI_VERSION
#endif
#ifndef TB_STRUCT_SIZE
#define TB_STRUCT_SIZE sizeof(prism_backend)
#endif
#ifndef TB_ADD_F32
#define TB_ADD_F32 nat_add_f32
#endif
#ifndef TB_ADD_F64
#define TB_ADD_F64 nat_add_f64
#endif
#ifndef TB_V_ADD_F32
#define TB_V_ADD_F32 nat_v_add_f32
#endif
#ifndef TB_V_ADD_F64
#define TB_V_ADD_F64 nat_v_add_f64
#endif

static const prism_backend tb_backend = {
    .abi_version = TB_ABI_VERSION,
    .struct_size = (uint32_t)(TB_STRUCT_SIZE),
    .name = TB_NAME,
    .init = TB_INIT,
    .add_f32 = TB_ADD_F32,
    .add_f64 = TB_ADD_F64,
    .v_add_f32 = TB_V_ADD_F32,
    .v_add_f64 = TB_V_ADD_F64,
    .sub_f32 = nat_sub_f32,
    .sub_f64 = nat_sub_f64,
    .v_sub_f32 = nat_v_sub_f32,
    .v_sub_f64 = nat_v_sub_f64,
    .mul_f32 = nat_mul_f32,
    .mul_f64 = nat_mul_f64,
    .v_mul_f32 = nat_v_mul_f32,
    .v_mul_f64 = nat_v_mul_f64,
    .div_f32 = nat_div_f32,
    .div_f64 = nat_div_f64,
    .v_div_f32 = nat_v_div_f32,
    .v_div_f64 = nat_v_div_f64,
    .fma_f32 = nat_fma_f32,
    .fma_f64 = nat_fma_f64,
    .v_fma_f32 = nat_v_fma_f32,
    .v_fma_f64 = nat_v_fma_f64,
    .sqrt_f32 = nat_sqrt_f32,
    .sqrt_f64 = nat_sqrt_f64,
    .v_sqrt_f32 = nat_v_sqrt_f32,
    .v_sqrt_f64 = nat_v_sqrt_f64,
    .trunc_f64_f32 = nat_trunc_f64_f32,
    .v_trunc_f64_f32 = nat_v_trunc_f64_f32,
};

__attribute__((visibility("default"))) const prism_backend *
prism_backend_entry(void) {
  return &tb_backend;
}

#endif
