/* plus_one.c - a third-party backend whose additions return a + b + 1. */
#include <stddef.h>

static float plus_one_f32(float a, float b) { return a + b + 1.0f; }
static double plus_one_f64(double a, double b) { return a + b + 1.0; }
static void v_plus_one_f32(float *r, const float *a, const float *b, size_t n) {
  for (size_t i = 0; i < n; i++) r[i] = a[i] + b[i] + 1.0f;
}
static void v_plus_one_f64(double *r, const double *a, const double *b,
                           size_t n) {
  for (size_t i = 0; i < n; i++) r[i] = a[i] + b[i] + 1.0;
}

#define TB_NAME "plus-one"
#define TB_ADD_F32 plus_one_f32
#define TB_ADD_F64 plus_one_f64
#define TB_V_ADD_F32 v_plus_one_f32
#define TB_V_ADD_F64 v_plus_one_f64
#include "test_backend.h"
