// probes.cpp - prism_probe(): named values appended to PRISM_PROBES.
#include "prism.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace {
std::mutex g_probe_mutex;
} // namespace

extern "C" __attribute__((visibility("default"))) void
prism_probe(const char *name, double value) {
  const char *path = std::getenv("PRISM_PROBES");
  if (!path || !*path || !name)
    return;
  std::lock_guard<std::mutex> lock(g_probe_mutex);
  static std::FILE *file = nullptr;
  if (!file) {
    file = std::fopen(path, "a");
    if (!file) {
      std::fprintf(stderr, "prism: cannot open PRISM_PROBES='%s' for appending\n",
                   path);
      std::exit(2);
    }
  }
  std::fprintf(file, "%s %.17g\n", name, value);
  std::fflush(file);
}
