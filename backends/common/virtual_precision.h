// virtual_precision.h - a backend that rounds every exact result with one
// RoundingMode at the virtual precisions PRISM_PRECISION_BINARY32/64 (sr, ud).
#pragma once

#include "backend_table.h"
#include "round_core.h"

namespace prism {

template <RoundingMode Mode> struct VirtualPrecisionBackend {
  static inline const prism_host *host = nullptr;
  static inline FormatSpec f32 = virtualFormat<float>(24);
  static inline FormatSpec f64 = virtualFormat<double>(53);

  template <class T> static T round(const ExactValue<T> &x) {
    const FormatSpec &f = sizeof(T) == 4 ? f32 : f64;
    return roundExact(x, f, Mode, host->thread_rng());
  }

  static int init(const prism_host *h, const prism_config *cfg, char *,
                  size_t) {
    host = h;
    f32 = virtualFormat<float>(cfg->precision_binary32);
    f64 = virtualFormat<double>(cfg->precision_binary64);
    return 0;
  }

  static constexpr prism_backend table(const char *name) {
    return BackendTable<VirtualPrecisionBackend>::make(name, init);
  }
};

} // namespace prism

// Defines the exported entry point of a backend library.
#define PRISM_DEFINE_BACKEND_ENTRY(table_expr)                                 \
  extern "C" __attribute__((visibility("default"))) const prism_backend *      \
  prism_backend_entry(void) {                                                  \
    static constexpr prism_backend kTable = table_expr;                        \
    return &kTable;                                                            \
  }
