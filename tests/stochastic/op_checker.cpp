// op_checker.cpp - __prism_check, which code built with
// `-mllvm -prism-check-hook` calls after every rounded operation of its sr/ud
// clones: each lane's result is checked against MPFR (tests/unit/mpfr_oracle.h)
// as it happens, so programs no one here wrote can be verified on the operands
// they really compute.
//
// Per lane: the exact result x of op(a, b, c); an exact x (zero sign, inf and
// NaN included) must come back bit for bit, an inexact one as RD(x) or RU(x).
// For the frequencies each inexact lane adds its pUp (sr: (x - RD)/(RU - RD);
// ud: 1/2) to one of ten bins by pUp, with the indicator "RU came back". The
// indicators minus their pUp are martingale differences (each threshold is a
// fresh uniform draw, whatever the operands the earlier draws led to), so a
// bin's count of RU has mean sum(pUp) and variance sum(pUp (1 - pUp)); the
// test asks for 6 sigma. Binning matters: round-to-nearest matches the total
// on symmetric data, but not bins [0, 0.1) and [0.9, 1).
//
// At exit the tallies are appended to $OP_CHECKER_OUT (stderr if unset):
//   op <op> <type> lanes=<mask> n=<lanes> exact=<k> inexact=<k> bad=<k>
//   bin <op> <type> <bin> n=<k> up=<k> mean=<sum pUp> var=<sum pUp(1-pUp)>
// and the first failures as `bad <description>` lines. The backend (sr or ud)
// comes from PRISM_BACKEND.
#include "mpfr_oracle.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

using namespace prism_test;

namespace {

constexpr int kBins = 10;
constexpr int kMaxReported = 20;

struct Bin {
  long n = 0, up = 0;
  double mean = 0, var = 0;
};

struct Tally {
  long n = 0, exact = 0, inexact = 0, bad = 0;
  uint64_t lanes = 0; // bit k: an operation of 2^k lanes was seen (k < 64)
  std::array<Bin, kBins> bins{};
};

struct Checker {
  std::mutex mu;
  std::map<std::pair<int, int>, Tally> tallies; // (op, result bits)
  std::string failures;
  long reported = 0;
  bool ud = false;

  Checker() {
    const char *b = std::getenv("PRISM_BACKEND");
    ud = b && std::strcmp(b, "ud") == 0;
  }
  ~Checker() { report(); }

  void report() {
    std::lock_guard<std::mutex> lock(mu);
    const char *path = std::getenv("OP_CHECKER_OUT");
    FILE *f = path && *path ? std::fopen(path, "a") : stderr;
    if (!f) {
      std::fprintf(stderr, "op_checker: cannot open OP_CHECKER_OUT=%s\n", path);
      std::_Exit(3);
    }
    for (auto &[key, t] : tallies) {
      const char *op = opName(static_cast<Op>(key.first));
      const char *ty = key.second == 32 ? "f32" : "f64";
      std::fprintf(f, "op %s %s lanes=%llu n=%ld exact=%ld inexact=%ld bad=%ld\n",
                   op, ty, static_cast<unsigned long long>(t.lanes), t.n,
                   t.exact, t.inexact, t.bad);
      for (int i = 0; i < kBins; ++i)
        if (t.bins[i].n)
          std::fprintf(f, "bin %s %s %d n=%ld up=%ld mean=%.17g var=%.17g\n", op,
                       ty, i, t.bins[i].n, t.bins[i].up, t.bins[i].mean,
                       t.bins[i].var);
    }
    std::fputs(failures.c_str(), f);
    if (f != stderr)
      std::fclose(f);
  }

  // One lane: R is the result type, the operands are given as doubles.
  template <class R> void lane(Op op, const Inputs &in, R got) {
    Tally &t = tallies[{static_cast<int>(op), int(sizeof(R) * 8)}];
    t.n++;
    Mpfr x(64);
    const int tern = mpfrExact<R>(x, op, in, MPFR_RNDN);
    std::string err;
    bool ok;
    if (mpfr_nan_p(x)) {
      ok = std::isnan(got);
      t.exact++;
    } else if (!mpfr_regular_p(x)) { // +-inf, exact zero (IEEE RN's sign)
      ok = sameBits(got, toStorage<R>(x, mpfr_signbit(x) ? -1 : 1, &err));
      t.exact++;
    } else {
      GridRef g(x, tern, prism::virtualFormat<R>(std::numeric_limits<R>::digits));
      err += g.err;
      const R d = toStorage<R>(g.d, g.sign, &err);
      const R u = toStorage<R>(g.u, g.sign, &err);
      if (g.exact || sameBits(d, u)) { // on the grid, or both overflow to inf
        ok = sameBits(got, d);
        t.exact++;
      } else {
        t.inexact++;
        const bool isUp = sameBits(got, u);
        ok = isUp || sameBits(got, d);
        if (ok) {
          const double p = ud ? 0.5 : g.pUp;
          Bin &b = t.bins[std::min(kBins - 1, static_cast<int>(p * kBins))];
          b.n++;
          b.up += isUp;
          b.mean += p;
          b.var += p * (1 - p);
        }
      }
    }
    if (ok && err.empty())
      return;
    t.bad++;
    if (reported++ < kMaxReported)
      failures += "bad " + str<R>(op, in) + ": got " + str(got) + ", exact " +
                  str(x) + (err.empty() ? "" : " [" + err + "]") + "\n";
  }

  template <class R, class T>
  void check(Op op, uint32_t lanes, const void *a, const void *b, const void *c,
             const void *r) {
    auto at = [](const void *p, uint32_t i) {
      T v = 0;
      if (p)
        std::memcpy(&v, static_cast<const char *>(p) + i * sizeof(T), sizeof(T));
      return static_cast<double>(v);
    };
    std::lock_guard<std::mutex> lock(mu);
    if (lanes && lanes < 64 && !(lanes & (lanes - 1)))
      tallies[{static_cast<int>(op), int(sizeof(R) * 8)}].lanes |=
          uint64_t(1) << __builtin_ctz(lanes);
    for (uint32_t i = 0; i < lanes; ++i) {
      R got;
      std::memcpy(&got, static_cast<const char *>(r) + i * sizeof(R), sizeof(R));
      lane<R>(op, {at(a, i), at(b, i), at(c, i)}, got);
    }
  }
};

Checker &checker() {
  static Checker c;
  return c;
}

} // namespace

// kind: the pass's OpKind (add, sub, mul, div, fma, sqrt, trunc: the order of
// prism_test::Op); bits: the result's element width.
extern "C" void __prism_check(uint32_t kind, uint32_t lanes, uint32_t bits,
                              const void *a, const void *b, const void *c,
                              const void *r) {
  const Op op = static_cast<Op>(kind);
  if (kind > static_cast<uint32_t>(Op::Trunc) || (bits != 32 && bits != 64) ||
      (op == Op::Trunc && bits != 32)) {
    std::fprintf(stderr, "op_checker: bad call (kind %u, bits %u)\n", kind, bits);
    std::_Exit(3);
  }
  if (op == Op::Trunc)
    checker().check<float, double>(op, lanes, a, b, c, r);
  else if (bits == 32)
    checker().check<float, float>(op, lanes, a, b, c, r);
  else
    checker().check<double, double>(op, lanes, a, b, c, r);
}
