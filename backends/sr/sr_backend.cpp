// sr_backend.cpp - stochastic rounding at virtual precision t: each result is
// RD(x) or RU(x) of the exact result x, RU with probability (x-RD)/(RU-RD).
#include "../common/backend_table.h"
#include "../common/round_core.h"

#include <cstdio>

namespace prism {
namespace {

const prism_host *g_host = nullptr;
FormatSpec g_f32 = virtualFormat<float>(24);
FormatSpec g_f64 = virtualFormat<double>(53);

struct SrPolicy {
  template <class T> static T round(const ExactValue<T> &x) {
    const FormatSpec &f = sizeof(T) == 4 ? g_f32 : g_f64;
    return roundExact(x, f, RoundingMode::SR, g_host->thread_rng());
  }
};

int init(const prism_host *host, const prism_config *cfg, char *, size_t) {
  g_host = host;
  g_f32 = virtualFormat<float>(cfg->precision_binary32);
  g_f64 = virtualFormat<double>(cfg->precision_binary64);
  return 0;
}

constexpr prism_backend kSr = BackendTable<SrPolicy>::make("sr", init);

} // namespace
} // namespace prism

extern "C" __attribute__((visibility("default"))) const prism_backend *
prism_backend_entry(void) {
  return &prism::kSr;
}
