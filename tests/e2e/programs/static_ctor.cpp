// static_ctor.cpp - floating-point work in a static constructor, before main.
#include <cstdio>

#include "sig.h"

namespace {
struct Early {
  unsigned long long sig;
  double sum;
  Early() : sig(probe_sig()), sum(probe_sum(1000)) {}
};
Early early; // dynamic initialization: runs before main
} // namespace

int main() {
  std::printf("ctor sig=%016llx sum=%a\n", early.sig, early.sum);
  std::printf("main sig=%016llx sum=%a\n", probe_sig(), probe_sum(1000));
  return 0;
}
