/* counting.c - a third-party backend that counts scalar additions, reports
 * the settings its init received, and prints the counts at exit. */
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>

#include <prism/backend.h>

static atomic_ulong adds_f32, adds_f64;

static float count_f32(float a, float b) {
  atomic_fetch_add(&adds_f32, 1);
  return a + b;
}
static double count_f64(double a, double b) {
  atomic_fetch_add(&adds_f64, 1);
  return a + b;
}

static int count_init(const prism_host *host, const prism_config *cfg,
                      char *err, size_t err_len) {
  (void)err;
  (void)err_len;
  uint64_t *rng = host && host->thread_rng ? host->thread_rng() : NULL;
  fprintf(stderr,
          "counting-backend: init seed=%" PRIu64 " p32=%d p64=%d rng=%s\n",
          cfg->seed, cfg->precision_binary32, cfg->precision_binary64,
          rng ? "yes" : "no");
  return 0;
}

__attribute__((destructor)) static void count_report(void) {
  fprintf(stderr, "counting-backend: add_f32=%lu add_f64=%lu\n",
          (unsigned long)atomic_load(&adds_f32),
          (unsigned long)atomic_load(&adds_f64));
}

#define TB_NAME "counting"
#define TB_INIT count_init
#define TB_ADD_F32 count_f32
#define TB_ADD_F64 count_f64
#include "test_backend.h"
