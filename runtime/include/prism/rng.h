/* prism/rng.h - xoshiro256++ (Blackman & Vigna), the per-thread generator.
 * Header-only so that backends draw from host->thread_rng() without a call. */
#ifndef PRISM_RNG_H
#define PRISM_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline uint64_t prism_rotl64(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

static inline uint64_t prism_rng_next(uint64_t s[4]) {
  const uint64_t result = prism_rotl64(s[0] + s[3], 23) + s[0];
  const uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = prism_rotl64(s[3], 45);
  return result;
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double prism_rng_uniform(uint64_t s[4]) {
  return (double)(prism_rng_next(s) >> 11) * 0x1.0p-53;
}

/* Advances the state by 2^128 draws: one jump per thread index gives each
   thread a non-overlapping subsequence of the same seed. */
static inline void prism_rng_jump(uint64_t s[4]) {
  static const uint64_t kJump[] = {0x180ec6d33cfd0aba, 0xd5a61266f0c9392c,
                                   0xa9582618e03fc9aa, 0x39abdc4529b1661c};
  uint64_t t[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++)
    for (int b = 0; b < 64; b++) {
      if (kJump[i] & ((uint64_t)1 << b)) {
        t[0] ^= s[0];
        t[1] ^= s[1];
        t[2] ^= s[2];
        t[3] ^= s[3];
      }
      prism_rng_next(s);
    }
  s[0] = t[0];
  s[1] = t[1];
  s[2] = t[2];
  s[3] = t[3];
}

/* Seeds with splitmix64 (never all-zero), then jumps `index` times. */
static inline void prism_rng_seed(uint64_t s[4], uint64_t seed,
                                  uint64_t index) {
  for (int i = 0; i < 4; i++) {
    uint64_t z = (seed += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    s[i] = z ^ (z >> 31);
  }
  for (uint64_t j = 0; j < index; j++)
    prism_rng_jump(s);
}

#ifdef __cplusplus
}
#endif

#endif /* PRISM_RNG_H */
