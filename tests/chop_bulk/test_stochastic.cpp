// test_stochastic.cpp - sr and sr-uniform of the bulk API: every result is
// RD(x) or RU(x), the frequency of RU is (x - RD) / (RU - RD) (sr) or 1/2
// (sr-uniform) within 6 sigma at a fixed seed, exact values stay exact, on the
// fast path (all lanes ordinary), the general path (a NaN in every group),
// subnormal and tiny values, overflow; adjacent elements are independent; the
// random word of each element follows the layout documented in prism/chop.h.
#include "test_util.h"

#include "backends/chop/bulk/bulk_common.h"
#include "backends/chop/bulk/bulk_params.h"

namespace chop_bulk_test {
namespace {

struct SrCase {
  const char *format;
  bool isDouble;
  double x;
  bool subnormalsOff = false;
};

void PrintTo(const SrCase &c, std::ostream *os) {
  *os << c.format << (c.isDouble ? "/f64" : "/f32") << " x=" << c.x
      << (c.subnormalsOff ? " subnormals=off" : "");
}

std::ostream &operator<<(std::ostream &os, const SrCase &c) {
  return os << c.format << (c.isDouble ? "/f64" : "/f32") << " x=" << c.x
            << (c.subnormalsOff ? " subnormals=off" : "");
}

template <class T> struct Neighbours { T lo, hi; };

template <class T> Neighbours<T> neighbours(const prism::ChopRounder &r, T x) {
  prism::ExactValue<T> ev{x, 0, 0, 0};
  return {r.clampRange(prism::roundExact(ev, referenceGrid(r),
                                         prism::RoundingMode::RD, nullptr),
                       false),
          r.clampRange(prism::roundExact(ev, referenceGrid(r),
                                         prism::RoundingMode::RU, nullptr),
                       false)};
}

// Counts RU results; fails on a result that is neither neighbour.
template <class T>
void checkFrequency(const SrCase &c, const char *mode, double expectP,
                    bool generalPath, int64_t target) {
  constexpr size_t kN = 200000;
  const T x = static_cast<T>(c.x);
  std::vector<T> in(kN, x);
  if (generalPath)
    for (size_t i = 5; i < kN; i += 16)
      in[i] = std::numeric_limits<T>::quiet_NaN();
  prism_chop_options o{};
  o.format = c.format;
  o.rounding = mode;
  o.subnormals_off = c.subnormalsOff;
  o.seed = 2024;
  const prism::ChopRounder ref = referenceRounder(o);
  const Neighbours<T> nb = neighbours(ref, x);
  std::vector<T> out(kN);
  ASSERT_EQ(chopArray(in.data(), out.data(), kN, o), 0)
      << prism_chop_last_error();
  size_t up = 0, n = 0;
  for (size_t i = 0; i < kN; ++i) {
    if (std::isnan(in[i])) {
      ASSERT_TRUE(std::isnan(out[i]));
      continue;
    }
    ++n;
    if (bitsOf(out[i]) == bitsOf(nb.hi) && bitsOf(nb.hi) != bitsOf(nb.lo))
      ++up;
    else
      ASSERT_EQ(bitsOf(out[i]), bitsOf(nb.lo))
          << c << " " << mode << ": " << out[i] << " is not in {" << nb.lo
          << ", " << nb.hi << "}";
  }
  const double mean = n * expectP;
  const double sigma = std::sqrt(n * expectP * (1 - expectP));
  EXPECT_LE(std::fabs(static_cast<double>(up) - mean), 6 * sigma + 1e-9)
      << c << " " << mode << " target=" << targetName(target)
      << (generalPath ? " (general path)" : " (fast path)") << ": " << up
      << " of " << n << " up, expected " << mean << " +- 6*" << sigma;
}

template <class T> double expectedP(const SrCase &c) {
  prism_chop_options o{};
  o.format = c.format;
  o.subnormals_off = c.subnormalsOff;
  const prism::ChopRounder ref = referenceRounder(o);
  const T x = static_cast<T>(c.x);
  // The exact grid neighbours (before the overflow rule), in long double.
  prism::ExactValue<T> ev{x, 0, 0, 0};
  const long double lo = prism::roundExact(ev, referenceGrid(ref),
                                           prism::RoundingMode::RD, nullptr);
  const long double hi = prism::roundExact(ev, referenceGrid(ref),
                                           prism::RoundingMode::RU, nullptr);
  if (hi == lo)
    return 0;
  return static_cast<double>((static_cast<long double>(x) - lo) / (hi - lo));
}

class StochasticFrequency : public testing::TestWithParam<SrCase> {};

TEST_P(StochasticFrequency, SrWithin6Sigma) {
  const SrCase &c = GetParam();
  for (int64_t target : cpuTargets()) {
    TargetScope scope(target);
    for (bool general : {false, true}) {
      if (c.isDouble)
        checkFrequency<double>(c, "sr", expectedP<double>(c), general, target);
      else
        checkFrequency<float>(c, "sr", expectedP<float>(c), general, target);
    }
  }
}

TEST_P(StochasticFrequency, SrUniformHalfOfInexact) {
  const SrCase &c = GetParam();
  for (int64_t target : cpuTargets()) {
    TargetScope scope(target);
    for (bool general : {false, true}) {
      const double p =
          (c.isDouble ? expectedP<double>(c) : expectedP<float>(c)) > 0 ? 0.5
                                                                        : 0;
      if (c.isDouble)
        checkFrequency<double>(c, "sr-uniform", p, general, target);
      else
        checkFrequency<float>(c, "sr-uniform", p, general, target);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StochasticFrequency,
    testing::Values(
        // bfloat16 from float: normal range, subnormal range (fast path).
        SrCase{"bfloat16", false, 1 + 0.3 * 0x1p-7},
        SrCase{"bfloat16", false, -(1 + 0.75 * 0x1p-7)},
        SrCase{"bfloat16", false, 0x1p-130 + 0.25 * 0x1p-133},
        SrCase{"bfloat16", false, 1.5}, // exact: never moves
        // binary16 from float: normal, subnormal (variable spacing), tiny
        // (below the smallest subnormal), subnormals off, overflow to inf.
        SrCase{"binary16", false, 1000.3},
        SrCase{"binary16", false, 3.3 * 0x1p-24},
        SrCase{"binary16", false, 0.3 * 0x1p-24},
        SrCase{"binary16", false, -0x1p-30},
        SrCase{"binary16", false, 0.4 * 0x1p-14, true},
        SrCase{"binary16", false, 65504.0 + 16.0},
        // From double.
        SrCase{"binary16", true, 1 + 0x1p-10 / 3},
        SrCase{"binary16", true, 0.7 * 0x1p-24},
        SrCase{"binary16", true, 1.5 * 0x1p-50},
        SrCase{"bfloat16", true, -3.14159},
        SrCase{"binary32", true, 1 + 0.6 * 0x1p-23},
        SrCase{"e4m3", false, 300.0}, SrCase{"e2m1", false, 2.6},
        SrCase{"e5m2", true, 0.3 * 0x1p-16},
        SrCase{"fixed:8.8", false, 1.0 + 0.2 / 256},
        SrCase{"fixed:4.20", true, -0.7 * 0x1p-20},
        SrCase{"fixed:8.8", false, 0.9 / 512}),
    [](const testing::TestParamInfo<SrCase> &info) {
      return "case" + std::to_string(info.index);
    });

// Adjacent elements (different lanes, halves of one 64-bit word, streams) and
// elements of different blocks are independent: pairs both up ~ N p^2.
TEST(Stochastic, AdjacentElementsIndependent) {
  constexpr size_t kN = 3 * PRISM_CHOP_BLOCK + 1000;
  const float x = 1 + 0.5f * 0x1p-7f; // p = 1/2 for bfloat16
  std::vector<float> in(kN, x), out(kN);
  prism_chop_options o{};
  o.format = "bfloat16";
  o.rounding = "sr";
  o.seed = 99;
  ASSERT_EQ(prism_chop_f32(in.data(), out.data(), kN, &o), 0);
  for (size_t lag : {size_t(1), size_t(2), size_t(8), size_t(16),
                     size_t(PRISM_CHOP_BLOCK)}) {
    size_t both = 0, pairs = 0;
    for (size_t i = 0; i + lag < kN; ++i, ++pairs)
      both += (out[i] != 1.0f) && (out[i + lag] != 1.0f);
    const double p = 0.25, mean = pairs * p;
    EXPECT_LE(std::fabs(both - mean), 6 * std::sqrt(pairs * p * (1 - p)))
        << "lag " << lag;
  }
}

// The random word of element j of a block is the documented one (prism/chop.h):
// float - half (j even: low) of stream (j mod 16) / 2; double - stream j mod 8.
// sr-uniform goes up exactly when the word's top bit is set.
template <class T> void checkLayout() {
  const size_t n = PRISM_CHOP_BLOCK + 100; // two blocks, a partial group
  const T x = static_cast<T>(1 + 0x1p-9);  // inexact for bfloat16
  std::vector<T> in(n, x), out(n);
  prism_chop_options o{};
  o.format = "bfloat16";
  o.rounding = "sr-uniform";
  o.seed = 31337;
  for (int64_t target : cpuTargets()) {
    TargetScope scope(target);
    ASSERT_EQ(chopArray(in.data(), out.data(), n, o), 0);
    for (uint64_t block = 0; block < 2; ++block) {
      uint64_t s[prism::bulk::kStreams][4];
      for (unsigned k = 0; k < prism::bulk::kStreams; ++k)
        prism::bulk::seedStream(s[k], o.seed, block, k);
      const size_t begin = block * PRISM_CHOP_BLOCK;
      const size_t len = std::min<size_t>(PRISM_CHOP_BLOCK, n - begin);
      const size_t group = sizeof(T) == 4 ? 16 : 8;
      uint64_t words[16];
      for (size_t j = 0; j < len; ++j) {
        if (j % group == 0)
          for (unsigned k = 0; k < prism::bulk::kStreams; ++k)
            words[k] = prism_rng_next(s[k]);
        bool top;
        if (sizeof(T) == 4) {
          const uint64_t w = words[(j % 16) / 2];
          top = ((j % 2 == 0 ? w : w >> 32) >> 31) & 1;
        } else {
          top = words[j % 8] >> 63;
        }
        const T expect = top ? static_cast<T>(1 + 0x1p-7) : T(1);
        ASSERT_EQ(out[begin + j], expect)
            << "block " << block << " element " << j << " target "
            << targetName(target);
      }
    }
  }
}

TEST(Stochastic, RandomWordLayoutFloat) { checkLayout<float>(); }
TEST(Stochastic, RandomWordLayoutDouble) { checkLayout<double>(); }

} // namespace
} // namespace chop_bulk_test
