// chop_bulk_bench.cpp - throughput of the bulk chop API (prism/chop.h), in
// G elements/s ("Gelem/s" counter, per CPU second), one thread unless the
// name says otherwise, against plain copies of the same array in the same run
// (memcpy, and a copy loop).
//
//   build/bench/prism-chop-bulk-bench                      # all cases
//   build/bench/prism-chop-bulk-bench --benchmark_filter=target
//
// The three targets of issue 4 are the "target/" cases: binary16 RNE from
// double (>= 2 G/s), bfloat16 RNE from float (>= 6 G/s), sr to bfloat16 from
// float (>= 1 G/s); CPFloat: 0.73, 2.7-3.5, 0.04-0.08 G/s. Sizes: 4 Ki (in +
// out in L1), 64 Ki (L2), 4 Mi elements (L3 / memory bound). Data: N(0, 1).
#include "prism/chop.h"

#include <benchmark/benchmark.h>

#include <cstring>
#include <random>
#include <vector>

namespace {

template <class T> std::vector<T> normalData(size_t n, unsigned seed = 1) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> dist(0.0, 1.0);
  std::vector<T> v(n);
  for (auto &x : v)
    x = static_cast<T>(dist(gen));
  return v;
}

void setRate(benchmark::State &state, size_t n) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(n));
  state.counters["Gelem/s"] = benchmark::Counter(
      static_cast<double>(n) * static_cast<double>(state.iterations()) / 1e9,
      benchmark::Counter::kIsRate);
}

template <class T> void BM_Copy(benchmark::State &state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<T> in = normalData<T>(n), out(n);
  for (auto _ : state) {
    std::memcpy(out.data(), in.data(), n * sizeof(T));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  setRate(state, n);
}

// The same copy as a plain loop (vectorized by the compiler): glibc's memcpy
// takes `rep movsb` at these sizes, which is slow on some AMD/KVM setups.
template <class T>
__attribute__((noinline, no_builtin("memcpy"))) void copyLoop(const T *in,
                                                               T *out,
                                                               size_t n) {
  for (size_t i = 0; i < n; ++i)
    out[i] = in[i];
}

template <class T> void BM_CopyLoop(benchmark::State &state) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<T> in = normalData<T>(n), out(n);
  for (auto _ : state) {
    copyLoop(in.data(), out.data(), n);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  setRate(state, n);
}

template <class T>
void BM_Chop(benchmark::State &state, const char *format, const char *mode,
             double flip, unsigned threads, double scale) {
  const size_t n = static_cast<size_t>(state.range(0));
  std::vector<T> in = normalData<T>(n), out(n);
  for (auto &x : in)
    x = static_cast<T>(x * scale);
  prism_chop_options o{};
  o.format = format;
  o.rounding = mode;
  o.flip_prob = flip;
  o.threads = threads;
  o.seed = 42;
  auto run = [&] {
    if constexpr (sizeof(T) == 4)
      return prism_chop_f32(in.data(), out.data(), n, &o);
    else
      return prism_chop_f64(in.data(), out.data(), n, &o);
  };
  if (run() != 0) {
    state.SkipWithError(prism_chop_last_error());
    return;
  }
  for (auto _ : state) {
    run();
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  setRate(state, n);
}

struct Case {
  const char *name;
  bool isDouble;
  const char *format;
  const char *mode;
  double flip;
  unsigned threads;
  double scale;
};

const Case kCases[] = {
    // The three targets.
    {"target/binary16_rne_f64", true, "binary16", "rne", 0, 1, 1.0},
    {"target/bfloat16_rne_f32", false, "bfloat16", "rne", 0, 1, 1.0},
    {"target/bfloat16_sr_f32", false, "bfloat16", "sr", 0, 1, 1.0},
    // Others.
    {"binary16_rne_f32", false, "binary16", "rne", 0, 1, 1.0},
    {"bfloat16_rne_f64", true, "bfloat16", "rne", 0, 1, 1.0},
    {"binary16_sr_f64", true, "binary16", "sr", 0, 1, 1.0},
    {"bfloat16_sr-uniform_f32", false, "bfloat16", "sr-uniform", 0, 1, 1.0},
    {"e4m3_rne_f32", false, "e4m3", "rne", 0, 1, 1.0},
    {"e4m3_sr_f32", false, "e4m3", "sr", 0, 1, 1.0},
    {"tf32_rz_f32", false, "tf32", "rz", 0, 1, 1.0},
    {"binary16_ro_f32", false, "binary16", "ro", 0, 1, 1.0},
    // Values around 2^-20: mostly binary16 subnormals (the general path).
    {"binary16_rne_f32_subnormal_data", false, "binary16", "rne", 0, 1,
     0x1p-20},
    // Soft errors: a scalar pass after the vector rounding.
    {"bfloat16_rne_flip0.01_f32", false, "bfloat16", "rne", 0.01, 1, 1.0},
    // Fixed point: the scalar reference path.
    {"fixed8.8_rne_f32", false, "fixed:8.8", "rne", 0, 1, 1.0},
};

} // namespace

int main(int argc, char **argv) {
  const int64_t sizes[] = {1 << 12, 1 << 16, 1 << 22};
  for (int64_t n : sizes) {
    benchmark::RegisterBenchmark("copy_f32", BM_Copy<float>)->Arg(n);
    benchmark::RegisterBenchmark("copy_f64", BM_Copy<double>)->Arg(n);
    benchmark::RegisterBenchmark("copyloop_f32", BM_CopyLoop<float>)->Arg(n);
    benchmark::RegisterBenchmark("copyloop_f64", BM_CopyLoop<double>)->Arg(n);
  }
  for (const Case &c : kCases)
    for (int64_t n : sizes) {
      if (c.isDouble)
        benchmark::RegisterBenchmark(c.name, BM_Chop<double>, c.format, c.mode,
                                     c.flip, c.threads, c.scale)
            ->Arg(n);
      else
        benchmark::RegisterBenchmark(c.name, BM_Chop<float>, c.format, c.mode,
                                     c.flip, c.threads, c.scale)
            ->Arg(n);
    }
  // Two threads (large arrays only: one thread per 64 Ki-element block at
  // most).
  benchmark::RegisterBenchmark("bfloat16_sr_f32_threads2", BM_Chop<float>,
                               "bfloat16", "sr", 0.0, 2u, 1.0)
      ->Arg(1 << 22)
      ->UseRealTime();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
