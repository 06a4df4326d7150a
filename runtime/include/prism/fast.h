/* prism/fast.h - the layout the pass's inline sr/ud clones rely on.
 *
 * When the backend is sr or ud at full precision, every instrumented function
 * runs its "fast" clone, where the pass emits the rounding inline (error-free
 * transform, neighbour, compare with a uniform) instead of calling the
 * runtime. The uniforms come from a per-thread buffer refilled in bulk by the
 * runtime; the clone keeps the cursors in registers and writes them back
 * before calls and returns. Internal ABI between passes/ and runtime/. */
#ifndef PRISM_FAST_H
#define PRISM_FAST_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Values of the byte __prism_mode, read at each instrumented function's
   entry: which body of the function runs. */
#define PRISM_MODE_RUNTIME 0 /* calls into the backend table */
#define PRISM_MODE_NATIVE 1  /* the uninstrumented clone (ieee) */
#define PRISM_MODE_FAST 2    /* the inline sr/ud clone */
#define PRISM_MODE_FAST_UD 3 /* the ud clone (AVX-512), else the sr/ud one */

#define PRISM_FAST_SLOTS 2048 /* uniforms per refill */

/* Slot i of a buffer holds, for the i-th rounding of that type since its
   refill, the threshold u in the test "round away from RN iff |error| >
   u * gap": a uniform in [0, 1) under sr, stored as u * 2^(1-p) (p = 53
   for u64, 24 for u32) so that u * gap is the slot times the power of two
   of s's exponent; u = 0 or 1 (stored as 2^(1-p)) with probability 1/2
   each under ud; +inf while the thread is inside prism_disable() (RN, the
   IEEE result). double results (and double->float casts) use u64, float
   results u32; each has its own cursor. */
/* The ud clones' coins, one byte per element of either type, for the
   operations they round from static rounding (4 to 8 times fewer bytes to
   fill than thresholds): PRISM_COIN_DOWN takes RD(x), PRISM_COIN_UP RU(x),
   PRISM_COIN_OFF (inside prism_disable()) RN(x). */
#define PRISM_FAST_COINS 2048
#define PRISM_COIN_DOWN 0
#define PRISM_COIN_UP 1
#define PRISM_COIN_OFF 2

typedef struct prism_fast_state {
  uint32_t idx32; /* next unused slot of u32; PRISM_FAST_SLOTS: refill */
  uint32_t idx64; /* next unused slot of u64 */
  uint32_t idx8;  /* next unused coin; PRISM_FAST_COINS: refill */
  /* The buffers start on a cache line (the state is 64-byte aligned), so
     that no 512-bit load of thresholds straddles two lines. */
  uint32_t pad[13];
  double u64[PRISM_FAST_SLOTS];
  float u32[PRISM_FAST_SLOTS];
  uint8_t coins[PRISM_FAST_COINS];
} __attribute__((aligned(64))) prism_fast_state;

#define PRISM_FAST_OFFSET_IDX32 0
#define PRISM_FAST_OFFSET_IDX64 4
#define PRISM_FAST_OFFSET_IDX8 8
#define PRISM_FAST_OFFSET_U64 64
#define PRISM_FAST_OFFSET_U32 (64 + 8 * PRISM_FAST_SLOTS)
#define PRISM_FAST_OFFSET_COINS (64 + 12 * PRISM_FAST_SLOTS)

/* The calling thread's state, or NULL before its first fast function
   (initial-exec TLS: one instruction to read from instrumented code). The
   name carries the layout's version (2: buffers on a cache line), so that
   code instrumented for another layout fails to load against this runtime
   instead of reading its thresholds at the wrong offsets. */
#define PRISM_FAST_TLS_SYMBOL "__prism_fast_tls_v2"
extern __thread prism_fast_state *__prism_fast_tls_v2
    __attribute__((tls_model("initial-exec")));

#ifdef __cplusplus
}
#endif

#endif /* PRISM_FAST_H */
