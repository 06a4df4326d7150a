// micro_bench.cpp - per-operation microbenchmarks of prism (Google Benchmark)
// and a two-thread throughput benchmark.
//
// micro_kernels.cpp is linked three times (micro_kernels.h): natively, by
// prism-c++, and by prism-c++ without the native clone. One process runs one
// backend (PRISM_BACKEND); bench/run-microbench.sh runs it once per backend.
//
// Microbenchmarks (default): one Google Benchmark per operation x type x width.
// Each iteration of the benchmark loop is one paired sample: a block of calls
// to the native kernel and a block of calls to the instrumented one (and,
// under ieee, to the no-clone one), in alternating order, each block lasting
// at least --block-us. ns/elem is the median over samples of the block time
// per element; ratio is the median over samples of prism/native within the
// sample, so both variants see the same machine state. The results are the
// counters of each benchmark and a table printed at the end.
//
// Two threads (--threads): an instrumented kernel over a few MB, run on one
// thread over the whole array and on two threads over one half each, in
// alternating rounds; prints elements/s of both and the speedup.
#include "micro_kernels.h"

#include <prism.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace prism_micro;

namespace {

// ---------------------------------------------------------------- options

struct Options {
  bool micro = true;
  bool threads = false;
  bool quiet = false;       // no Google Benchmark console output
  bool checkOnly = false;   // run the check, time nothing
  bool expectDiffer = false; // check: every kernel must change some results
  double blockUs = 20;      // minimum duration of one block of calls
  std::size_t n = 1024;     // elements per kernel call
  int rounds = 21;          // two-thread benchmark: rounds of 1T + 2T
  double mb = 8;            // two-thread benchmark: MB per kernel
} opt;

void usage(const char *argv0) {
  std::printf(
      "usage: %s [--micro] [--threads] [--no-micro] [--quiet] [--block-us=US]\n"
      "          [--n=N] [--rounds=R] [--mb=MB] [--benchmark_* ...]\n"
      "  --micro       per-operation microbenchmarks (default)\n"
      "  --threads     also the two-thread throughput benchmark\n"
      "  --no-micro    skip the microbenchmarks\n"
      "  --quiet       no Google Benchmark console output, only the table\n"
      "  --check-only  only check the builds against each other (ieee:\n"
      "                bit-identical), time nothing\n"
      "  --expect-differ  with --check-only: fail unless every kernel's\n"
      "                instrumented build changes some results (proves it is\n"
      "                instrumented; use under sr or ud)\n"
      "  --block-us=US minimum duration of one timed block (default 20)\n"
      "  --n=N         elements per kernel call, multiple of 16 (default 1024)\n"
      "  --rounds=R    two-thread rounds (default 21)\n"
      "  --mb=MB       two-thread working set per kernel in MB (default 8)\n"
      "  Google Benchmark flags (--benchmark_filter=, --benchmark_min_time=,\n"
      "  --benchmark_out=, ...) apply to the microbenchmarks.\n"
      "The backend is PRISM_BACKEND's (default ieee).\n",
      argv0);
}

// Removes this program's own options from argv; the rest goes to Google
// Benchmark.
bool parseOwn(int *argc, char **argv) {
  int out = 1;
  for (int i = 1; i < *argc; ++i) {
    const char *a = argv[i];
    auto val = [&](const char *key) -> const char * {
      std::size_t k = std::strlen(key);
      return std::strncmp(a, key, k) == 0 ? a + k : nullptr;
    };
    const char *v;
    if (!std::strcmp(a, "--micro")) opt.micro = true;
    else if (!std::strcmp(a, "--no-micro")) opt.micro = false;
    else if (!std::strcmp(a, "--threads")) opt.threads = true;
    else if (!std::strcmp(a, "--quiet")) opt.quiet = true;
    else if (!std::strcmp(a, "--check-only")) opt.checkOnly = true;
    else if (!std::strcmp(a, "--expect-differ")) opt.expectDiffer = true;
    else if ((v = val("--block-us="))) opt.blockUs = std::atof(v);
    else if ((v = val("--n="))) opt.n = std::strtoull(v, nullptr, 10);
    else if ((v = val("--rounds="))) opt.rounds = std::atoi(v);
    else if ((v = val("--mb="))) opt.mb = std::atof(v);
    else if (!std::strcmp(a, "-h") || !std::strcmp(a, "--help")) {
      usage(argv[0]);
      std::exit(0);
    } else
      argv[out++] = argv[i];
  }
  *argc = out;
  argv[out] = nullptr;
  if (opt.n == 0 || opt.n % kMaxWidth != 0 || opt.blockUs <= 0 ||
      opt.rounds < 1 || opt.mb <= 0) {
    std::fprintf(stderr, "invalid option value\n");
    return false;
  }
  return true;
}

// ---------------------------------------------------------------- helpers

double now() {
  return std::chrono::duration<double>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

double threadCpu() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

double median(std::vector<double> v) {
  if (v.empty())
    return NAN;
  std::sort(v.begin(), v.end());
  std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

// 64-byte aligned, and each buffer at a different offset modulo 4 KiB: the
// arrays are multiples of 4 KiB, and loads that alias earlier stores modulo
// 4 KiB would slow the native loops down (4K aliasing).
template <class T> struct AlignedBuf {
  T *p = nullptr;
  void *base = nullptr;
  explicit AlignedBuf(std::size_t n) {
    static unsigned salt = 0;
    std::size_t off = (salt++ % 13) * 320;
    base = std::aligned_alloc(4096, (n * sizeof(T) + off + 4095) / 4096 * 4096);
    p = reinterpret_cast<T *>(static_cast<char *>(base) + off);
  }
  ~AlignedBuf() { std::free(base); }
  AlignedBuf(const AlignedBuf &) = delete;
  AlignedBuf &operator=(const AlignedBuf &) = delete;
};

// ---------------------------------------------------------------- micro

enum Variant { kNative, kPrism, kNoClone, kVariants };
constexpr const char *kVariantName[] = {"native", "prism", "noclone"};

std::string backend;
bool isIeee = false;
std::size_t kernelCount = 0;
const Kernel *table[kVariants];

// Inputs: a in [1,2), b in [1/16,1/8), c in [1,2), random significands, so
// every operation is inexact almost always and every operand and result is
// far from under- and overflow (the sr/ud fast paths). Outputs per variant.
struct Buffers {
  AlignedBuf<float> af, bf, cf;
  AlignedBuf<double> ad, bd, cd;
  AlignedBuf<double> out[kVariants];
  explicit Buffers(std::size_t n)
      : af(n), bf(n), cf(n), ad(n), bd(n), cd(n), out{AlignedBuf<double>(n),
                                                      AlignedBuf<double>(n),
                                                      AlignedBuf<double>(n)} {
    std::mt19937_64 g(12345);
    std::uniform_real_distribution<double> u1(1.0, 2.0), u2(0.0625, 0.125);
    for (std::size_t i = 0; i < n; ++i) {
      ad.p[i] = u1(g), bd.p[i] = u2(g), cd.p[i] = u1(g);
      af.p[i] = static_cast<float>(u1(g));
      bf.p[i] = static_cast<float>(u2(g));
      cf.p[i] = static_cast<float>(u1(g));
    }
  }
  void args(Type t, const void **a, const void **b, const void **c) const {
    if (t == Type::f32)
      *a = af.p, *b = bf.p, *c = cf.p;
    else
      *a = ad.p, *b = bd.p, *c = cd.p;
  }
};
Buffers *buf = nullptr;

std::size_t resultBytes(Type t) { return t == Type::f64 ? 8 : 4; }

struct Result {
  double ns[kVariants] = {NAN, NAN, NAN};    // median ns per element
  double ratio[kVariants] = {NAN, NAN, NAN}; // median of variant / native
  double changed[kVariants] = {NAN, NAN, NAN}; // % of elements != native
  double spread[kVariants] = {NAN, NAN, NAN};  // half IQR of ratio / median
  bool timed = false;
};
std::vector<Result> results;

int activeVariants() { return isIeee ? 3 : 2; }

// Runs each kernel once per variant on the same inputs; counts the elements
// whose result differs from the native one. Under ieee every variant must be
// bit-identical to native.
bool check() {
  bool ok = true;
  const std::size_t n = opt.n;
  for (std::size_t k = 0; k < kernelCount; ++k) {
    const Kernel &kn = table[kNative][k];
    const void *a, *b, *c;
    buf->args(kn.type, &a, &b, &c);
    const std::size_t rb = resultBytes(kn.type);
    for (int v = 0; v < activeVariants(); ++v) {
      std::memset(buf->out[v].p, 0xff, n * 8);
      table[v][k].fn(a, b, c, buf->out[v].p, n);
    }
    for (int v = 1; v < activeVariants(); ++v) {
      std::size_t diff = 0;
      auto *x = reinterpret_cast<const unsigned char *>(buf->out[kNative].p);
      auto *y = reinterpret_cast<const unsigned char *>(buf->out[v].p);
      for (std::size_t i = 0; i < n; ++i)
        diff += std::memcmp(x + i * rb, y + i * rb, rb) != 0;
      results[k].changed[v] = 100.0 * diff / n;
      if (isIeee && diff) {
        std::fprintf(stderr,
                     "check FAILED: %s %s width %d: %zu of %zu elements of "
                     "the %s build differ from native under ieee\n",
                     opName(kn.op), typeName(kn.type), kn.width, diff, n,
                     kVariantName[v]);
        ok = false;
      }
      if (opt.expectDiffer && !diff) {
        std::fprintf(stderr,
                     "check FAILED: %s %s width %d: the %s build gives the "
                     "native results under %s (not instrumented?)\n",
                     opName(kn.op), typeName(kn.type), kn.width,
                     kVariantName[v], backend.c_str());
        ok = false;
      }
    }
  }
  return ok;
}

std::string widthName(int w) {
  return w == 1 ? "scalar" : "x" + std::to_string(w);
}

void runMicro(benchmark::State &state, std::size_t k) {
  const std::size_t n = opt.n;
  const int nv = activeVariants();
  const void *a, *b, *c;
  buf->args(table[kNative][k].type, &a, &b, &c);
  KernelFn fn[kVariants];
  for (int v = 0; v < nv; ++v)
    fn[v] = table[v][k].fn;

  // Calls per block: enough for opt.blockUs (calibrated once per kernel).
  static std::map<std::size_t, std::vector<long>> repsCache;
  std::vector<long> &reps = repsCache[k];
  if (reps.empty()) {
    for (int v = 0; v < nv; ++v) {
      fn[v](a, b, c, buf->out[v].p, n); // warm-up
      long r = 1;
      for (;;) {
        double t0 = now();
        for (long i = 0; i < r; ++i)
          fn[v](a, b, c, buf->out[v].p, n);
        double t = now() - t0;
        if (t >= opt.blockUs * 1e-6 || r >= (1L << 24)) {
          r = std::max(1L, static_cast<long>(std::ceil(
                               r * opt.blockUs * 1e-6 / std::max(t, 1e-9))));
          break;
        }
        r *= 2;
      }
      reps.push_back(r);
    }
  }

  std::vector<double> perElem[kVariants], ratio[kVariants];
  long iter = 0;
  for (auto _ : state) {
    double t[kVariants] = {};
    // Rotate the order so no variant always runs first.
    for (int j = 0; j < nv; ++j) {
      int v = (iter % 2 == 0) ? (j + iter / 2) % nv : (nv - 1 - j + iter / 2) % nv;
      double t0 = now();
      for (long i = 0; i < reps[v]; ++i)
        fn[v](a, b, c, buf->out[v].p, n);
      t[v] = now() - t0;
    }
    ++iter;
    double total = 0;
    for (int v = 0; v < nv; ++v) {
      total += t[v];
      double pe = t[v] / (static_cast<double>(reps[v]) * n);
      perElem[v].push_back(pe);
    }
    for (int v = 1; v < nv; ++v)
      ratio[v].push_back(perElem[v].back() / perElem[kNative].back());
    state.SetIterationTime(total);
  }

  Result &r = results[k];
  r.timed = true;
  for (int v = 0; v < nv; ++v) {
    r.ns[v] = median(perElem[v]) * 1e9;
    if (v) {
      r.ratio[v] = median(ratio[v]);
      std::vector<double> q = ratio[v];
      std::sort(q.begin(), q.end());
      r.spread[v] = (q[(3 * q.size()) / 4] - q[q.size() / 4]) / 2 / r.ratio[v];
    }
  }
  state.counters["native_ns"] = r.ns[kNative];
  state.counters["prism_ns"] = r.ns[kPrism];
  state.counters["ratio"] = r.ratio[kPrism];
  if (isIeee) {
    state.counters["noclone_ns"] = r.ns[kNoClone];
    state.counters["noclone_ratio"] = r.ratio[kNoClone];
  }
  state.counters["changed_pct"] = r.changed[kPrism];
}

// Silent display reporter for --quiet (--benchmark_out still works).
class QuietReporter : public benchmark::BenchmarkReporter {
public:
  bool ReportContext(const Context &) override { return true; }
  void ReportRuns(const std::vector<Run> &) override {}
};

std::string fmtNs(double ns) {
  char s[32];
  if (std::isnan(ns))
    return "-";
  std::snprintf(s, sizeof s, ns < 10 ? "%.3f" : ns < 100 ? "%.2f" : "%.1f", ns);
  return s;
}
std::string fmtRatio(double r) {
  char s[32];
  if (std::isnan(r))
    return "-";
  std::snprintf(s, sizeof s, r < 10 ? "%.2fx" : r < 100 ? "%.1fx" : "%.0fx", r);
  return s;
}

void printTable() {
  std::printf("\nprism microbenchmarks: backend %s, %zu elements per call, "
              "ns per element (median over paired samples), ratio = median of "
              "prism/native within each sample, spread = half its IQR, "
              "changed = elements whose result differs from native\n",
              backend.c_str(), opt.n);
  if (isIeee)
    std::printf("%-8s %-9s %-6s %10s %10s %8s %12s %8s %7s %8s\n", "op",
                "type", "width", "native", "prism", "ratio", "no-clone",
                "ratio", "spread", "changed");
  else
    std::printf("%-8s %-9s %-6s %10s %10s %8s %7s %8s\n", "op", "type",
                "width", "native", "prism", "ratio", "spread", "changed");
  // Geomean of the ratio per width.
  std::map<int, std::pair<double, int>> geo, geoNc;
  std::map<int, std::pair<double, double>> range;
  for (std::size_t k = 0; k < kernelCount; ++k) {
    const Result &r = results[k];
    if (!r.timed)
      continue;
    const Kernel &kn = table[kNative][k];
    char changed[16], spread[16];
    std::snprintf(changed, sizeof changed, "%.1f%%", r.changed[kPrism]);
    // The spread shown is that of the ratio that carries the cost: the
    // no-clone one under ieee, the prism one otherwise.
    std::snprintf(spread, sizeof spread, "%.1f%%",
                  100 * r.spread[isIeee ? kNoClone : kPrism]);
    if (isIeee)
      std::printf("%-8s %-9s %-6s %10s %10s %8s %12s %8s %7s %8s\n",
                  opName(kn.op), typeName(kn.type), widthName(kn.width).c_str(),
                  fmtNs(r.ns[kNative]).c_str(), fmtNs(r.ns[kPrism]).c_str(),
                  fmtRatio(r.ratio[kPrism]).c_str(),
                  fmtNs(r.ns[kNoClone]).c_str(),
                  fmtRatio(r.ratio[kNoClone]).c_str(), spread, changed);
    else
      std::printf("%-8s %-9s %-6s %10s %10s %8s %7s %8s\n", opName(kn.op),
                  typeName(kn.type), widthName(kn.width).c_str(),
                  fmtNs(r.ns[kNative]).c_str(), fmtNs(r.ns[kPrism]).c_str(),
                  fmtRatio(r.ratio[kPrism]).c_str(), spread, changed);
    auto &g = geo[kn.width];
    g.first += std::log(r.ratio[kPrism]);
    ++g.second;
    if (isIeee) {
      auto &h = geoNc[kn.width];
      h.first += std::log(r.ratio[kNoClone]);
      ++h.second;
    }
    double rr = isIeee ? r.ratio[kNoClone] : r.ratio[kPrism];
    auto it = range.find(kn.width);
    if (it == range.end())
      range[kn.width] = {rr, rr};
    else
      it->second = {std::min(it->second.first, rr),
                    std::max(it->second.second, rr)};
  }
  std::printf("summary (%s): ratio geomean [min-max%s] per width:", backend.c_str(),
              isIeee ? " of the no-clone ratio" : "");
  for (auto &[w, g] : geo) {
    std::printf("  %s %s", widthName(w).c_str(),
                fmtRatio(std::exp(g.first / g.second)).c_str());
    if (isIeee)
      std::printf(" (no-clone %s)",
                  fmtRatio(std::exp(geoNc[w].first / geoNc[w].second)).c_str());
    std::printf(" [%s-%s]", fmtRatio(range[w].first).c_str(),
                fmtRatio(range[w].second).c_str());
  }
  std::printf("\n");
}

// ---------------------------------------------------------------- threads

// Two persistent workers; the main thread hands them a job and times it
// between two barriers. Each worker times its own thread CPU time.
class Pool {
public:
  Pool() : start_(3), done_(3) {
    for (int i = 0; i < 2; ++i)
      workers_.emplace_back([this, i] { loop(i); });
  }
  ~Pool() {
    quit_ = true;
    start_.arrive_and_wait();
    for (auto &w : workers_)
      w.join();
  }
  // Runs job(worker) on worker 0 only (threads = 1) or on both; returns the
  // wall time, and each worker's CPU time in cpu[].
  double run(int threads, const std::function<void(int)> &job, double cpu[2]) {
    job_ = &job;
    threads_ = threads;
    double t0 = now();
    start_.arrive_and_wait();
    done_.arrive_and_wait();
    double t = now() - t0;
    cpu[0] = cpu_[0], cpu[1] = cpu_[1];
    return t;
  }

private:
  void loop(int i) {
    for (;;) {
      start_.arrive_and_wait();
      if (quit_)
        return;
      cpu_[i] = 0;
      if (i < threads_) {
        double c0 = threadCpu();
        (*job_)(i);
        cpu_[i] = threadCpu() - c0;
      }
      done_.arrive_and_wait();
    }
  }
  std::barrier<> start_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int)> *job_ = nullptr;
  int threads_ = 1;
  double cpu_[2] = {};
  bool quit_ = false;
};

double loadAvg() {
  double l = NAN;
  if (FILE *f = std::fopen("/proc/loadavg", "r")) {
    if (std::fscanf(f, "%lf", &l) != 1)
      l = NAN;
    std::fclose(f);
  }
  return l;
}

void runThreads() {
  const std::size_t bytes = static_cast<std::size_t>(opt.mb * 1024 * 1024);
  const std::size_t nf = bytes / 2 / sizeof(float) / 32 * 32;  // axpy: x, y
  const std::size_t nd = bytes / 2 / sizeof(double) / 32 * 32; // dot: x, y
  AlignedBuf<float> x(nf), y(nf);
  AlignedBuf<double> u(nd), w(nd);
  std::mt19937_64 g(7);
  std::uniform_real_distribution<double> d(1.0, 2.0);
  for (std::size_t i = 0; i < nf; ++i)
    x.p[i] = static_cast<float>(d(g)), y.p[i] = static_cast<float>(d(g));
  for (std::size_t i = 0; i < nd; ++i)
    u.p[i] = d(g), w.p[i] = d(g);

  Pool pool;
  std::printf("\nprism two-thread throughput: backend %s, %d rounds of "
              "(1 thread, 2 threads) in alternating order, load average at "
              "start %.2f\n",
              backend.c_str(), opt.rounds, loadAvg());
  std::printf("%-14s %-12s %14s %14s %9s %9s %10s\n", "kernel", "size",
              "1T Melem/s", "2T Melem/s", "speedup", "spread", "cpu-scale");

  struct Case {
    const char *name;
    std::string size;
    std::size_t n;
    std::function<void(int, int)> body; // (worker, threads)
  };
  volatile double sink = 0;
  double partial[2] = {};
  char sz1[64], sz2[64];
  std::snprintf(sz1, sizeof sz1, "f32 %.1f MB", 2.0 * nf * 4 / 1048576);
  std::snprintf(sz2, sizeof sz2, "f64 %.1f MB", 2.0 * nd * 8 / 1048576);
  std::vector<Case> cases = {
      {"axpy", sz1, nf,
       [&](int i, int th) {
         std::size_t h = nf / th;
         // a is small so that y stays in [1, 3) over all rounds.
         instrumented::axpy(1e-4f, x.p + i * h, y.p + i * h, h);
       }},
      {"dot", sz2, nd,
       [&](int i, int th) {
         std::size_t h = nd / th;
         partial[i] = instrumented::dot(u.p + i * h, w.p + i * h, h);
       }},
      // Control: the same instrumented axpy inside prism_disable(), so every
      // vector operation still calls the runtime with its operands in
      // memory, but is computed by the built-in IEEE table (no generator).
      // If this one does not scale either, the machine is the limit.
      {"axpy-disabled", sz1, nf,
       [&](int i, int th) {
         std::size_t h = nf / th;
         prism_disable();
         instrumented::axpy(1e-4f, x.p + i * h, y.p + i * h, h);
         prism_enable();
       }},
  };
  // Rounds outer, kernels inner: in each round every kernel runs on 1 and
  // on 2 threads, so the kernels (and the control) see the same machine
  // state, which on a shared VM changes from second to second.
  struct Samples {
    std::vector<double> rate[2], speedup, cpuScale;
  };
  std::vector<Samples> smp(cases.size());
  double cpu[2];
  for (Case &cs : cases) // warm-up: seeds each worker's generators
    for (int th = 1; th <= 2; ++th)
      pool.run(th, [&](int i) { cs.body(i, th); }, cpu);
  for (int r = 0; r < opt.rounds; ++r) {
    for (std::size_t c = 0; c < cases.size(); ++c) {
      Case &cs = cases[c];
      double t[2], cpe[2];
      for (int j = 0; j < 2; ++j) {
        int th = (r % 2 == 0) ? 1 + j : 2 - j;
        std::function<void(int)> job = [&, th](int i) { cs.body(i, th); };
        t[th - 1] = pool.run(th, job, cpu);
        // CPU ns per element, over the threads that worked.
        cpe[th - 1] = (cpu[0] + (th == 2 ? cpu[1] : 0)) / cs.n;
      }
      sink = sink + partial[0] + partial[1];
      smp[c].rate[0].push_back(cs.n / t[0]);
      smp[c].rate[1].push_back(cs.n / t[1]);
      smp[c].speedup.push_back(t[0] / t[1]);
      smp[c].cpuScale.push_back(cpe[0] / cpe[1]);
    }
  }
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const Samples &m = smp[c];
    std::vector<double> q = m.speedup;
    std::sort(q.begin(), q.end());
    double med = median(m.speedup);
    double spread = (q[(3 * q.size()) / 4] - q[q.size() / 4]) / 2 / med;
    std::printf("%-14s %-12s %14.1f %14.1f %8.2fx %8.1f%% %9.2f\n",
                cases[c].name, cases[c].size.c_str(), median(m.rate[0]) / 1e6,
                median(m.rate[1]) / 1e6, med, 100 * spread,
                median(m.cpuScale));
  }
  std::printf("speedup = median over rounds of (1-thread wall time / 2-thread "
              "wall time); spread = half the interquartile range; cpu-scale = "
              "1-thread CPU time per element / 2-thread CPU time per element "
              "(1.00 = no per-element cost from running two threads)\n");
  std::printf("load average at end %.2f\n", loadAvg());
}

} // namespace

int main(int argc, char **argv) {
  if (!parseOwn(&argc, argv))
    return 2;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 2;

  backend = prism_backend_name();
  isIeee = backend == "ieee";
  std::size_t cn = 0, ci = 0, cc = 0;
  table[kNative] = native::kernels(&cn);
  table[kPrism] = instrumented::kernels(&ci);
  table[kNoClone] = noclone::kernels(&cc);
  if (cn != ci || cn != cc) {
    std::fprintf(stderr, "kernel tables differ between builds\n");
    return 1;
  }
  kernelCount = cn;
  results.resize(kernelCount);

  int status = 0;
  if (opt.micro) {
    Buffers b(opt.n);
    buf = &b;
    if (!check())
      status = 1;
    if (opt.checkOnly) {
      std::printf("check %s: backend %s, %zu kernels x %d builds\n",
                  status ? "FAILED" : "passed", backend.c_str(), kernelCount,
                  activeVariants());
      return status;
    }
    for (std::size_t k = 0; k < kernelCount; ++k) {
      const Kernel &kn = table[kNative][k];
      std::string name = std::string(opName(kn.op)) + "/" +
                         typeName(kn.type) + "/" + widthName(kn.width);
      benchmark::RegisterBenchmark(name.c_str(), runMicro, k)
          ->UseManualTime()
          ->Unit(benchmark::kMicrosecond);
    }
    QuietReporter quiet;
    if (opt.quiet)
      benchmark::RunSpecifiedBenchmarks(&quiet);
    else
      benchmark::RunSpecifiedBenchmarks();
    printTable();
    buf = nullptr;
  }
  if (opt.threads)
    runThreads();
  benchmark::Shutdown();
  return status;
}
