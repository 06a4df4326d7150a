// sr_test.cpp - stochastic rounding (RoundingMode::SR) and its uniform
// variant (SRUniform) of the rounding core, against MPFR's RD(x) and RU(x):
//   - every result is RD(x) or RU(x); exact results always stay exact;
//   - SR: P(RU) = (x - RD) / (RU - RD); SRUniform: P(RU) = 1/2;
//   - the mean of many SR results converges to x;
//   - special values, overflow, subnormals, reproducibility by seed.
//
// Statistical tolerances: with n independent draws and P(RU) = p, the count
// of RU is Binomial(n, p); its frequency has standard deviation
// sigma = sqrt(p(1-p)/n), and we accept |freq - p| <= 6 sigma. With the
// normal approximation (n p(1-p) >= 90 for every case below) a correct
// implementation fails one case with probability ~2e-9, so all the ~100 cases
// together fail with probability < 1e-6; the seed is fixed anyway, so a run is
// reproducible. A bias of the core larger than 6 sigma (~1e-3 relative for
// n = 1e5, p = 1/2) is caught.
#include "backends/common/stochastic_fast.h"
#include "backends/common/stochastic_vector.h"
#include "gen.h"
#include "mpfr_oracle.h"
#include "prism/rng.h"

#include <gtest/gtest.h>

#include <cfloat>

namespace prism_test {
namespace {

using prism::roundExact;
using prism::virtualFormat;
using RM = RoundingMode;

constexpr uint64_t kSeed = 20240611;
constexpr int kDraws = 100000;

// RD(x), RU(x) in storage and p = (x - RD)/(RU - RD), from MPFR.
template <class T> struct Neighbours {
  T down = 0, up = 0, x = 0;
  double p = 0;
  bool exact = false, special = false;
};

template <class T> Neighbours<T> neighbours(Op op, const Inputs &in, const FormatSpec &f) {
  Neighbours<T> nb;
  Mpfr x(64);
  int tern = mpfrExact<T>(x, op, in, MPFR_RNDN);
  if (!mpfr_regular_p(x)) {
    nb.special = true;
    nb.x = nb.down = nb.up = toStorage<T>(x, mpfr_signbit(x) ? -1 : 1, nullptr);
    return nb;
  }
  GridRef g(x, tern, f);
  EXPECT_EQ(g.err, "");
  nb.exact = g.exact;
  nb.down = toStorage<T>(g.d, g.sign, nullptr);
  nb.up = toStorage<T>(g.u, g.sign, nullptr);
  nb.p = g.pUp;
  if (g.exact)
    nb.x = nb.down;
  return nb;
}

double sixSigma(double p, int n) { return 6 * std::sqrt(p * (1 - p) / n); }

// When set, full-precision cases go through the backends' fast path
// (stochastic_fast.h) instead of the general core: the same MPFR checks then
// hold for the code the sr and ud backends run at full precision.
bool g_fastPath = false;

template <class T> bool isFull(const FormatSpec &f) {
  const FormatSpec full = virtualFormat<T>(Storage<T>::digits);
  return f.precision == full.precision && f.emin == full.emin &&
         f.subnormals == full.subnormals;
}

template <class T, RM M> T fastOp(Op op, const Inputs &in, uint64_t draw) {
  using F = prism::StochasticFast<T, M>;
  const T a = static_cast<T>(in.a), b = static_cast<T>(in.b),
          c = static_cast<T>(in.c);
  switch (op) {
  case Op::Add: return F::add(a, b, draw);
  case Op::Sub: return F::add(a, -b, draw);
  case Op::Mul: return F::mul(a, b, draw);
  case Op::Div: return F::div(a, b, draw);
  case Op::Fma: return F::fma(a, b, c, draw);
  case Op::Sqrt: return F::sqrt(a, draw);
  case Op::Trunc:
    if constexpr (std::is_same_v<T, float>)
      return F::trunc(in.a, draw);
    break;
  }
  return std::numeric_limits<T>::quiet_NaN();
}

// One result of op(in) with mode m, by the fast path or the core.
template <class T>
T roundOnce(Op op, const Inputs &in, const ExactValue<T> &ev, const FormatSpec &f,
            RM m, uint64_t *rng) {
  if (g_fastPath && isFull<T>(f) && (m == RM::SR || m == RM::SRUniform)) {
    uint64_t draw = prism_rng_next(rng);
    return m == RM::SR ? fastOp<T, RM::SR>(op, in, draw)
                       : fastOp<T, RM::SRUniform>(op, in, draw);
  }
  return roundExact(ev, f, m, rng);
}

// Draws n results of op(in) rounded with mode m; returns the count of RU and
// fails if any result is neither RD nor RU.
template <class T>
long countUps(Op op, const Inputs &in, const FormatSpec &f, RM m, int n, uint64_t *rng,
              const Neighbours<T> &nb) {
  const ExactValue<T> ev = coreExact<T>(op, in);
  long ups = 0, bad = 0;
  T badValue = 0;
  for (int i = 0; i < n; i++) {
    T r = roundOnce<T>(op, in, ev, f, m, rng);
    if (sameBits(r, nb.up))
      ups++;
    else if (!sameBits(r, nb.down) && bad++ == 0)
      badValue = r;
  }
  EXPECT_EQ(bad, 0) << str<T>(op, in) << " " << str(f) << " " << modeName(m) << ": "
                    << str(badValue) << " is neither RD " << str(nb.down) << " nor RU "
                    << str(nb.up);
  return ups;
}

// A spread of cases with P(RU) well inside (0, 1): hand-picked and random.
template <class T> struct SrCase {
  Op op;
  Inputs in;
  FormatSpec f;
};

template <class T> std::vector<SrCase<T>> frequencyCases() {
  std::vector<SrCase<T>> cs;
  constexpr int d = Storage<T>::digits;
  const FormatSpec full = virtualFormat<T>(d);
  const T third = T(1) / T(3);
  cs.push_back({Op::Mul, {third, 3, 0}, full});            // 1 - 2^-d-1: p = 1/2
  cs.push_back({Op::Div, {1, 3, 0}, full});
  cs.push_back({Op::Div, {-2, 7, 0}, virtualFormat<T>(9)});
  cs.push_back({Op::Sqrt, {2, 0, 0}, full});
  cs.push_back({Op::Sqrt, {3, 0, 0}, virtualFormat<T>(4)});
  cs.push_back({Op::Add, {1, std::ldexp(T(0.3), -d), 0}, full});   // p ~ 0.6
  cs.push_back({Op::Add, {-1, std::ldexp(T(-0.1), 1 - d), 0}, full});
  cs.push_back({Op::Add, {1, std::ldexp(T(1), -9), 0}, virtualFormat<T>(8)}); // p = 1/2
  cs.push_back({Op::Add, {1, T(0x1p-12), 0}, virtualFormat<T>(8)}); // p = 1/32: stagnation
  cs.push_back({Op::Sub, {1, T(0x1p-14), 0}, virtualFormat<T>(8)}); // just below 1: p ~ 1
  cs.push_back({Op::Fma, {third, 3, -1}, full});                     // exact: -2^-d-1
  cs.push_back({Op::Fma, {T(1.1), T(1.1), T(-1.21)}, virtualFormat<T>(5)});
  cs.push_back({Op::Mul, {std::numeric_limits<T>::denorm_min(), T(0.3), 0}, full}); // subnormal
  cs.push_back({Op::Mul, {-std::numeric_limits<T>::min(), T(0.7), 0}, full});
  cs.push_back({Op::Mul, {std::numeric_limits<T>::min(), T(0.7), 0}, virtualFormat<T>(3)});
  cs.push_back({Op::Mul, {T(0.1), T(0.1), 0}, FormatSpec{11, -14, 15, true}});
  cs.push_back({Op::Mul, {T(0x1p-20), T(0.3), 0}, FormatSpec{11, -14, 15, true}});
  cs.push_back({Op::Mul, {T(0x1p-20), T(0.3), 0}, FormatSpec{11, -14, 15, false}});
  cs.push_back({Op::Div, {T(1), T(10), 0}, FormatSpec{8, -126, 127, true}});
  if constexpr (std::is_same_v<T, float>) {
    cs.push_back({Op::Trunc, {0.1, 0, 0}, full});
    cs.push_back({Op::Trunc, {-0x1.0000006p-140, 0, 0}, full});
  }
  // Random ones from the sweep generator, keeping P(RU) in [0.002, 0.998].
  Gen gen(kSeed + d);
  const std::vector<FormatSpec> fs = sweepFormats<T>();
  const Op ops[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Fma, Op::Sqrt};
  for (int added = 0, i = 0; added < 30 && i < 100000; i++) {
    const FormatSpec &f = fs[gen.uniform(0, static_cast<int>(fs.size()) - 1)];
    Op op = ops[i % 6];
    Inputs in = gen.operands<T>(op, gen.targetExponent<T>(f));
    Mpfr x(64);
    int tern = mpfrExact<T>(x, op, in, MPFR_RNDN);
    if (!mpfr_regular_p(x))
      continue;
    GridRef g(x, tern, f);
    if (g.exact || g.pUp < 0.002 || g.pUp > 0.998)
      continue;
    Neighbours<T> nb = neighbours<T>(op, in, f);
    if (!std::isfinite(nb.down) || !std::isfinite(nb.up))
      continue;
    cs.push_back({op, in, f});
    added++;
  }
  return cs;
}

template <class T> void frequencies(RM m) {
  uint64_t rng[4];
  prism_rng_seed(rng, kSeed, 0);
  int tested = 0;
  for (const SrCase<T> &c : frequencyCases<T>()) {
    Neighbours<T> nb = neighbours<T>(c.op, c.in, c.f);
    if (nb.exact || nb.special)
      continue;
    const double p = m == RM::SR ? nb.p : 0.5;
    if (p * (1 - p) * kDraws < 90) // too close to 0 or 1 for the normal approximation
      continue;
    long ups = countUps<T>(c.op, c.in, c.f, m, kDraws, rng, nb);
    double freq = static_cast<double>(ups) / kDraws;
    EXPECT_LE(std::fabs(freq - p), sixSigma(p, kDraws))
        << str<T>(c.op, c.in) << " " << str(c.f) << " " << modeName(m)
        << ": P(RU) should be " << p << ", observed " << freq << " over " << kDraws
        << " draws (RD " << str(nb.down) << ", RU " << str(nb.up) << ")";
    tested++;
  }
  EXPECT_GE(tested, 30);
}

TEST(StochasticRounding, FrequencyOfRoundingUpFloat) { frequencies<float>(RM::SR); }
TEST(StochasticRounding, FrequencyOfRoundingUpDouble) { frequencies<double>(RM::SR); }
TEST(StochasticRounding, UniformIsOneHalfFloat) { frequencies<float>(RM::SRUniform); }
TEST(StochasticRounding, UniformIsOneHalfDouble) { frequencies<double>(RM::SRUniform); }

// Every draw is RD(x) or RU(x), and exact results stay exact, on a broad
// sweep of operations and grids (fewer draws, many more inputs).
template <class T> void onlyNeighbours() {
  uint64_t rng[4];
  prism_rng_seed(rng, kSeed, 1);
  Gen gen(kSeed * 3 + sizeof(T));
  long exactCases = 0;
  const Op ops[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Fma, Op::Sqrt, Op::Trunc};
  for (const FormatSpec &f : sweepFormats<T>())
    for (int i = 0; i < 300; i++) {
      Op op = ops[i % (std::is_same_v<T, float> ? 7 : 6)];
      Inputs in = gen.operands<T>(op, gen.targetExponent<T>(f));
      Neighbours<T> nb = neighbours<T>(op, in, f);
      exactCases += nb.exact;
      for (RM m : {RM::SR, RM::SRUniform}) {
        long ups = countUps<T>(op, in, f, m, 16, rng, nb);
        if (nb.exact || nb.special)
          EXPECT_EQ(ups, 16) << "exact results stay exact: " << str<T>(op, in) << " "
                             << str(f) << " " << modeName(m);
      }
    }
  EXPECT_GT(exactCases, 100);
}

TEST(StochasticRounding, OnlyNeighboursAndExactStaysExactFloat) { onlyNeighbours<float>(); }
TEST(StochasticRounding, OnlyNeighboursAndExactStaysExactDouble) { onlyNeighbours<double>(); }

// The whole-array kernels (Highway, best ISA of this machine) that the sr
// and ud backends run on vectors at full precision. Arrays of 37 elements
// cover full vectors and the scalar tail.
struct VectorStreamsForTest {
  uint64_t scalar[4];
  prism::ThreadStreams st;
  explicit VectorStreamsForTest(uint64_t seed) {
    prism_rng_seed(scalar, seed, 0);
    st.scalar = scalar;
    for (size_t lane = 0; lane < prism::kMaxVectorLanes; lane++) {
      uint64_t s[4];
      prism_rng_seed(s, seed, lane + 1);
      for (int w = 0; w < 4; w++)
        st.vector.s[w][lane] = s[w];
    }
  }
};

constexpr size_t kArray = 37;

bool vectorOp(Op op, prism::StochasticOp &out) {
  switch (op) {
  case Op::Add: out = prism::StochasticOp::Add; return true;
  case Op::Sub: out = prism::StochasticOp::Sub; return true;
  case Op::Mul: out = prism::StochasticOp::Mul; return true;
  case Op::Div: out = prism::StochasticOp::Div; return true;
  case Op::Fma: out = prism::StochasticOp::Fma; return true;
  case Op::Sqrt: out = prism::StochasticOp::Sqrt; return true;
  default: return false;
  }
}

template <class T> void vectorFrequencies(RM m) {
  VectorStreamsForTest rs(kSeed + 7);
  int tested = 0;
  for (const SrCase<T> &c : frequencyCases<T>()) {
    prism::StochasticOp vop;
    if (!isFull<T>(c.f) || !vectorOp(c.op, vop))
      continue;
    Neighbours<T> nb = neighbours<T>(c.op, c.in, c.f);
    if (nb.exact || nb.special)
      continue;
    const double p = m == RM::SR ? nb.p : 0.5;
    if (p * (1 - p) * kDraws < 90)
      continue;
    std::vector<T> a(kArray, T(c.in.a)), b(kArray, T(c.in.b)), cc(kArray, T(c.in.c)),
        r(kArray);
    long ups = 0, total = 0, bad = 0;
    while (total < kDraws) {
      prism::stochasticArray(m, vop, r.data(), a.data(), b.data(), cc.data(), kArray,
                             rs.st);
      for (T v : r) {
        ups += sameBits(v, nb.up);
        bad += !sameBits(v, nb.up) && !sameBits(v, nb.down);
      }
      total += kArray;
    }
    EXPECT_EQ(bad, 0) << str<T>(c.op, c.in) << ": results other than RD/RU";
    double freq = static_cast<double>(ups) / total;
    EXPECT_LE(std::fabs(freq - p), sixSigma(p, total))
        << str<T>(c.op, c.in) << " " << modeName(m) << ": P(RU) should be " << p
        << ", observed " << freq << " over " << total << " draws";
    tested++;
  }
  EXPECT_GE(tested, 6);
}

// Mixed inputs in one array (specials, subnormals, overflow, exact results):
// every element is RD or RU, exact ones stay exact.
template <class T> void vectorOnlyNeighbours() {
  VectorStreamsForTest rs(kSeed + 11);
  Gen gen(kSeed * 5 + sizeof(T));
  const FormatSpec full = virtualFormat<T>(Storage<T>::digits);
  long exactCases = 0;
  for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Fma, Op::Sqrt}) {
    prism::StochasticOp vop;
    ASSERT_TRUE(vectorOp(op, vop));
    for (int round = 0; round < 40; round++) {
      std::vector<Inputs> ins(kArray);
      std::vector<T> a(kArray), b(kArray), c(kArray), r(kArray);
      for (size_t i = 0; i < kArray; i++) {
        ins[i] = gen.operands<T>(op, gen.targetExponent<T>(full));
        a[i] = T(ins[i].a), b[i] = T(ins[i].b), c[i] = T(ins[i].c);
      }
      prism::RoundingMode m = round % 2 ? RM::SR : RM::SRUniform;
      prism::stochasticArray(m, vop, r.data(), a.data(), b.data(), c.data(), kArray,
                             rs.st);
      for (size_t i = 0; i < kArray; i++) {
        Neighbours<T> nb = neighbours<T>(op, ins[i], full);
        exactCases += nb.exact;
        EXPECT_TRUE(sameBits(r[i], nb.up) || sameBits(r[i], nb.down))
            << str<T>(op, ins[i]) << " lane " << i << ": " << str(r[i])
            << " is neither RD " << str(nb.down) << " nor RU " << str(nb.up);
        if (nb.exact || nb.special)
          EXPECT_TRUE(sameBits(r[i], nb.down)) << "exact stays exact: " << str<T>(op, ins[i]);
      }
    }
  }
  EXPECT_GT(exactCases, 20);
}

TEST(VectorPath, SrFrequencyFloat) { vectorFrequencies<float>(RM::SR); }
TEST(VectorPath, SrFrequencyDouble) { vectorFrequencies<double>(RM::SR); }
TEST(VectorPath, UdIsOneHalfFloat) { vectorFrequencies<float>(RM::SRUniform); }
TEST(VectorPath, UdIsOneHalfDouble) { vectorFrequencies<double>(RM::SRUniform); }
TEST(VectorPath, OnlyNeighboursAndExactStaysExactFloat) { vectorOnlyNeighbours<float>(); }
TEST(VectorPath, OnlyNeighboursAndExactStaysExactDouble) { vectorOnlyNeighbours<double>(); }

// The fast full-precision path of the sr and ud backends, same checks.
class FastPath : public ::testing::Test {
protected:
  void SetUp() override { g_fastPath = true; }
  void TearDown() override { g_fastPath = false; }
};
TEST_F(FastPath, SrFrequencyFloat) { frequencies<float>(RM::SR); }
TEST_F(FastPath, SrFrequencyDouble) { frequencies<double>(RM::SR); }
TEST_F(FastPath, UdIsOneHalfFloat) { frequencies<float>(RM::SRUniform); }
TEST_F(FastPath, UdIsOneHalfDouble) { frequencies<double>(RM::SRUniform); }
TEST_F(FastPath, OnlyNeighboursAndExactStaysExactFloat) { onlyNeighbours<float>(); }
TEST_F(FastPath, OnlyNeighboursAndExactStaysExactDouble) { onlyNeighbours<double>(); }

TEST(StochasticRounding, ExactResultsAlwaysExact) {
  uint64_t rng[4];
  prism_rng_seed(rng, kSeed, 2);
  const FormatSpec f8 = virtualFormat<double>(8), h{11, -14, 15, true};
  for (RM m : {RM::SR, RM::SRUniform})
    for (int i = 0; i < 10000; i++) {
      ASSERT_EQ(roundExact(prism::exactAdd(1.0, 0.5), f8, m, rng), 1.5);
      ASSERT_EQ(roundExact(prism::exactMul(0x1.fep100, -4.0), f8, m, rng), -0x1.fep102);
      ASSERT_EQ(roundExact(prism::exactSqrt(0x1.9p-1000), f8, m, rng), 0x1.4p-500);
      ASSERT_EQ(roundExact(prism::exactDiv(0x1p-1000, 0.5), f8, m, rng), 0x1p-999);
      ASSERT_EQ(roundExact(prism::exactMul(0x1p-20f, 0x1p-4f), h, m, rng), 0x1p-24f);
      ASSERT_EQ(roundExact(prism::exactFma(3.0, 5.0, -0.5), f8, m, rng), 14.5);
      ASSERT_EQ(roundExact(prism::exactTrunc(0x1.8p-148), virtualFormat<float>(24), m, rng),
                0x1.8p-148f);
    }
}

// The mean of n SR results, summed exactly with MPFR, is within 6 standard
// deviations of the mean, (RU - RD) * sqrt(p(1-p)/n), of x.
template <class T> void meanConverges() {
  uint64_t rng[4];
  prism_rng_seed(rng, kSeed, 3);
  int tested = 0;
  for (const SrCase<T> &c : frequencyCases<T>()) {
    Neighbours<T> nb = neighbours<T>(c.op, c.in, c.f);
    if (nb.exact || nb.special || nb.p * (1 - nb.p) * kDraws < 90)
      continue;
    const ExactValue<T> ev = coreExact<T>(c.op, c.in);
    Mpfr sum(4400), x(64), dev(128), tol(128);
    mpfr_set_zero(sum, 1);
    for (int i = 0; i < kDraws; i++)
      mpfr_add_d(sum, sum, static_cast<double>(roundExact(ev, c.f, RM::SR, rng)), MPFR_RNDN);
    mpfr_div_ui(sum, sum, kDraws, MPFR_RNDN);
    mpfrExact<T>(x, c.op, c.in, MPFR_RNDN);
    mpfr_sub(dev, sum, x, MPFR_RNDN);
    mpfr_abs(dev, dev, MPFR_RNDN);
    mpfr_set_d(tol, static_cast<double>(nb.up) - static_cast<double>(nb.down), MPFR_RNDN);
    mpfr_mul_d(tol, tol, sixSigma(nb.p, kDraws), MPFR_RNDN);
    EXPECT_LE(mpfr_cmp(dev, tol), 0)
        << str<T>(c.op, c.in) << " " << str(c.f) << ": |mean - x| = " << str(dev)
        << " > 6 sigma = " << str(tol);
    tested++;
    if (tested == 12)
      break; // 12 cases are plenty here; frequencies cover the rest
  }
  EXPECT_EQ(tested, 12);
}

TEST(StochasticRounding, MeanConvergesToExactFloat) { meanConverges<float>(); }
TEST(StochasticRounding, MeanConvergesToExactDouble) { meanConverges<double>(); }

TEST(StochasticRounding, RecursiveSumDoesNotStagnate) {
  // s <- SR(s + v) at t = 8 on float: v = 2^-10 is below half an ulp of s for
  // s >= 1 (ulp 2^-7..2^-6), so round-to-nearest stagnates at s = 1, while SR
  // is unbiased at every step, E[s_k] = 1 + k v exactly (a martingale; the
  // sum stays far from overflow and underflow). Over R independent runs the
  // sample mean of s_K is within 6 sample standard errors of 1 + K v.
  const FormatSpec f = virtualFormat<float>(8);
  constexpr int K = 2000, R = 400;
  const float v = 0x1p-10f;
  uint64_t rng[4];
  prism_rng_seed(rng, kSeed, 4);
  double sum = 0, sum2 = 0;
  for (int r = 0; r < R; r++) {
    float s = 1.0f;
    for (int k = 0; k < K; k++)
      s = roundExact(prism::exactAdd(s, v), f, RM::SR, rng);
    sum += s;
    sum2 += static_cast<double>(s) * s;
  }
  const double mean = sum / R, var = (sum2 - R * mean * mean) / (R - 1);
  const double expected = 1.0 + K * static_cast<double>(v);
  EXPECT_GT(var, 0);
  EXPECT_LE(std::fabs(mean - expected), 6 * std::sqrt(var / R))
      << "mean " << mean << " expected " << expected;
  // And round-to-nearest does stagnate (the test would be void otherwise).
  float s = 1.0f;
  for (int k = 0; k < K; k++)
    s = roundExact(prism::exactAdd(s, v), f, RM::RNE, rng);
  EXPECT_EQ(s, 1.0f);
}

TEST(StochasticRounding, SpecialValues) {
  uint64_t rng[4];
  prism_rng_seed(rng, kSeed, 5);
  const double inf = INFINITY, nan = NAN, M = DBL_MAX;
  const FormatSpec f = virtualFormat<double>(53), f8 = virtualFormat<double>(8);
  for (RM m : {RM::SR, RM::SRUniform})
    for (const FormatSpec &fmt : {f, f8})
      for (int i = 0; i < 1000; i++) {
        ASSERT_TRUE(std::isnan(roundExact(prism::exactAdd(nan, 1.0), fmt, m, rng)));
        ASSERT_TRUE(std::isnan(roundExact(prism::exactSub(inf, inf), fmt, m, rng)));
        ASSERT_TRUE(std::isnan(roundExact(prism::exactMul(0.0, inf), fmt, m, rng)));
        ASSERT_TRUE(std::isnan(roundExact(prism::exactSqrt(-2.0), fmt, m, rng)));
        ASSERT_TRUE(std::isnan(roundExact(prism::exactFma(inf, 0.0, 1.0), fmt, m, rng)));
        ASSERT_EQ(roundExact(prism::exactAdd(inf, -M), fmt, m, rng), inf);
        ASSERT_EQ(roundExact(prism::exactDiv(-1.0, 0.0), fmt, m, rng), -inf);
        ASSERT_EQ(roundExact(prism::exactTrunc(-inf), virtualFormat<float>(7), m, rng),
                  -INFINITY);
        double z = roundExact(prism::exactSub(0.1, 0.1), fmt, m, rng);
        ASSERT_TRUE(z == 0 && !std::signbit(z)) << "x - x = +0";
        z = roundExact(prism::exactAdd(-0.0, -0.0), fmt, m, rng);
        ASSERT_TRUE(z == 0 && std::signbit(z)) << "(-0) + (-0) = -0";
        z = roundExact(prism::exactDiv(-0.0, 3.0), fmt, m, rng);
        ASSERT_TRUE(z == 0 && std::signbit(z));
        // Both neighbours beyond the storage range: always inf.
        ASSERT_EQ(roundExact(prism::exactAdd(M, M), fmt, m, rng), inf);
        ASSERT_EQ(roundExact(prism::exactMul(-M, 3.0), fmt, m, rng), -inf);
      }
}

TEST(StochasticRounding, OverflowAndSubnormalProbabilities) {
  uint64_t rng[4];
  prism_rng_seed(rng, kSeed, 6);
  const double M = DBL_MAX;
  const FormatSpec f = virtualFormat<double>(53);
  struct Case {
    Op op;
    Inputs in;
    FormatSpec f;
  };
  const Case cases[] = {
      {Op::Add, {M, 0x1p969, 0}, f},             // RD = DBL_MAX, RU = inf: p = 1/4
      {Op::Add, {-M, -0x1.8p969, 0}, f},         // RU = -DBL_MAX, RD = -inf: p = 5/8
      {Op::Mul, {0x1p-1074, 0.75, 0}, f},        // 0 or 2^-1074: p = 3/4
      {Op::Mul, {-0x1p-1074, 0.75, 0}, f},       // -2^-1074 or -0: p = 1/4
      {Op::Div, {0x1p-1070, 3.0, 0}, f},         // subnormal quotient
      {Op::Mul, {0x1p-1022, 0.3, 0}, virtualFormat<double>(5)},   // spacing 2^-1026
      {Op::Mul, {0x1p-1022, 0x1p-3, 0}, FormatSpec{53, -1022, 1023, false}}, // 0 or 2^-1022
      {Op::Fma, {0x1p-540, -0x1.1p-540, 0x1p-1074}, f},
  };
  for (RM m : {RM::SR, RM::SRUniform})
    for (const Case &c : cases) {
      Neighbours<double> nb = neighbours<double>(c.op, c.in, c.f);
      ASSERT_FALSE(nb.exact);
      const double p = m == RM::SR ? nb.p : 0.5;
      long ups = countUps<double>(c.op, c.in, c.f, m, kDraws, rng, nb);
      double freq = static_cast<double>(ups) / kDraws;
      EXPECT_LE(std::fabs(freq - p), sixSigma(p, kDraws))
          << str<double>(c.op, c.in) << " " << str(c.f) << " " << modeName(m) << ": P(RU) "
          << p << ", observed " << freq << " (RD " << str(nb.down) << ", RU "
          << str(nb.up) << ")";
    }
  // The signs: RD of a negative tiny value is -2^-1074, RU is -0.
  const ExactValue<double> neg = prism::exactMul(-0x1p-1074, 0.75);
  bool sawMinusZero = false, sawMinusTiny = false;
  for (int i = 0; i < 200; i++) {
    double r = roundExact(neg, f, RM::SR, rng);
    sawMinusZero |= r == 0 && std::signbit(r);
    sawMinusTiny |= r == -0x1p-1074;
    ASSERT_TRUE((r == 0 && std::signbit(r)) || r == -0x1p-1074) << r;
  }
  EXPECT_TRUE(sawMinusZero && sawMinusTiny);
}

TEST(StochasticRounding, SameSeedSameResultsOtherSeedOther) {
  const FormatSpec f = virtualFormat<float>(12);
  auto run = [&](uint64_t seed, uint64_t index) {
    uint64_t rng[4];
    prism_rng_seed(rng, seed, index);
    std::vector<float> out;
    for (int i = 0; i < 1000; i++)
      out.push_back(roundExact(prism::exactDiv(1.0f, 3.0f + i), f, RM::SR, rng));
    return out;
  };
  EXPECT_EQ(run(7, 0), run(7, 0));
  EXPECT_NE(run(7, 0), run(8, 0));
  EXPECT_NE(run(7, 0), run(7, 1)); // another thread index: another stream
}

} // namespace
} // namespace prism_test
