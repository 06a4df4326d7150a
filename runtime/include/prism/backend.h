/* prism/backend.h - the versioned ABI between libprism and a backend .so.
 *
 * A backend exports `const prism_backend *prism_backend_entry(void)`. Vector
 * operations take pointers and a lane count, so the caller's -march never
 * changes how arguments are passed (no vector-register ABI is involved). */
#ifndef PRISM_BACKEND_H
#define PRISM_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PRISM_BACKEND_ABI_VERSION 1u

/* X-macros: one list of operations shared by the runtime, the backends and
   the pass's naming scheme (__prism_<type>_<op>, __prism_v_<type>_<op>). */
#define PRISM_BINARY_OPS(X) X(add) X(sub) X(mul) X(div)

/* Settings parsed and validated by the runtime from PRISM_* variables. */
typedef struct prism_config {
  int precision_binary32; /* virtual precision t for float, 1..24 */
  int precision_binary64; /* virtual precision t for double, 1..53 */
  uint64_t seed;
  int verbose;
  const char *format;   /* PRISM_FORMAT (chop), NULL when unset */
  const char *rounding; /* PRISM_ROUNDING (chop), NULL when unset */
  int subnormals;       /* 1 on (default), 0 off */
  int overflow_saturate;
  double flip_prob;
} prism_config;

/* Services the runtime offers to backends. */
typedef struct prism_host {
  /* The calling thread's xoshiro256++ state (4 words), seeded from
     PRISM_SEED and the thread's creation index. */
  uint64_t *(*thread_rng)(void);
  /* Bumped by prism_set_seed(): a backend that keeps streams of its own
     (e.g. vector lanes seeded from thread_rng) reseeds when it changes. */
  uint64_t (*seed_generation)(void);
} prism_host;

typedef struct prism_backend {
  uint32_t abi_version; /* PRISM_BACKEND_ABI_VERSION */
  uint32_t struct_size; /* sizeof(prism_backend) */
  const char *name;
  /* Returns 0 on success; otherwise writes one line into err. */
  int (*init)(const prism_host *host, const prism_config *cfg, char *err,
              size_t err_len);

#define PRISM_DECLARE_BINARY(op)                                               \
  float (*op##_f32)(float, float);                                             \
  double (*op##_f64)(double, double);                                          \
  void (*v_##op##_f32)(float *r, const float *a, const float *b, size_t n);    \
  void (*v_##op##_f64)(double *r, const double *a, const double *b, size_t n);
  PRISM_BINARY_OPS(PRISM_DECLARE_BINARY)
#undef PRISM_DECLARE_BINARY

  float (*fma_f32)(float, float, float);
  double (*fma_f64)(double, double, double);
  void (*v_fma_f32)(float *r, const float *a, const float *b, const float *c,
                    size_t n);
  void (*v_fma_f64)(double *r, const double *a, const double *b,
                    const double *c, size_t n);
  float (*sqrt_f32)(float);
  double (*sqrt_f64)(double);
  void (*v_sqrt_f32)(float *r, const float *a, size_t n);
  void (*v_sqrt_f64)(double *r, const double *a, size_t n);
  float (*trunc_f64_f32)(double);
  void (*v_trunc_f64_f32)(float *r, const double *a, size_t n);
} prism_backend;

typedef const prism_backend *(*prism_backend_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* PRISM_BACKEND_H */
