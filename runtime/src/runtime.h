// runtime.h - state shared by the runtime's translation units.
#pragma once

#include "prism/backend.h"

#include <cstdint>

extern "C" {
// 1 while every instrumented function should run its uninstrumented clone
// (the ieee backend); read once at each instrumented function's entry.
extern uint8_t __prism_native;
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

// Built-in IEEE table (runtime/src/native_ops.cpp).
extern const prism_backend kNativeOps;

} // namespace prism
