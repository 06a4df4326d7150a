#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "kern.h"

int main(int argc, char **argv) {
  double h = kern_harmonic(10000);
  std::vector<float> v(1000);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = 1.0f / static_cast<float>(i + 1);
  float s = 0;
  for (float x : v)
    s += x * x;
  if (argc > 1 && std::strcmp(argv[1], "--check") == 0) {
    // Within any sensible rounding of the exact values.
    bool ok = std::fabs(h - 9.787606036044382) < 1e-9 &&
              std::fabs(s - 1.6439345f) < 1e-4f;
    std::printf("check %s\n", ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
  }
  std::printf("sig=%016llx harmonic=%a squares=%a\n", kern_sig(), h,
              static_cast<double>(s));
  return 0;
}
