// stochastic_test.cpp - sr and ud end to end, against MPFR.
//
// programs/stochastic_ops.c applies one operation (add, sub, mul, div, fma,
// fmuladd, sqrt, the double->float fptrunc) to given operands many times, as
// float or double scalars and clang vectors of 2, 3, 4, 8 and 16 lanes, and
// prints every distinct result with its count. It is built with prism-cc at
// -O2 -march=native (FMA: every operation inline in the .prism_fast clones),
// -O2 -march=x86-64 (no FMA: only add/sub/fptrunc inline, the rest through the
// runtime, fmuladd as a rounded mul then a rounded add) and -O0, and with
// clang-19 for the IEEE reference. Each build runs under PRISM_BACKEND=sr and
// ud, with the inline fast path (PRISM_INLINE=on, the default) and without
// (off), and every observation is checked against tests/unit/mpfr_oracle.h:
//   - each result is RD(x) or RU(x) of the exact result x (MPFR), on the
//     binary32/binary64 grid with subnormals, exponent unbounded above so that
//     a neighbour >= 2^(emax+1) is +-inf (IEEE overflow); an exact x (sign of
//     zero included) comes back bit for bit; NaN stays NaN, inf stays inf;
//   - sr: RU comes back with probability pUp = (x - RD)/(RU - RD), ud: 1/2;
//     every outcome's count k over n draws must satisfy
//       |k - n q| <= 6 sqrt(n q (1 - q)) + 1
//     (6 sigma: a correct backend fails one check with probability < 2e-9;
//     the +1 absorbs the integer lattice and the thresholds' resolution, 2^-23
//     for float, i.e. n 2^-23 = 0.012 draws at n = 10^5). n >= 10^5 for every
//     inexact input (splat layout), ~5000 in the mixed-lanes layout;
//   - sr: the mean of the results is x within the same 6 sigma;
//   - with PRISM_SEED fixed (kSeed) a run reproduces its whole result
//     sequence (hash), another seed changes it;
//   - the same membership and frequencies (2*10^4 draws) when the first
//     operand is loop-carried (an accumulator: add/sub take Fast2Sum) and for
//     fmuladd by the constant 0.25 (an exact product, then a rounded sum);
//   - prism_disable() inside a (fast-clone) function gives the IEEE result,
//     prism_enable() brings the perturbation back;
//   - the IR of the prism build has the vector instructions of each width and
//     the .prism_fast clones, with the inline transform where expected, and
//     on AVX-512 the .prism_ud clones exactly where there are additions,
//     products, fmas or fptruncs (their results are checked above like every
//     other: the ud runs of the native build take them).
// fmuladd without FMA is two roundings (mul, then add), as the native code
// does; its oracle composes the two distributions.
#include "e2e.h"
#include "mpfr_oracle.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <functional>
#include <cstdint>
#include <map>
#include <regex>
#include <set>
#include <sstream>

using namespace e2e;
using namespace prism_test;

namespace {

constexpr const char *kSeed = "20240611"; // PRISM_SEED of every checked run
constexpr long kStatDraws = 100000;       // per inexact input (splat layout)
constexpr long kDetDraws = 1000;          // per exact/special input
constexpr long kLaneDraws = 5000;         // per input, mixed-lanes layout
constexpr long kChainDraws = 20000;       // per input, chain/quarter layouts
constexpr int kWidths[] = {1, 2, 3, 4, 8, 16};

std::string programSource() {
  return sourceDir() + "/tests/stochastic/programs/stochastic_ops.c";
}

// ------------------------------------------------------------- configurations

struct Config {
  const char *name;
  std::vector<std::string> flags;
  bool fma; // the target fuses: every op inline, fmuladd rounded once
};

const std::vector<Config> &configs() {
  static const std::vector<Config> c = {
      {"O2_native", {"-O2", "-march=native"},
       __builtin_cpu_supports("fma") || __builtin_cpu_supports("avx512f")},
      {"O2_x86_64", {"-O2", "-march=x86-64"}, false},
      {"O0", {"-O0"}, false}, // default target x86-64: no FMA
  };
  return c;
}

// The program's IR after the pass (prism-cc -S -emit-llvm).
std::string buildIr(const Config &cfg) {
  std::vector<std::string> cmd{prismCC()};
  cmd.insert(cmd.end(), cfg.flags.begin(), cfg.flags.end());
  cmd.insert(cmd.end(), {"-ffp-contract=on", "-Wno-psabi", "-S", "-emit-llvm",
                         programSource()});
  return build(std::string("stochastic_ops_") + cfg.name + ".ll", cmd);
}

std::string buildProgram(const Config &cfg, bool prism) {
  std::vector<std::string> cmd{prism ? prismCC() : clangC()};
  cmd.insert(cmd.end(), cfg.flags.begin(), cfg.flags.end());
  cmd.insert(cmd.end(), {"-ffp-contract=on", "-Wall", "-Wno-psabi",
                         programSource(), "-lm"});
  return build(std::string("stochastic_ops_") + cfg.name +
                   (prism ? "_prism" : "_native"),
               cmd);
}

// Every build of the suite, two at a time: the ctest fixture
// (stochastic.build) runs this before the other tests, which then find the
// programs in build()'s cache instead of compiling them concurrently.
TEST(Setup, BuildPrograms) {
  std::vector<std::function<std::string()>> jobs;
  for (const Config &cfg : configs()) {
    jobs.push_back([&cfg] { return buildProgram(cfg, true); });
    jobs.push_back([&cfg] { return buildProgram(cfg, false); });
    jobs.push_back([&cfg] { return buildIr(cfg); });
  }
  buildAll(jobs);
}

// ------------------------------------------------------------------ operations

enum class Kind { Add, Sub, Mul, Div, Fma, FmulAdd, Sqrt, Trunc };

struct OpCase {
  Kind kind;
  const char *name; // the program's OP
  bool dbl;         // operand type double (trunc: always)
};

const std::vector<OpCase> &opCases() {
  static const std::vector<OpCase> c = [] {
    std::vector<OpCase> v;
    const std::pair<Kind, const char *> ops[] = {
        {Kind::Add, "add"}, {Kind::Sub, "sub"},         {Kind::Mul, "mul"},
        {Kind::Div, "div"}, {Kind::Fma, "fma"},         {Kind::FmulAdd, "fmuladd"},
        {Kind::Sqrt, "sqrt"}};
    for (auto [k, n] : ops)
      for (bool d : {false, true})
        v.push_back({k, n, d});
    v.push_back({Kind::Trunc, "trunc", true});
    return v;
  }();
  return c;
}

std::string typeName(const OpCase &oc) { return oc.dbl ? "f64" : "f32"; }

// Inline in the fast clone (FastClone.cpp's inlinable()).
bool inlinable(Kind k, bool fma) {
  return fma || k == Kind::Add || k == Kind::Sub || k == Kind::Trunc;
}

// ------------------------------------------------------------------- inputs

// The operands of each case: ordinary values, exact cases, cancellations,
// subnormal results, the edges of the fast path's safe range (2^-914 / 2^-76
// and max/2), overflow, zeros, infinities and NaN. Float inputs are floats.
//
// lowBinades: add/sub whose RN result lies in the lowest normal binades
// (2^emin <= |s| < 2^(emin+p)), where the error is a few subnormal units and
// the threshold product u * gap is not representable (LowBinadeTest).
template <class T> std::vector<Inputs> inputsFor(Kind k, bool lowBinades = false) {
  using L = std::numeric_limits<T>;
  const double P = L::digits;
  const int emin = L::min_exponent - 1, emax = L::max_exponent - 1;
  const double eps = std::ldexp(1.0, 1 - L::digits);
  const double tiny = L::denorm_min(), mn = L::min(), mx = L::max();
  const double ulpMax = std::ldexp(1.0, emax - L::digits + 1);
  const double safeHigh = mx / 2;
  const double inf = INFINITY, nan = NAN;
  auto t = [](double v) { return static_cast<double>(static_cast<T>(v)); };
  auto ld = [](double v, int e) { return std::ldexp(v, e); };
  const double third = t(1.0 / 3), pi = t(M_PI), e_ = t(M_E);
  const double h = std::ldexp(1.0, -(L::digits + 1) / 2); // (1+h)^2: p 1/4, 1/2
  // 2^(emin + 2p - 8): under the fast path's safe range, 2^(emin + 2p + 2).
  const int below = emin + 2 * L::digits - 8;
  std::vector<Inputs> v;
  switch (k) {
  case Kind::Add:
  case Kind::Sub: {
    std::vector<Inputs> a = lowBinades ? std::vector<Inputs>{
        {ld(1 + eps, emin + 1), tiny},  {ld(1 + eps, emin + 2), tiny},
        {ld(1 + eps, emin + 3), -tiny}, {ld(1, emin + 6), -3 * tiny},
        {ld(1 + eps, emin + 12), 5 * tiny}} : std::vector<Inputs>{
        {1, eps / 4}, {1, eps * 3 / 4}, {1, eps / 2}, {1, -eps / 8},
        {-1.5, -eps * 5 / 16}, {1, ld(1, -L::digits - 9)}, {t(0.1), t(0.2)},
        {third, pi}, {-t(0.7), t(0.1)},
        {safeHigh, ld(1, emax - 1 - L::digits + 1) / 4}, // at the safe edge
        {ld(1, emax), ld(1, emax - L::digits + 1) / 4},  // above: exact path
        {mx, ulpMax / 4}, {-mx, -ulpMax * 3 / 4}, {mx, ulpMax / 2}, // overflow
        // exact
        {1, 1}, {0.5, 0.25}, {t(0.1), -t(0.1)}, {-0.0, -0.0}, {0.0, -0.0},
        {3, -0.0}, {ld(1.5, emin), -mn}, {3 * tiny, 2 * tiny}, {-tiny, tiny},
        {mx, mx}, {mx, -mx}, {-mx, -mx}, {ld(1, emax), ld(1, emax)},
        {inf, 1}, {inf, -inf}, {nan, 1}, {-inf, 5}, {1, nan}, {inf, inf}};
    for (auto &in : a) {
      if (k == Kind::Sub)
        in.b = -in.b; // the same patterns as differences: x - x, ...
      v.push_back(in);
    }
    break;
  }
  case Kind::Mul:
    v = {{1 + h, 1 + h}, {t(0.1), t(0.3)}, {third, 3}, {pi, e_},
         {-t(1.1), t(2.3)}, {1 + eps, 1 - eps},
         {ld(pi, emax - 2), t(1.1)},                     // above max/2
         {ld(1 - eps / 2, emax / 2 + 1), ld(1 + eps, emax / 2 - 1)}, // near it
         {ld(1 - eps, emax + 1), 1 + eps},               // into (max, 2^(emax+1))
         {ld(third, emin / 2), ld(1, emin / 2 - 10)},    // subnormal, inexact
         {ld(1, emin / 2), ld(1.5, emin / 2 - L::digits - 1)}, // 0.75 tiny
         {-ld(1, emin / 2), ld(1, emin / 2 - L::digits - 2)},  // -0.25 tiny
         {mn, 1 - eps / 2}, {tiny, 0.5}, {tiny, -0.25},
         {ld(third, below / 2), ld(1.25, below / 2)},  // under the safe range
         // exact
         {0.5, 4}, {3, 7}, {-0.0, 5}, {0.0, -3}, {-0.0, -0.0}, {0, inf},
         {inf, -2}, {nan, 2}, {ld(1, emax), 2}, {mx, mx}, {mx, 1 + eps},
         {mn, ld(1, -10)}, {tiny, 1}};
    break;
  case Kind::Div:
    v = {{1, 3}, {2, 3}, {1, 10}, {-5, 7}, {pi, e_}, {1, 1 + eps}, {1, t(0.1)},
         {ld(1, emax), 3},                        // a above max/2
         {ld(1, emin + 30), 3},                   // a below the safe range
         {mn, ld(3, 60)},                         // subnormal, inexact
         {mn, ld(1, L::digits + 1)},              // tiny / 4
         {-1, ld(1.5, emax)},                     // -2/3 2^-emax: subnormal
         {ld(1 - eps, emax + 1), 1 - eps / 2},    // just below max
         // exact
         {1, 4}, {6, 3}, {0, 5}, {-0.0, 5}, {0, -5}, {5, 0}, {-5, 0},
         {5, -0.0}, {0, 0}, {inf, inf}, {1, inf}, {-1, inf}, {inf, 2},
         {nan, 1}, {1, nan}, {tiny, 1}, {mn, 4},
         {mx, 1 - eps / 2},                       // = 2^(emax+1): inf
         {ld(1, emax), 0.5}, {mx, 0.75}};
    break;
  case Kind::Fma:
  case Kind::FmulAdd:
    v = {{t(0.1), t(0.3), t(0.7)}, {pi, e_, 1}, {1 + h, 1 + h, 0},
         {1, 1, ld(1, -L::digits - 8)}, {third, third, -t(1.0 / 9)},
         {1 + eps, 1 + eps, -1}, {-t(1.1), t(2.3), t(0.5)},
         {3, 5, ld(1, -L::digits + 1)}, // exact product, then one rounding
         // at the safe edge, all-ones significand: the gap away from zero is
         // ulp(s), not the next binade's
         {safeHigh, 1, ld(1, emax - 1 - L::digits + 1) / 4},
         {ld(pi, emax - 2), t(1.1), -ld(t(0.1), emax)},  // above max/2
         {ld(third, emin / 2), ld(1, emin / 2), tiny},   // subnormal
         {ld(1.5, emin / 2), ld(1, emin / 2 - L::digits - 1), -0.0},
         {mx, 1, ulpMax / 4},                            // overflow zone
         {ld(1, below), third, ld(1, below - 12)},    // under the safe range
         {tiny, 0.5, 0},
         // exact
         {2, 3, 1}, {0, 5, -0.0}, {-0.0, 5, -0.0}, {0, inf, 1},
         {inf, 1, -inf}, {1, 1, inf}, {nan, 1, 1}, {1, 1, nan},
         {1 + eps, 1 - eps, -1}, {3, third, -1}, {mn, ld(1, -10), 0},
         {ld(1, emax), 2, -ld(1, emax)}, // the product overflows, x does not
         {mx, 1 + eps, -mx}, {mx, 2, 0}};
    break;
  case Kind::Sqrt:
    v = {{2}, {3}, {0.5}, {10}, {pi}, {1 + eps}, {1 - eps / 2}, {t(0.1)},
         {mx}, {ld(3, emax - 1)}, {3 * tiny}, {ld(1.25, emin - 10)},
         {ld(3, below)}, // under the safe range
         // exact
         {4}, {0.25}, {0}, {-0.0}, {inf}, {-1}, {nan}, {-inf}, {tiny},
         {mn}, {4 * tiny}, {-tiny}};
    break;
  case Kind::Trunc: // double -> float; P, eps etc. are the double's here
    v = {{0.1}, {1.0 / 3}, {M_PI}, {1 + 0x1p-25}, {-(1 + 3 * 0x1p-26)},
         {1 + 0x1p-24}, {std::ldexp(1 + 0x1p-30, -130)}, {0x1p-150},
         {0x1p-160}, {-0x1p-151}, {FLT_MAX * (1 + 0x1p-30)},
         {0x1.ffffffp127}, {std::ldexp(1 + 0x1p-28, 127)},
         {0x1.fffffep126 * (1 + 0x1p-27)}, {0x1p-76 * (1 + 0x1p-26)},
         {0x1p-77 * (1 + 0x1p-26)}, {-0x1p-100 * (1 + 0x1p-40)},
         // exact
         {1.5}, {0}, {-0.0}, {inf}, {-inf}, {nan}, {0x1p-149}, {0x1p-130},
         {0x1p128}, {1e300}, {-1e300}, {FLT_MAX}};
    break;
  }
  (void)P;
  for (const Inputs &in : v)
    for (double x : {in.a, in.b, in.c})
      if (!std::isnan(x) && static_cast<double>(static_cast<T>(x)) != x)
        ADD_FAILURE() << "test input " << str(x) << " is not a "
                      << (sizeof(T) == 4 ? "float" : "double");
  return v;
}

std::string operands(const Inputs &in) {
  char b[200];
  std::snprintf(b, sizeof b, "%a,%a,%a", in.a, in.b, in.c);
  return b;
}

// ------------------------------------------------------------------- oracle

// Results are keyed by their bits; every NaN is one key.
constexpr uint64_t kNaN = ~0ull;
template <class R> uint64_t keyOf(R v) {
  if (std::isnan(v))
    return kNaN;
  if constexpr (sizeof(R) == 4) {
    uint32_t u;
    std::memcpy(&u, &v, 4);
    return u;
  } else {
    uint64_t u;
    std::memcpy(&u, &v, 8);
    return u;
  }
}
template <class R> R fromKey(uint64_t k) {
  if (k == kNaN)
    return std::numeric_limits<R>::quiet_NaN();
  R v;
  if constexpr (sizeof(R) == 4) {
    uint32_t u = static_cast<uint32_t>(k);
    std::memcpy(&v, &u, 4);
  } else {
    std::memcpy(&v, &k, 8);
  }
  return v;
}
template <class R> std::string keyStr(uint64_t k) {
  return k == kNaN ? "NaN" : str(fromKey<R>(k));
}

// The distribution of the result: outcome -> probability.
using Dist = std::map<uint64_t, double>;

// One rounding of op(in) to R under sr (ud: 1/2), with MPFR. `err` collects
// oracle self-check failures.
template <class R>
Dist roundOnce(Op op, const Inputs &in, bool ud, std::string &err) {
  Mpfr x(64);
  const int tern = mpfrExact<R>(x, op, in, MPFR_RNDN);
  if (mpfr_nan_p(x))
    return {{kNaN, 1.0}};
  if (!mpfr_regular_p(x)) // +-inf, exact zero (sign as IEEE round-to-nearest)
    return {{keyOf(toStorage<R>(x, mpfr_signbit(x) ? -1 : 1, &err)), 1.0}};
  GridRef g(x, tern, prism::virtualFormat<R>(std::numeric_limits<R>::digits));
  err += g.err;
  const uint64_t d = keyOf(toStorage<R>(g.d, g.sign, &err));
  const uint64_t u = keyOf(toStorage<R>(g.u, g.sign, &err));
  if (g.exact || d == u) // on the grid, or both neighbours overflow to inf
    return {{d, 1.0}};
  const double up = ud ? 0.5 : g.pUp;
  return {{d, 1 - up}, {u, up}};
}

template <class T> Op opOf(Kind k, bool fma) {
  switch (k) {
  case Kind::Add: return Op::Add;
  case Kind::Sub: return Op::Sub;
  case Kind::Mul: return Op::Mul;
  case Kind::Div: return Op::Div;
  case Kind::Fma: return Op::Fma;
  case Kind::FmulAdd: return fma ? Op::Fma : Op::Mul;
  case Kind::Sqrt: return Op::Sqrt;
  case Kind::Trunc: return Op::Trunc;
  }
  return Op::Add;
}

// The full expected distribution (R: result type; T: operand type).
template <class T, class R>
Dist expected(Kind k, const Inputs &in, bool fma, bool ud, std::string &err) {
  if (k != Kind::FmulAdd || fma)
    return roundOnce<R>(opOf<T>(k, fma), in, ud, err);
  // fmuladd without FMA: the rounded product, then the rounded sum.
  Dist out;
  for (auto [m, pm] : roundOnce<R>(Op::Mul, in, ud, err)) {
    const double mv = static_cast<double>(fromKey<R>(m));
    for (auto [r, pr] : roundOnce<R>(Op::Add, {mv, in.c, 0}, ud, err))
      out[r] += pm * pr;
  }
  return out;
}

// --------------------------------------------------------------- the runs

struct Observed {
  std::map<int, std::map<uint64_t, long>> counts[3]; // phase -> input -> key
  std::set<int> over[3];                              // inputs with > 6 values
  std::string seq;
  long draws(int phase, int input) const {
    long n = 0;
    auto it = counts[phase].find(input);
    if (it != counts[phase].end())
      for (auto &[k, c] : it->second)
        n += c;
    return n;
  }
};

template <class R> Observed parse(const std::string &out) {
  Observed o;
  for (const std::string &l : lines(out)) {
    std::istringstream is(l);
    std::string tag;
    is >> tag;
    if (tag == "r") {
      int i, ph;
      std::string bits, value;
      long count;
      is >> i >> ph >> bits >> value >> count;
      uint64_t b = std::stoull(bits, nullptr, 16);
      o.counts[ph][i][keyOf(fromKey<R>(b))] += count;
    } else if (tag == "over") {
      int i, ph;
      is >> i >> ph;
      o.over[ph].insert(i);
    } else if (tag == "seq") {
      is >> o.seq;
    }
  }
  return o;
}

struct RunSpec {
  std::string exe, op, type, layout;
  int width = 1;
  long reps = 1;
  std::vector<Inputs> inputs;
  Env env;
};

Result runProgram(const RunSpec &s) {
  std::vector<std::string> argv{s.exe, s.op, s.type, std::to_string(s.width),
                                std::to_string(s.reps), s.layout};
  for (const Inputs &in : s.inputs)
    argv.push_back(operands(in));
  return run(argv, s.env, "", 300);
}

long ceilDiv(long a, long b) { return (a + b - 1) / b; }

// Chunks of one repetition, and draws per input per repetition, of the
// mixed-lanes layout (stochastic_ops.c's input_of()).
long laneReps(int n, int w) {
  long chunks = ceilDiv(n, w);
  long perInput = std::max<long>(1, chunks * w / n);
  return ceilDiv(kLaneDraws, perInput);
}

// Checks one input's observations against its distribution: membership, and
// the 6-sigma frequency bound on every outcome; sr: the mean.
template <class R>
void checkInput(const std::string &what, const Dist &want,
                const std::map<uint64_t, long> &got, bool meanCheck,
                const Inputs &in, Op op, bool statistical) {
  long n = 0;
  for (auto &[k, c] : got)
    n += c;
  ASSERT_GT(n, 0) << what << ": no results";
  std::string wantStr;
  for (auto &[k, p] : want)
    wantStr += keyStr<R>(k) + " (p=" + std::to_string(p) + ") ";
  for (auto &[k, c] : got)
    if (!want.count(k))
      ADD_FAILURE() << what << ": got " << keyStr<R>(k) << " (" << c << " of "
                    << n << "), allowed: " << wantStr;
  if (!statistical)
    return;
  for (auto &[k, q] : want) {
    if (q <= 0 || q >= 1)
      continue;
    auto it = got.find(k);
    const long c = it == got.end() ? 0 : it->second;
    const double tol = 6 * std::sqrt(n * q * (1 - q)) + 1;
    EXPECT_LE(std::fabs(c - n * q), tol)
        << what << ": " << keyStr<R>(k) << " came " << c << " times of " << n
        << ", expected " << n * q << " +- " << tol << " (6 sigma + 1); "
        << "allowed: " << wantStr;
  }
  if (!meanCheck || want.size() != 2)
    return;
  // sr: the mean of the results, exactly, against x.
  const uint64_t kd = want.begin()->first, ku = std::next(want.begin())->first;
  const R d = fromKey<R>(kd), u = fromKey<R>(ku);
  if (!std::isfinite(d) || !std::isfinite(u))
    return; // overflow zone: the mean is inf
  Mpfr sum(4400), x(64), dev(64), gap(64);
  mpfr_set_zero(sum, 1);
  for (auto &[k, c] : got) {
    Mpfr term(4400);
    mpfr_set_d(term, static_cast<double>(fromKey<R>(k)), MPFR_RNDN);
    mpfr_mul_si(term, term, c, MPFR_RNDN);
    mpfr_add(sum, sum, term, MPFR_RNDN);
  }
  mpfr_div_si(sum, sum, n, MPFR_RNDN);
  mpfrExact<R>(x, op, in, MPFR_RNDN);
  mpfr_set_prec(dev, 64);
  mpfr_sub(dev, sum, x, MPFR_RNDN);
  mpfr_set_d(gap, static_cast<double>(u) - static_cast<double>(d), MPFR_RNDN);
  mpfr_abs(gap, gap, MPFR_RNDN);
  mpfr_div(dev, dev, gap, MPFR_RNDN); // (mean - x) / (RU - RD)
  const double q = want.at(ku);
  const double tol = 6 * std::sqrt(q * (1 - q) / n) + 1.0 / n;
  EXPECT_LE(std::fabs(mpfr_get_d(dev, MPFR_RNDN)), tol)
      << what << ": mean " << mpfr_get_d(sum, MPFR_RNDN) << " ("
      << (mpfr_get_d(dev, MPFR_RNDN)) << " gaps from the exact "
      << str(x) << ")";
}

// ---------------------------------------------------------- the main test

class OpTest
    : public ::testing::TestWithParam<std::tuple<size_t, size_t>> {};

template <class T, class R>
void runOpCase(const Config &cfg, const OpCase &oc, bool lowBinades = false) {
  // The low-binade inputs are width-independent: three widths suffice.
  const std::vector<int> widths =
      lowBinades ? std::vector<int>{1, 3, 16}
                 : std::vector<int>(std::begin(kWidths), std::end(kWidths));
  const std::string prism = buildProgram(cfg, true);
  const std::string native = buildProgram(cfg, false);
  ASSERT_FALSE(prism.empty() || native.empty());
  const std::vector<Inputs> all = inputsFor<T>(oc.kind, lowBinades);
  const Op op = opOf<T>(oc.kind, cfg.fma);
  const bool twoStep = oc.kind == Kind::FmulAdd && !cfg.fma;

  // The distributions (sr and ud), and which inputs are inexact.
  std::vector<Dist> wantSr, wantUd;
  std::vector<size_t> statIdx, detIdx;
  for (size_t i = 0; i < all.size(); i++) {
    std::string err;
    wantSr.push_back(expected<T, R>(oc.kind, all[i], cfg.fma, false, err));
    wantUd.push_back(expected<T, R>(oc.kind, all[i], cfg.fma, true, err));
    EXPECT_TRUE(err.empty()) << str<T>(op, all[i]) << ": " << err;
    (wantSr.back().size() > 1 ? statIdx : detIdx).push_back(i);
  }
  auto subset = [&](const std::vector<size_t> &idx) {
    std::vector<Inputs> v;
    for (size_t i : idx)
      v.push_back(all[i]);
    return v;
  };
  const std::vector<Inputs> stat = subset(statIdx), det = subset(detIdx);
  ASSERT_GE(stat.size(), lowBinades ? 4u : 5u);

  for (int w : widths) {
    const std::string tag = std::string(cfg.name) + " " + oc.name + " " +
                            typeName(oc) + " x" + std::to_string(w);
    RunSpec base{prism, oc.name, typeName(oc), "splat", w, 1, all, {}};
    // IEEE: the native build's round-to-nearest result is one of the allowed
    // results (both for exact ones): checks the oracle and the program.
    {
      RunSpec s = base;
      s.exe = native;
      Result r = runProgram(s);
      ASSERT_EQ(r.status, 0) << r.describe();
      Observed o = parse<R>(r.out);
      for (size_t i = 0; i < all.size(); i++) {
        ASSERT_EQ(o.counts[0][i].size(), 1u) << tag << " native";
        EXPECT_TRUE(wantSr[i].count(o.counts[0][i].begin()->first))
            << tag << " native " << str<T>(op, all[i]) << " gave "
            << keyStr<R>(o.counts[0][i].begin()->first)
            << ", not an allowed sr result";
      }
    }
    for (const char *backend : {"sr", "ud"}) {
      const bool ud = std::string(backend) == "ud";
      const std::vector<Dist> &want = ud ? wantUd : wantSr;
      std::map<std::string, Observed> statBy; // inline -> stat observations
      for (const char *inl : {"on", "off"}) {
        const std::string what = tag + " " + backend + " PRISM_INLINE=" + inl;
        Env env{{"PRISM_BACKEND", backend}, {"PRISM_SEED", kSeed},
                {"PRISM_INLINE", inl}};
        // 1. Inexact inputs, each filling whole vectors: >= 10^5 draws.
        RunSpec s = base;
        s.env = env;
        s.inputs = stat;
        s.reps = ceilDiv(kStatDraws, w);
        Result r = runProgram(s);
        ASSERT_EQ(r.status, 0) << what << "\n" << r.describe();
        Observed o = parse<R>(r.out);
        for (size_t j = 0; j < stat.size(); j++) {
          EXPECT_FALSE(o.over[0].count(j)) << what << " too many values";
          checkInput<R>(what + " " + str<T>(op, stat[j]), want[statIdx[j]],
                        o.counts[0][j], !ud && !twoStep, stat[j], op, true);
        }
        statBy[inl] = o;
        // 2. Exact and special inputs: bit for bit.
        if (!det.empty()) {
          s.inputs = det;
          s.reps = ceilDiv(kDetDraws, w);
          r = runProgram(s);
          ASSERT_EQ(r.status, 0) << what << "\n" << r.describe();
          o = parse<R>(r.out);
          for (size_t j = 0; j < det.size(); j++)
            checkInput<R>(what + " " + str<T>(op, det[j]), want[detIdx[j]],
                          o.counts[0][j], false, det[j], op, false);
        }
        // 3. Every input, neighbouring lanes holding different operands
        //    (specials keep the inline result unless a finite lane next to
        //    them leaves the range: then the whole vector takes the exact path).
        s.inputs = all;
        s.layout = "lanes";
        s.reps = laneReps(static_cast<int>(all.size()), w);
        r = runProgram(s);
        ASSERT_EQ(r.status, 0) << what << "\n" << r.describe();
        o = parse<R>(r.out);
        for (size_t j = 0; j < all.size(); j++)
          checkInput<R>(what + " lanes " + str<T>(op, all[j]), want[j],
                        o.counts[0][j], false, all[j], op, true);
        // 4. Seeds: the same one reproduces the whole sequence (hash and
        //    counts), another changes it. Short runs, three widths.
        if (w == 1 || w == 4 || w == 16) {
          s.reps = ceilDiv(64, w);
          Result first = runProgram(s), again = runProgram(s);
          ASSERT_EQ(first.status, 0) << first.describe();
          EXPECT_EQ(again.out, first.out) << what << ": same seed, other results";
          s.env[1].second = "7";
          Result other = runProgram(s);
          ASSERT_EQ(other.status, 0) << other.describe();
          EXPECT_NE(parse<R>(other.out).seq, parse<R>(first.out).seq)
              << what << ": PRISM_SEED=7 gave the sequence of " << kSeed;
        }
      }
      // 5. The accumulator form (chain layout: the first operand is
      //    loop-carried, so add and sub take the Fast2Sum transform) and,
      //    for fmuladd, a power-of-two factor (quarter layout: an exact
      //    product and a rounded sum). 2*10^4 draws per input, 6 sigma.
      auto checkLayout = [&](const char *layout, const std::vector<Inputs> &ins,
                             const std::function<Dist(size_t)> &wantOf) {
        const std::string what = tag + " " + backend + " " + layout;
        RunSpec s = base;
        s.env = {{"PRISM_BACKEND", backend}, {"PRISM_SEED", kSeed}};
        s.layout = layout;
        s.inputs = ins;
        s.reps = ceilDiv(kChainDraws, w);
        Result r = runProgram(s);
        ASSERT_EQ(r.status, 0) << what << "\n" << r.describe();
        Observed o = parse<R>(r.out);
        for (size_t j = 0; j < ins.size(); j++)
          checkInput<R>(what + " " + str<T>(op, ins[j]), wantOf(j),
                        o.counts[0][j], false, ins[j], op, true);
      };
      if (oc.kind == Kind::Add || oc.kind == Kind::Sub ||
          oc.kind == Kind::Fma || oc.kind == Kind::FmulAdd)
        checkLayout("chain", all, [&](size_t j) { return want[j]; });
      if (oc.kind == Kind::FmulAdd) {
        std::vector<Inputs> quarter = all;
        for (Inputs &in : quarter)
          in.b = 0.25;
        checkLayout("quarter", quarter, [&](size_t j) {
          std::string err;
          Dist d = expected<T, R>(oc.kind, quarter[j], cfg.fma, ud, err);
          EXPECT_TRUE(err.empty()) << err;
          return d;
        });
      }
      // Inline and runtime paths: the same outcomes with the same weight
      // (two-sample bound, 6 sigma + 2) for every input.
      const Observed &a = statBy["on"], &b = statBy["off"];
      for (size_t j = 0; j < stat.size(); j++) {
        const long na = a.draws(0, j), nb = b.draws(0, j);
        if (!na || !nb)
          continue;
        for (auto &[k, q] : want[statIdx[j]]) {
          auto ca = a.counts[0].at(j).count(k) ? a.counts[0].at(j).at(k) : 0;
          auto cb = b.counts[0].at(j).count(k) ? b.counts[0].at(j).at(k) : 0;
          const double fa = double(ca) / na, fb = double(cb) / nb;
          const double pq = std::max(q * (1 - q), 1e-12);
          EXPECT_LE(std::fabs(fa - fb),
                    6 * std::sqrt(pq * (1.0 / na + 1.0 / nb)) + 2.0 / na)
              << tag << " " << backend << " " << str<T>(op, stat[j]) << ": "
              << keyStr<R>(k) << " inline " << fa << ", off " << fb;
        }
      }
      // The inline path draws from its own buffer: its sequence differs.
      if (inlinable(oc.kind, cfg.fma))
        EXPECT_NE(a.seq, b.seq) << tag << " " << backend
                                << ": inline and off gave the same sequence "
                                   "(is the fast clone running?)";
    }
  }
}

TEST_P(OpTest, MatchesMpfr) {
  const Config &cfg = configs()[std::get<0>(GetParam())];
  const OpCase &oc = opCases()[std::get<1>(GetParam())];
  if (oc.kind == Kind::Trunc)
    runOpCase<double, float>(cfg, oc);
  else if (oc.dbl)
    runOpCase<double, double>(cfg, oc);
  else
    runOpCase<float, float>(cfg, oc);
}

// sr's probability where the RN result of an add/sub lies in the lowest
// normal binades: there |error| is m subnormal units and the gap G units
// (G < 2^(threshold bits)), so u * gap is rounded to the subnormal grid and
// the test |error| > RN(u * gap) goes away from RN with probability about
// (m - 1/2)/G instead of m/G (1/4 instead of 1/2 for a tie at G = 2).
class LowBinadeTest : public ::testing::TestWithParam<size_t> {};

TEST_P(LowBinadeTest, AddSubNearUnderflow) {
  const Config &cfg = configs()[GetParam()];
  for (const OpCase &oc : opCases()) {
    if (oc.kind != Kind::Add && oc.kind != Kind::Sub)
      continue;
    SCOPED_TRACE(std::string(oc.name) + " " + typeName(oc));
    if (oc.dbl)
      runOpCase<double, double>(cfg, oc, true);
    else
      runOpCase<float, float>(cfg, oc, true);
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, LowBinadeTest, ::testing::Range<size_t>(0, 3),
                         [](const auto &info) {
                           return std::string(configs()[info.param].name);
                         });

INSTANTIATE_TEST_SUITE_P(
    Ops, OpTest,
    ::testing::Combine(::testing::Range<size_t>(0, 3),
                       ::testing::Range<size_t>(0, 15)),
    [](const auto &info) {
      const OpCase &oc = opCases()[std::get<1>(info.param)];
      return std::string(configs()[std::get<0>(info.param)].name) + "_" +
             oc.name + "_" + typeName(oc);
    });

// ------------------------------------------------- prism_disable / enable

class ConfigTest : public ::testing::TestWithParam<size_t> {};

// Each repetition computes the operation three times in a function running
// its fast clone: as is, between prism_disable() and prism_enable() (must
// be the native IEEE result, every time), and after (perturbed again).
template <class T, class R>
void checkDisable(const Config &cfg, const OpCase &oc, const std::string &prism,
                  const std::string &native) {
  const Op op = opOf<T>(oc.kind, cfg.fma);
  std::vector<Inputs> ins;
  std::vector<Dist> want;
  for (const Inputs &in : inputsFor<T>(oc.kind)) {
    std::string err;
    Dist d = expected<T, R>(oc.kind, in, cfg.fma, false, err);
    // Inexact, both outcomes likely: perturbation shows in 200 draws.
    bool likely = d.size() >= 2 && std::all_of(d.begin(), d.end(), [](auto &e) {
                    return e.second > 0.05;
                  });
    if (likely && ins.size() < 4) {
      ins.push_back(in);
      want.push_back(d);
    }
  }
  ASSERT_GE(ins.size(), 2u) << oc.name;
  for (int w : kWidths) {
    RunSpec s{native, oc.name, typeName(oc), "splat", w, 1, ins, {}};
    Result n = runProgram(s);
    ASSERT_EQ(n.status, 0) << n.describe();
    Observed on = parse<R>(n.out);
    s.exe = prism;
    s.layout = "disable";
    s.reps = ceilDiv(200, w);
    for (const char *backend : {"sr", "ud"})
      for (const char *inl : {"on", "off"}) {
        const std::string what = std::string(cfg.name) + " " + oc.name + " " +
                                 typeName(oc) + " x" + std::to_string(w) + " " +
                                 backend + " PRISM_INLINE=" + inl;
        s.env = {{"PRISM_BACKEND", backend}, {"PRISM_SEED", kSeed},
                 {"PRISM_INLINE", inl}};
        Result r = runProgram(s);
        ASSERT_EQ(r.status, 0) << what << "\n" << r.describe();
        Observed o = parse<R>(r.out);
        for (size_t j = 0; j < ins.size(); j++) {
          const auto &ieee = on.counts[0][j];
          ASSERT_EQ(ieee.size(), 1u);
          const std::string in = str<T>(op, ins[j]);
          EXPECT_EQ(o.counts[1][j].size(), 1u)
              << what << " " << in << ": varies inside prism_disable()";
          EXPECT_TRUE(o.counts[1][j].count(ieee.begin()->first))
              << what << " " << in << ": inside prism_disable() "
              << keyStr<R>(o.counts[1][j].begin()->first) << ", IEEE "
              << keyStr<R>(ieee.begin()->first);
          for (int ph : {0, 2}) {
            EXPECT_GE(o.counts[ph][j].size(), 2u)
                << what << " " << in << ": phase " << ph
                << (ph ? " (after prism_enable())" : "")
                << " not perturbed";
            for (auto &[k, c] : o.counts[ph][j])
              EXPECT_TRUE(want[j].count(k))
                  << what << " " << in << ": " << keyStr<R>(k);
          }
        }
      }
  }
}

TEST_P(ConfigTest, DisableGivesIeeeThenEnableRestores) {
  const Config &cfg = configs()[GetParam()];
  const std::string prism = buildProgram(cfg, true);
  const std::string native = buildProgram(cfg, false);
  ASSERT_FALSE(prism.empty() || native.empty());
  for (const OpCase &oc : opCases()) {
    SCOPED_TRACE(std::string(oc.name) + " " + typeName(oc));
    if (oc.kind == Kind::Trunc)
      checkDisable<double, float>(cfg, oc, prism, native);
    else if (oc.dbl)
      checkDisable<double, double>(cfg, oc, prism, native);
    else
      checkDisable<float, float>(cfg, oc, prism, native);
  }
}

// ---------------------------------------------------------------------- IR

// The body of `define ... @name(` up to its closing brace.
std::string functionBody(const std::string &ir, const std::string &name) {
  const std::string head = "@" + name + "(";
  for (size_t p = ir.find(head); p != std::string::npos;
       p = ir.find(head, p + 1)) {
    size_t ls = ir.rfind('\n', p);
    ls = ls == std::string::npos ? 0 : ls + 1;
    if (ir.compare(ls, 7, "define ") != 0)
      continue;
    size_t end = ir.find("\n}\n", p);
    return ir.substr(ls, end == std::string::npos ? std::string::npos
                                                  : end - ls);
  }
  return "";
}

TEST_P(ConfigTest, IrHasVectorOpsAndFastClones) {
  const Config &cfg = configs()[GetParam()];
  const std::string ll = buildIr(cfg);
  ASSERT_FALSE(ll.empty());
  const std::string ir = readFile(ll);
  const bool O0 = std::string(cfg.name) == "O0";
  for (const OpCase &oc : opCases()) {
    const std::string t = oc.dbl ? "f64" : "f32";
    const std::string elt = oc.dbl ? "double" : "float";
    for (int w : kWidths) {
      const std::string fn =
          oc.kind == Kind::Trunc
              ? "k_trunc_" + std::to_string(w)
              : "k_" + std::string(oc.name) + (oc.dbl ? "__" : "_f_") +
                    std::to_string(w);
      const std::string what = std::string(cfg.name) + " " + fn;
      const std::string body = functionBody(ir, fn);
      const std::string nat = functionBody(ir, fn + ".prism_native");
      const std::string fast = functionBody(ir, fn + ".prism_fast");
      ASSERT_FALSE(body.empty()) << what;
      EXPECT_FALSE(nat.empty()) << what << ".prism_native missing";
      ASSERT_FALSE(fast.empty()) << what << ".prism_fast missing";
      EXPECT_TRUE(contains(body, "@__prism_mode")) << what << ": no dispatch";
      // LLVM widens <3 x T> to <4 x T> when it optimizes (the fourth lane is
      // padding); at -O0 the operation stays <3 x T>.
      std::vector<int> ws{w};
      if (w == 3 && !O0)
        ws.push_back(4);
      auto vec = [&](const std::string &e, int n) {
        return n == 1 ? e : "<" + std::to_string(n) + " x " + e + ">";
      };
      auto vname = [&](const std::string &e, int n) { // llvm.fma.v4f32
        std::string s = e == "double" ? "f64" : "f32";
        return n == 1 ? s : "v" + std::to_string(n) + s;
      };
      auto anyWidth = [&](const std::string &text, auto pattern,
                          const std::vector<int> &widths) {
        for (int n : widths)
          if (contains(text, pattern(n)))
            return true;
        return false;
      };
      // The native clone: the program's own vector operation.
      std::function<std::string(int)> natPat;
      switch (oc.kind) {
      case Kind::Add: natPat = [&](int n) { return "fadd " + vec(elt, n) + " "; }; break;
      case Kind::Sub: natPat = [&](int n) { return "fsub " + vec(elt, n) + " "; }; break;
      case Kind::Mul: natPat = [&](int n) { return "fmul " + vec(elt, n) + " "; }; break;
      case Kind::Div: natPat = [&](int n) { return "fdiv " + vec(elt, n) + " "; }; break;
      case Kind::Fma: natPat = [&](int n) { return "@llvm.fma." + vname(elt, n) + "("; }; break;
      case Kind::FmulAdd: natPat = [&](int n) { return "@llvm.fmuladd." + vname(elt, n) + "("; }; break;
      case Kind::Sqrt:
        natPat = [&](int n) {
          return n == 1 ? "@" + std::string(oc.dbl ? "sqrt" : "sqrtf") + "("
                        : "@llvm.sqrt." + vname(elt, n) + "(";
        };
        break;
      case Kind::Trunc: natPat = [&](int n) { return "fptrunc " + vec("double", n) + " "; }; break;
      }
      EXPECT_TRUE(anyWidth(nat, natPat, ws))
          << what << ".prism_native lacks " << natPat(w) << "\n" << nat;
      // The fast clone: the inline transform on the same vector type (a
      // scalar in lane 0 of a 128-bit vector) and the exact path for
      // out-of-range lanes, or the runtime's entry point.
      std::vector<int> fws = ws;
      if (w == 1)
        fws.push_back(oc.dbl || oc.kind == Kind::Trunc ? 2 : 4);
      const std::string fop =
          oc.kind == Kind::FmulAdd ? (cfg.fma ? "fma" : "add") : oc.name;
      if (inlinable(oc.kind, cfg.fma)) {
        std::function<std::string(int)> inl;
        switch (oc.kind) {
        case Kind::Add:
        case Kind::Sub: inl = [&](int n) { return "fadd " + vec(elt, n) + " "; }; break;
        case Kind::Mul: inl = [&](int n) { return "fmul " + vec(elt, n) + " "; }; break;
        case Kind::Div: inl = [&](int n) { return "fdiv " + vec(elt, n) + " "; }; break;
        case Kind::Fma:
        case Kind::FmulAdd: inl = [&](int n) { return "@llvm.fma." + vname(elt, n) + "("; }; break;
        case Kind::Sqrt: inl = [&](int n) { return "@llvm.sqrt." + vname(elt, n) + "("; }; break;
        case Kind::Trunc: inl = [&](int n) { return "fptrunc " + vec("double", n) + " "; }; break;
        }
        EXPECT_TRUE(anyWidth(fast, inl, fws))
            << what << ".prism_fast lacks inline " << inl(w) << "\n" << fast;
        const std::string slow =
            (w == 1 ? "@__prism_fast_" : "@__prism_fast_v_") + t + "_" + fop + "(";
        EXPECT_TRUE(contains(fast, slow)) << what << ".prism_fast lacks " << slow;
        EXPECT_TRUE(contains(fast, "@__prism_fast_refill"))
            << what << ".prism_fast never refills";
      } else {
        const std::string rt =
            (w == 1 ? "@__prism_" : "@__prism_v_") + t + "_" +
            (oc.kind == Kind::FmulAdd ? "mul" : oc.name) + "(";
        EXPECT_TRUE(contains(fast, rt)) << what << ".prism_fast lacks " << rt;
        if (oc.kind == Kind::FmulAdd) { // the add stays inline
          const std::string add =
              (w == 1 ? "@__prism_fast_" : "@__prism_fast_v_") + t + "_add(";
          EXPECT_TRUE(contains(fast, add)) << what << " lacks " << add;
          EXPECT_TRUE(anyWidth(fast, [&](int n) {
            return "fadd " + vec(elt, n) + " ";
          }, fws)) << what << ": the add of fmuladd is not inline";
        }
      }
      // The ud clone: on AVX-512, functions with additions, products, fmas
      // or fptrunc (every width here), with the static rounding and the
      // exact path; no other function has one.
      const std::string ud = functionBody(ir, fn + ".prism_ud");
      const bool udForm =
          cfg.fma && contains(ir, "+avx512f") &&
          (oc.kind == Kind::Add || oc.kind == Kind::Sub || oc.kind == Kind::Mul ||
           oc.kind == Kind::Fma || oc.kind == Kind::FmulAdd ||
           oc.kind == Kind::Trunc);
      EXPECT_EQ(!ud.empty(), udForm) << what << ".prism_ud";
      if (udForm) {
        EXPECT_TRUE(contains(ud, "@llvm.x86.avx512.")) << what << ".prism_ud\n" << ud;
        const std::string slow =
            (w == 1 ? "@__prism_fast_" : "@__prism_fast_v_") + t + "_" + fop + "(";
        EXPECT_TRUE(contains(ud, slow)) << what << ".prism_ud lacks " << slow;
      }
      // Vector runtime entries carry the lane count.
      if (w > 1) {
        bool lanesArg = false;
        for (int n : ws)
          lanesArg |= contains(fast, "i64 " + std::to_string(n) + ")");
        EXPECT_TRUE(lanesArg) << what << ": no vector call of width " << w;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Configs, ConfigTest, ::testing::Range<size_t>(0, 3),
                         [](const auto &info) {
                           return std::string(configs()[info.param].name);
                         });

} // namespace
