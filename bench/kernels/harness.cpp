// harness.cpp - times the kernel suite natively and instrumented, in one run.
//
// The same kernels.cpp is linked twice: prism_bench::native (clang++-19) and
// prism_bench::instrumented (prism-c++), built with the same flags. The backend
// of the instrumented variant is the one libprism loaded from PRISM_BACKEND.
//
//   1. Check: each kernel runs once per variant on identical inputs. Under
//      ieee the outputs must be bit-identical (exit status 1 otherwise); under
//      other backends the normwise relative error max|p-n| / max|n| is shown
//      (with --expect-differ, identical or non-finite outputs fail).
//   2. Time: per kernel, a sample is a batch of calls of one variant lasting
//      at least --sample-ms (one call if a call is longer). Samples alternate
//      native/prism in rounds (ABBA order), on the very same buffers, until
//      the kernel has used --budget seconds and has at least --min-rounds
//      rounds. The slowdown is the median over rounds of prism/native per-call
//      time within the round: load from other processes, frequency changes
//      and page placement then hit both variants alike. Times are the
//      calling thread's CPU time (--wall: wall-clock time).
//   3. Report: a table (kernel, native, prism, slowdown, spread, check) and
//      the geometric mean of the slowdowns, last as `geomean <backend> <x>`.
//
// Google Benchmark is not used on purpose: it runs one benchmark for a whole
// repetition (tens of ms) before the next, and on this shared 2-vCPU VM the
// prism/native ratio of identical code (ieee) then moved by about +-10% from
// run to run; alternating ~2 ms samples keeps it within a few percent.
#include "kernels.h"

#include <prism.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <new>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace prism_bench;

enum Impl { kNative = 0, kPrism = 1 };

// An output buffer of a kernel, for the comparison of the two variants.
struct Output {
  const float *f = nullptr;
  const double *d = nullptr;
  std::size_t n = 0;
  double at(std::size_t i) const { return f ? f[i] : d[i]; }
};

// 64-byte aligned buffers: the alignment of the arrays then does not depend
// on the heap, and both variants run on the very same buffers (a kernel such
// as gemm is sensitive to the relative addresses of its arrays).
template <class T> struct AlignedAlloc {
  using value_type = T;
  AlignedAlloc() = default;
  template <class U> AlignedAlloc(const AlignedAlloc<U> &) {}
  T *allocate(std::size_t n) {
    return static_cast<T *>(
        ::operator new(n * sizeof(T), std::align_val_t(64)));
  }
  void deallocate(T *p, std::size_t) {
    ::operator delete(p, std::align_val_t(64));
  }
  bool operator==(const AlignedAlloc &) const { return true; }
};
template <class T> using Buf = std::vector<T, AlignedAlloc<T>>;

template <class T>
Buf<T> random(std::size_t n, double lo, double hi, unsigned seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  Buf<T> v(n);
  for (T &x : v)
    x = static_cast<T>(u(g));
  return v;
}

// One kernel with its buffers, used by both variants.
class Case {
public:
  virtual ~Case() = default;
  virtual const char *name() const = 0;
  virtual const char *type() const = 0;
  virtual std::string size() const = 0;
  // Restores in-place operands to their initial state.
  virtual void reset() {}
  virtual void run(Impl) = 0;
  virtual Output output() const = 0;
};

class Dot : public Case {
  static constexpr std::size_t kN = 16384;
  Buf<double> x_ = random<double>(kN, -1, 1, 1),
              y_ = random<double>(kN, -1, 1, 2);
  double r_ = 0;

public:
  const char *name() const override { return "dot"; }
  const char *type() const override { return "f64"; }
  std::string size() const override { return "n=16384"; }
  void run(Impl i) override {
    r_ = i == kNative ? native::dot(x_.data(), y_.data(), kN)
                      : instrumented::dot(x_.data(), y_.data(), kN);
  }
  Output output() const override { return {nullptr, &r_, 1}; }
};

class Axpy : public Case {
  static constexpr std::size_t kN = 32768;
  Buf<float> x_ = random<float>(kN, -1, 1, 3),
             y0_ = random<float>(kN, -1, 1, 4), y_ = y0_;

public:
  const char *name() const override { return "axpy"; }
  const char *type() const override { return "f32"; }
  std::string size() const override { return "n=32768"; }
  void reset() override { y_ = y0_; }
  // In place, as in BLAS: y drifts by a*x per call while timing, harmlessly.
  void run(Impl i) override {
    (i == kNative ? native::axpy : instrumented::axpy)(0.001f, x_.data(),
                                                       y_.data(), kN);
  }
  Output output() const override { return {y_.data(), nullptr, kN}; }
};

class Gemm : public Case {
  static constexpr int kM = 128, kN = 128, kK = 128;
  Buf<float> a_ = random<float>(kM * kK, -1, 1, 5),
             b_ = random<float>(kK * kN, -1, 1, 6), c_ = Buf<float>(kM * kN);

public:
  const char *name() const override { return "gemm"; }
  const char *type() const override { return "f32"; }
  std::string size() const override { return "128x128x128"; }
  void run(Impl i) override {
    (i == kNative ? native::gemm : instrumented::gemm)(a_.data(), b_.data(),
                                                       c_.data(), kM, kN, kK);
  }
  Output output() const override { return {c_.data(), nullptr, c_.size()}; }
};

class Stencil : public Case {
  static constexpr int kN = 128, kSweeps = 4;
  Buf<double> in_ = random<double>(kN * kN, 0, 1, 7),
              out_ = Buf<double>(kN * kN), tmp_ = Buf<double>(kN * kN);

public:
  const char *name() const override { return "stencil"; }
  const char *type() const override { return "f64"; }
  std::string size() const override { return "128^2 x4 sweeps"; }
  void run(Impl i) override {
    (i == kNative ? native::stencil : instrumented::stencil)(
        in_.data(), out_.data(), tmp_.data(), kN, kSweeps);
  }
  Output output() const override { return {nullptr, out_.data(), out_.size()}; }
};

class Polynomial : public Case {
  static constexpr std::size_t kN = 8192;
  Buf<double> c_, x_ = random<double>(kN, -1, 1, 8), y_ = Buf<double>(kN);

public:
  Polynomial() {
    double f = 1; // Taylor coefficients of exp
    for (int j = 0; j <= kPolyDegree; ++j, f *= j)
      c_.push_back(1 / f);
  }
  const char *name() const override { return "polynomial"; }
  const char *type() const override { return "f64"; }
  std::string size() const override { return "n=8192 deg=15"; }
  void run(Impl i) override {
    (i == kNative ? native::polynomial : instrumented::polynomial)(
        c_.data(), x_.data(), y_.data(), kN);
  }
  Output output() const override { return {nullptr, y_.data(), kN}; }
};

class Softmax : public Case {
  static constexpr int kRows = 32, kCols = 1024;
  Buf<float> x_ = random<float>(kRows * kCols, -4, 4, 9),
             y_ = Buf<float>(kRows * kCols);

public:
  const char *name() const override { return "softmax"; }
  const char *type() const override { return "f32"; }
  std::string size() const override { return "32x1024"; }
  void run(Impl i) override {
    (i == kNative ? native::softmax
                  : instrumented::softmax)(x_.data(), y_.data(), kRows, kCols);
  }
  Output output() const override { return {y_.data(), nullptr, y_.size()}; }
};

class Conv2d : public Case {
  static constexpr int kH = 192, kW = 192;
  static constexpr int kOut = (kH - kConvTaps + 1) * (kW - kConvTaps + 1);
  Buf<float> in_ = random<float>(kH * kW, -1, 1, 10),
             f_ = random<float>(kConvTaps * kConvTaps, -0.2, 0.2, 11),
             out_ = Buf<float>(kOut);

public:
  const char *name() const override { return "conv2d"; }
  const char *type() const override { return "f32"; }
  std::string size() const override { return "192^2 * 5x5"; }
  void run(Impl i) override {
    (i == kNative ? native::conv2d : instrumented::conv2d)(
        in_.data(), f_.data(), out_.data(), kH, kW);
  }
  Output output() const override { return {out_.data(), nullptr, out_.size()}; }
};

class Layernorm : public Case {
  static constexpr int kRows = 32, kCols = 1024;
  Buf<float> x_ = random<float>(kRows * kCols, -1.5, 2.5, 12),
             g_ = random<float>(kCols, 0.5, 1.5, 13),
             b_ = random<float>(kCols, -0.1, 0.1, 14),
             y_ = Buf<float>(kRows * kCols);

public:
  const char *name() const override { return "layernorm"; }
  const char *type() const override { return "f32"; }
  std::string size() const override { return "32x1024"; }
  void run(Impl i) override {
    (i == kNative ? native::layernorm : instrumented::layernorm)(
        x_.data(), g_.data(), b_.data(), y_.data(), kRows, kCols);
  }
  Output output() const override { return {y_.data(), nullptr, y_.size()}; }
};

std::vector<std::unique_ptr<Case>> makeCases() {
  std::vector<std::unique_ptr<Case>> v;
  v.push_back(std::make_unique<Dot>());
  v.push_back(std::make_unique<Axpy>());
  v.push_back(std::make_unique<Gemm>());
  v.push_back(std::make_unique<Stencil>());
  v.push_back(std::make_unique<Polynomial>());
  v.push_back(std::make_unique<Softmax>());
  v.push_back(std::make_unique<Conv2d>());
  v.push_back(std::make_unique<Layernorm>());
  return v;
}

struct CheckResult {
  bool identical = false;
  bool finite = true;
  double rel_err = 0; // max|p - n| / max|n|
};

CheckResult check(Case &c) {
  c.reset();
  c.run(kNative);
  Output o = c.output();
  std::vector<double> ref(o.n);
  for (std::size_t i = 0; i < o.n; ++i)
    ref[i] = o.at(i); // exact: float -> double
  c.reset();
  c.run(kPrism);
  o = c.output();
  CheckResult r;
  r.identical = true;
  double maxdiff = 0, maxabs = 0;
  for (std::size_t i = 0; i < o.n; ++i) {
    double p = o.at(i), n = ref[i];
    if (std::memcmp(&p, &n, sizeof p) != 0)
      r.identical = false;
    if (!std::isfinite(p) && std::isfinite(n))
      r.finite = false;
    maxdiff = std::max(maxdiff, std::fabs(p - n));
    maxabs = std::max(maxabs, std::fabs(n));
  }
  r.rel_err = maxabs > 0 ? maxdiff / maxabs : maxdiff;
  c.reset();
  return r;
}

struct Options {
  double sample_s = 0.002; // minimum duration of one sample
  double budget_s = 1.0;   // time per kernel, both variants together
  int min_rounds = 7;
  int max_rounds = 201;
  bool wall = false;
  bool check_only = false;
  bool expect_differ = false; // fail if a kernel is bit-identical to native
  std::vector<std::string> filters; // substrings of kernel names
};

double now(const Options &o) {
  if (o.wall)
    return std::chrono::duration<double>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         1e-9 * static_cast<double>(ts.tv_nsec);
}

// Seconds per call of `batch` consecutive calls.
double sample(Case &c, Impl impl, long batch, const Options &o) {
  double t0 = now(o);
  for (long i = 0; i < batch; ++i)
    c.run(impl);
  return (now(o) - t0) / static_cast<double>(batch);
}

// Smallest power-of-two batch whose sample lasts at least o.sample_s.
long calibrate(Case &c, Impl impl, const Options &o) {
  long batch = 1;
  while (batch < (1L << 30)) {
    double per_call = sample(c, impl, batch, o);
    if (per_call * static_cast<double>(batch) >= o.sample_s)
      break;
    // Jump close to the target, then double if still short.
    double want = o.sample_s / std::max(per_call, 1e-9);
    long next = batch * 2;
    while (static_cast<double>(next) < 0.5 * want)
      next *= 2;
    batch = next;
  }
  return batch;
}

double median(std::vector<double> v) {
  if (v.empty())
    return NAN;
  std::sort(v.begin(), v.end());
  std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

double quantile(std::vector<double> v, double q) {
  if (v.empty())
    return NAN;
  std::sort(v.begin(), v.end());
  double pos = q * static_cast<double>(v.size() - 1);
  std::size_t i = static_cast<std::size_t>(pos);
  double f = pos - static_cast<double>(i);
  return i + 1 < v.size() ? v[i] * (1 - f) + v[i + 1] * f : v[i];
}

struct Timing {
  double native = NAN, prism = NAN; // median seconds per call
  double ratio = NAN;               // median of the per-round ratios
  double spread = NAN; // half the interquartile range of the ratios / ratio
  int rounds = 0;
};

Timing measure(Case &c, const Options &o) {
  long batch[2] = {calibrate(c, kNative, o), calibrate(c, kPrism, o)};
  std::vector<double> t[2], ratios;
  double t0 = now(o);
  while (static_cast<int>(ratios.size()) < o.max_rounds) {
    double r[2];
    // ABBA: native first in even rounds, prism first in odd ones.
    Impl first = ratios.size() % 2 ? kPrism : kNative;
    Impl second = first == kNative ? kPrism : kNative;
    r[first] = sample(c, first, batch[first], o);
    r[second] = sample(c, second, batch[second], o);
    t[kNative].push_back(r[kNative]);
    t[kPrism].push_back(r[kPrism]);
    ratios.push_back(r[kPrism] / r[kNative]);
    if (static_cast<int>(ratios.size()) >= o.min_rounds &&
        now(o) - t0 >= o.budget_s)
      break;
  }
  Timing tm;
  tm.native = median(t[kNative]);
  tm.prism = median(t[kPrism]);
  tm.ratio = median(ratios);
  tm.spread =
      0.5 * (quantile(ratios, 0.75) - quantile(ratios, 0.25)) / tm.ratio;
  tm.rounds = static_cast<int>(ratios.size());
  return tm;
}

std::string formatTime(double s) {
  char buf[32];
  if (!(s == s))
    return "-";
  if (s < 1e-6)
    std::snprintf(buf, sizeof buf, "%.1f ns", s * 1e9);
  else if (s < 1e-3)
    std::snprintf(buf, sizeof buf, "%.2f us", s * 1e6);
  else if (s < 1)
    std::snprintf(buf, sizeof buf, "%.2f ms", s * 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.3f s", s);
  return buf;
}

std::string formatRatio(double r) {
  char buf[32];
  if (!(r == r))
    return "-";
  std::snprintf(buf, sizeof buf, r < 100 ? "%.2fx" : "%.0fx", r);
  return buf;
}

bool parseNumber(const std::string &arg, const char *name, double &out) {
  std::string prefix = std::string(name) + "=";
  if (arg.rfind(prefix, 0) != 0)
    return false;
  char *end;
  out = std::strtod(arg.c_str() + prefix.size(), &end);
  if (*end || !(out > 0)) {
    std::fprintf(stderr, "invalid %s (expected a positive number)\n",
                 arg.c_str());
    std::exit(2);
  }
  return true;
}

void usage(const char *argv0) {
  std::printf(
      "usage: %s [options] [kernel ...]\n"
      "Times the kernels natively and built by prism-c++ (backend: "
      "PRISM_BACKEND).\n"
      "  kernel ...        only kernels whose name contains one of these\n"
      "  --budget=S        seconds per kernel (default 1)\n"
      "  --sample-ms=MS    minimum duration of one timed sample (default 2)\n"
      "  --min-rounds=N    minimum native/prism rounds per kernel (default 7)\n"
      "  --max-rounds=N    maximum rounds per kernel (default 201)\n"
      "  --wall            wall-clock instead of thread CPU time\n"
      "  --check-only      compare the results, do not time\n"
      "  --expect-differ   fail if a kernel gives results bit-identical to\n"
      "                    native or non-finite (for sr: checks that the\n"
      "                    kernels are instrumented and sane)\n"
      "  --list            list the kernels\n",
      argv0);
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  auto cases = makeCases();
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    double v;
    if (a == "-h" || a == "--help") {
      usage(argv[0]);
      return 0;
    } else if (a == "--list") {
      for (auto &c : cases)
        std::printf("%s\n", c->name());
      return 0;
    } else if (a == "--wall")
      o.wall = true;
    else if (a == "--check-only")
      o.check_only = true;
    else if (a == "--expect-differ")
      o.expect_differ = true;
    else if (parseNumber(a, "--budget", v))
      o.budget_s = v;
    else if (parseNumber(a, "--sample-ms", v))
      o.sample_s = v * 1e-3;
    else if (parseNumber(a, "--min-rounds", v))
      o.min_rounds = static_cast<int>(v);
    else if (parseNumber(a, "--max-rounds", v))
      o.max_rounds = static_cast<int>(v);
    else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "%s: unknown option '%s'\n", argv[0], a.c_str());
      usage(argv[0]);
      return 2;
    } else
      o.filters.push_back(a);
  }
  o.max_rounds = std::max(o.max_rounds, o.min_rounds);
  if (!o.filters.empty()) {
    std::erase_if(cases, [&](const std::unique_ptr<Case> &c) {
      return std::none_of(
          o.filters.begin(), o.filters.end(), [&](const std::string &f) {
            return std::string(c->name()).find(f) != std::string::npos;
          });
    });
    if (cases.empty()) {
      std::fprintf(stderr, "%s: no kernel matches\n", argv[0]);
      return 2;
    }
  }

  const std::string backend = prism_backend_name();
  const bool ieee = backend == "ieee";
  std::printf("prism kernel suite: backend %s, %s time; slowdown = median over "
              "rounds of prism/native\n",
              backend.c_str(), o.wall ? "wall-clock" : "thread CPU");
  std::printf("%-11s %-4s %-16s %11s %11s %9s %7s %6s  %s\n", "kernel", "type",
              "size", "native", "prism", "slowdown", "spread", "rounds",
              ieee ? "check" : "check (rel. error)");
  std::fflush(stdout);

  std::vector<std::string> failures; // "kernel: reason"
  bool any_differs = false;
  double log_sum = 0;
  int n_ratios = 0;
  for (auto &cp : cases) {
    Case &c = *cp;
    CheckResult r = check(c);
    any_differs |= !r.identical;
    if (ieee && !r.identical)
      failures.push_back(std::string(c.name()) +
                         ": ieee result differs from native");
    if (o.expect_differ && !r.finite)
      failures.push_back(std::string(c.name()) + ": non-finite result");
    if (o.expect_differ && r.identical)
      failures.push_back(std::string(c.name()) +
                         ": result bit-identical to native");
    Timing tm;
    if (!o.check_only)
      tm = measure(c, o);
    if (tm.ratio == tm.ratio && tm.ratio > 0) {
      log_sum += std::log(tm.ratio);
      ++n_ratios;
    }
    char chk[64], spread[16] = "-", rounds[16] = "-";
    if (r.identical)
      std::snprintf(chk, sizeof chk, "bit-identical");
    else if (!r.finite)
      std::snprintf(chk, sizeof chk, "NON-FINITE");
    else
      std::snprintf(chk, sizeof chk, "%s%.1e", ieee ? "MISMATCH " : "",
                    r.rel_err);
    if (tm.rounds) {
      std::snprintf(spread, sizeof spread, "%.1f%%", 100 * tm.spread);
      std::snprintf(rounds, sizeof rounds, "%d", tm.rounds);
    }
    std::printf("%-11s %-4s %-16s %11s %11s %9s %7s %6s  %s\n", c.name(),
                c.type(), c.size().c_str(), formatTime(tm.native).c_str(),
                formatTime(tm.prism).c_str(), formatRatio(tm.ratio).c_str(),
                spread, rounds, chk);
    std::fflush(stdout);
  }
  if (!ieee && !any_differs)
    std::printf("warning: backend %s gives results bit-identical to native on "
                "every kernel; is the instrumentation active?\n",
                backend.c_str());
  if (n_ratios > 0) {
    double g = std::exp(log_sum / n_ratios);
    std::printf("%-11s %-4s %-16s %11s %11s %9s\n", "geomean", "", "", "", "",
                formatRatio(g).c_str());
    std::printf("geomean %s %.3f (%d kernels)\n", backend.c_str(), g, n_ratios);
  }
  for (const std::string &f : failures)
    std::printf("FAILED: %s\n", f.c_str());
  return failures.empty() ? 0 : 1;
}
