// fast_fill.h - bulk generation of the inline clones' thresholds
// (fast_fill.cpp, Highway).
#pragma once

#include <cstddef>
#include <cstdint>

namespace prism {

// xoshiro256 streams: two independent chains per AVX-512 vector (the fill is
// latency-bound on one), four per AVX2 one.
constexpr size_t kFastStreams = 16;

// Word-major states, s[word][stream], so that lanes load contiguously.
struct FastStreams {
  alignas(64) uint64_t s[4][kFastStreams];
};

// Fills n slots (a multiple of 32 * kFastStreams): sr thresholds are
// uniforms u in [0, 1) with 52 (double) / 23 (float) random bits, stored as
// u * 2^-52 / u * 2^-23; ud thresholds are u = 0 or 1 with probability 1/2
// each, one random bit each.
void fillThresholds(FastStreams &st, double *u, size_t n, bool ud);
void fillThresholds(FastStreams &st, float *u, size_t n, bool ud);
// Fills n coins (a multiple of 64 * kFastStreams) of the ud clones,
// PRISM_COIN_DOWN or PRISM_COIN_UP with probability 1/2 each.
void fillCoins(FastStreams &st, uint8_t *c, size_t n);

// The draw whose uniform (stochastic_fast.h, uniformOf) is the threshold u,
// for the runtime's exact path: u = k * 2^-bits  ->  draw = k << (64 - bits).
template <int kBits> inline uint64_t thresholdDraw(uint64_t k) {
  return k << (64 - kBits);
}

} // namespace prism
