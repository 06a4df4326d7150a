// stochastic_streams.h - the random streams of one thread for sr and ud: the
// runtime's scalar xoshiro256++ state and vector lanes seeded from it.
#pragma once

#include "prism/backend.h"
#include "prism/rng.h"

#include <cstddef>
#include <cstdint>

namespace prism {

enum class StochasticOp { Add, Sub, Mul, Div, Fma, Sqrt };

constexpr size_t kMaxVectorLanes = 8; // u64 lanes of AVX-512

// xoshiro256++ states of the lanes, word-major (s[word][lane]) for LoadU.
struct VectorStreams {
  alignas(64) uint64_t s[4][kMaxVectorLanes];
};

struct ThreadStreams {
  uint64_t *scalar = nullptr; // the runtime's state of this thread
  VectorStreams vector;
  uint64_t generation = ~0ull;
};

// This thread's streams. The lanes are seeded from the thread's scalar
// stream (so from PRISM_SEED and the thread's creation index), again after
// each prism_set_seed().
inline ThreadStreams &threadStreams(const prism_host *host) {
  thread_local ThreadStreams t;
  uint64_t gen = host->seed_generation ? host->seed_generation() : 0;
  if (__builtin_expect(t.generation != gen, 0)) {
    t.scalar = host->thread_rng();
    for (size_t lane = 0; lane < kMaxVectorLanes; lane++) {
      uint64_t seed = prism_rng_next(t.scalar);
      uint64_t state[4];
      prism_rng_seed(state, seed, 0);
      for (int w = 0; w < 4; w++)
        t.vector.s[w][lane] = state[w];
    }
    t.generation = gen;
  }
  return t;
}

} // namespace prism
