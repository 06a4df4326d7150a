// bulk_common.h - shared by the bulk chop API and the quantizer: the
// thread-local error message, option names, and the seeding of RNG streams.
#pragma once

#include "prism/chop.h"
#include "prism/rng.h"

#include <cstdarg>
#include <cstdint>

namespace prism::bulk {

// Records the message of a failed call (prism_chop_last_error) and returns
// code.
int fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

constexpr const char *kFormatsAccepted =
    "binary16/fp16/half, bfloat16/bf16, tf32, e4m3, e5m2, e3m2, e2m3, e2m1, "
    "binary32/fp32/single, binary64/fp64/double, eXmY (2 <= X <= 11, "
    "Y <= 52), fixed:I.F (I >= 1, I+F <= 64)";
constexpr const char *kModesAccepted =
    "rne, ru, rd, rz, sr, sr-uniform, rnz, rna, ro";

inline uint64_t mix64(uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// Stream `stream` of block `block`: xoshiro256++ seeded (prism_rng_seed) from
// a hash of (seed, block, stream).
inline void seedStream(uint64_t s[4], uint64_t seed, uint64_t block,
                       unsigned stream) {
  prism_rng_seed(s, mix64(mix64(seed) ^ (block * 16 + stream)), 0);
}

} // namespace prism::bulk
