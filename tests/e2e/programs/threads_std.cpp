// threads_std.cpp - the same as threads.c with std::thread (created through
// libstdc++, which calls pthread_create itself).
#include <cstdio>
#include <thread>
#include <vector>

#include "sig.h"

int main() {
  const int nt = 3;
  std::vector<unsigned long long> sigs(nt);
  std::vector<double> sums(nt);
  std::vector<std::thread> threads;
  unsigned long long msig = probe_sig();
  double msum = probe_sum(2000);
  for (int k = 0; k < nt; ++k)
    threads.emplace_back([&, k] {
      sigs[k] = probe_sig();
      sums[k] = probe_sum(2000);
    });
  for (auto &t : threads)
    t.join();
  std::printf("main sig=%016llx sum=%a\n", msig, msum);
  for (int k = 0; k < nt; ++k)
    std::printf("thread%d sig=%016llx sum=%a\n", k, sigs[k], sums[k]);
  return 0;
}
