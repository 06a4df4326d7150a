// runtime.h - state shared by the runtime's translation units.
#pragma once

#include "prism/backend.h"

#include <cstdint>

extern "C" {
// Which body each instrumented function runs (PRISM_MODE_* in prism/fast.h);
// read once at each instrumented function's entry.
extern uint8_t __prism_mode;
void __prism_init(void);
}

namespace prism {

// The active backend's operation table. Starts as the built-in IEEE table so
// that code running before initialization computes plain IEEE results.
extern const prism_backend *g_ops;

// Per-thread prism_disable() nesting depth.
extern thread_local int t_disabled;

// Creation index of the calling thread (main thread: 0).
uint64_t threadIndex();

// The calling thread's xoshiro256++ state (seeded from PRISM_SEED and the
// thread's creation index) and the prism_set_seed() generation counter.
uint64_t *threadRngState();
uint64_t seedGeneration();

// What the inline clones' thresholds mean (runtime/src/fast_path.cpp).
enum class FastKind { SR, UD };
extern FastKind g_fast_kind;

// Makes the calling thread refill its inline-clone thresholds before its next
// rounding (after prism_disable/enable/set_seed).
void invalidateFastBuffer();

// Built-in IEEE table (runtime/src/native_ops.cpp).
extern const prism_backend kNativeOps;

} // namespace prism
