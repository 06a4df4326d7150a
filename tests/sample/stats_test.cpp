// stats_test.cpp - the statistics of prism-sample (tools/sample/stats.h),
// apart from the command line: the SPEC.md test vectors, hand-derived cases for
// the absolute error and for Sorensen-Dice, and the edge-case rules.
//
// How the SPEC numbers were checked independently of Boost: chi2.ppf(0.025, 3)
// by bisection on the closed-form CDF of a chi-square with 3 degrees of freedom,
// F(x) = erf(sqrt(x/2)) - sqrt(2x/pi) exp(-x/2), gives 0.21579528262389802;
// PhiInv(0.975) by bisection on 1/2 erfc(-x/sqrt 2) gives 1.9599639845400532.
// Then delta(n=4) = 1/2 log2(3/0.215795...) + log2(1.959963...) =
// 2.8694407784176623 and, for the SPEC vector (sigma_Z = sqrt(1.25) 2^-20.5),
// s_CNH = 20.339035952556 - 2.869440778418 = 17.469595174139. The test
// DeltaMatchesClosedForm repeats the chi-square part here.
#include "stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

using namespace prism::sample;

namespace {

const std::vector<double> kSpecX = {1 + 0x1p-20, 1 - 0x1p-20, 1 + 0x1p-21,
                                    1 - 0x1p-21};
constexpr double kDelta4 = 2.8694407784176623; // cnh_delta(4, 0.95, 0.95)

Settings settings(ErrorMode m = ErrorMode::Relative, int precision = 53) {
  Settings s;
  s.error = m;
  s.precision = precision;
  return s;
}

std::vector<double> z_of(const std::vector<double> &x, double y, ErrorMode m) {
  std::vector<double> z;
  for (double v : x)
    z.push_back(error_of(v, y, m));
  return z;
}

} // namespace

// ---- SPEC.md test vectors ----------------------------------------------------
TEST(SampleStats, SpecVectorCnh) {
  Analyzer a(4, settings());
  ElementStats e = a(kSpecX, 1.0);
  ASSERT_TRUE(e.sig_cnh);
  EXPECT_NEAR(*e.sig_cnh, 17.469595174139, 1e-9);
  EXPECT_EQ(e.status, Status::Ok);
}

TEST(SampleStats, SpecVectorGeneral) {
  Analyzer a(4, settings());
  ElementStats e = a(kSpecX, 1.0);
  ASSERT_TRUE(e.sig_general);
  EXPECT_EQ(*e.sig_general, 20);
  EXPECT_EQ(general_bits(z_of(kSpecX, 1.0, ErrorMode::Relative), 1, 53), 20);
}

TEST(SampleStats, SpecVectorParker) {
  // Parker with ddof 0: sigma_X = sqrt(((2^-20)^2 2 + (2^-21)^2 2) / 4)
  // = sqrt(1.25) 2^-20.5, mu = 1: -log2 = 20.5 - log2(1.25)/2.
  EXPECT_NEAR(parker_bits(kSpecX, 53), 20.339035952556, 1e-9);
  EXPECT_NEAR(parker_bits(kSpecX, 53), 20.5 - std::log2(1.25) / 2, 1e-12);
  Analyzer a(4, settings());
  EXPECT_NEAR(*a(kSpecX, 1.0).sig_parker, 20.339035952556, 1e-9);
}

TEST(SampleStats, PlanSampleCounts) {
  EXPECT_EQ(plan_samples(0.99, 0.95), 299u); // ln 0.05 / ln 0.99 = 298.07
  EXPECT_EQ(plan_samples(0.9, 0.95), 29u);   // ln 0.05 / ln 0.9 = 28.43
  EXPECT_EQ(plan_samples(0.95, 0.95), 59u);  // 58.40
  EXPECT_EQ(plan_samples(0.5, 0.75), 2u);    // ln 0.25 / ln 0.5 = 2 exactly
}

TEST(SampleStats, DeltaMatchesClosedForm) {
  EXPECT_NEAR(cnh_delta(4, 0.95, 0.95), kDelta4, 1e-12);
  // chi2_lo for n = 4 must satisfy the closed-form CDF of chi-square(3).
  double chi2 = 3.0 / std::exp2(2 * (kDelta4 - std::log2(1.9599639845400532)));
  double cdf = std::erf(std::sqrt(chi2 / 2)) -
               std::sqrt(2 * chi2 / std::numbers::pi) * std::exp(-chi2 / 2);
  EXPECT_NEAR(cdf, 0.025, 1e-12);
  // More samples: a tighter interval, a smaller penalty.
  EXPECT_LT(cnh_delta(30, 0.95, 0.95), cnh_delta(10, 0.95, 0.95));
  EXPECT_LT(cnh_delta(10, 0.95, 0.95), kDelta4);
}

TEST(SampleStats, ContributingBits) {
  // CNH with p = 0.51: delta_c = 1/2 log2(3/chi2) + log2(0.01) + log2(2 sqrt(2 pi)),
  // computed independently: s = 22.75853044341421.
  Analyzer a(4, settings());
  ElementStats e = a(kSpecX, 1.0);
  EXPECT_NEAR(*e.contrib_cnh, 22.75853044341421, 1e-9);
  // General: floor(2^k |Z_i|) is even for every k <= 19 (all products < 1)
  // and odd at k = 20 for |Z| = 2^-20: 19 contributing bits.
  EXPECT_EQ(*e.contrib_general, 19);
}

// ---- absolute error, derived by hand ---------------------------------------------
// Y = 8, X = 8 + 2^-10, 8 - 2^-10, 8 + 2^-10, 8 - 2^-10 (n = 4).
// e = floor(log2 8) + 1 = 4; Z = X - Y = +-2^-10, mean 0, sigma_hat = 2^-10.
// CNH: -log2 sigma + (e - 1) - delta = 10 + 3 - 2.8694407784176623
//      = 10.130559221582338.
// General: |Z| = 2^-10 <= 2^(-k + 3) iff k <= 13, so 13.
// Parker: sigma_X / mu_X = 2^-10 / 8 = 2^-13, so 13.
TEST(SampleStats, AbsoluteErrorHandDerived) {
  const std::vector<double> x = {8 + 0x1p-10, 8 - 0x1p-10, 8 + 0x1p-10, 8 - 0x1p-10};
  EXPECT_EQ(error_exponent(8.0, ErrorMode::Absolute), 4);
  Analyzer a(4, settings(ErrorMode::Absolute));
  ElementStats e = a(x, 8.0);
  EXPECT_NEAR(*e.sig_cnh, 10.130559221582338, 1e-9);
  EXPECT_EQ(*e.sig_general, 13);
  EXPECT_NEAR(*e.sig_parker, 13.0, 1e-12);
  // Relative error gives the same here: Z = X/8 - 1 = +-2^-13, e = 1.
  Analyzer r(4, settings(ErrorMode::Relative));
  ElementStats er = r(x, 8.0);
  EXPECT_NEAR(*er.sig_cnh, 10.130559221582338, 1e-9);
  EXPECT_EQ(*er.sig_general, 13);
}

// Y = 0.75: e = floor(log2 0.75) + 1 = -1 + 1 = 0; X = 0.75 +- 2^-12.
// CNH: 12 + (0 - 1) - delta = 8.130559221582338.
// General: 2^-12 <= 2^(-k - 1) iff k <= 11, so 11.
TEST(SampleStats, AbsoluteErrorBelowOne) {
  const std::vector<double> x = {0.75 + 0x1p-12, 0.75 - 0x1p-12, 0.75 + 0x1p-12,
                                 0.75 - 0x1p-12};
  EXPECT_EQ(error_exponent(0.75, ErrorMode::Absolute), 0);
  Analyzer a(4, settings(ErrorMode::Absolute));
  ElementStats e = a(x, 0.75);
  EXPECT_NEAR(*e.sig_cnh, 8.130559221582338, 1e-9);
  EXPECT_EQ(*e.sig_general, 11);
}

// Y = 0 under absolute error: e = 1 (bits counted below 2^0).
// X = +-2^-9 (n = 4): general 9, CNH 9 - delta.
TEST(SampleStats, AbsoluteErrorZeroReference) {
  const std::vector<double> x = {0x1p-9, -0x1p-9, 0x1p-9, -0x1p-9};
  EXPECT_EQ(error_exponent(0.0, ErrorMode::Absolute), 1);
  Analyzer a(4, settings(ErrorMode::Absolute));
  ElementStats e = a(x, 0.0);
  EXPECT_EQ(e.status, Status::Ok);
  EXPECT_EQ(*e.sig_general, 9);
  EXPECT_NEAR(*e.sig_cnh, 9 - kDelta4, 1e-9);
}

// ---- the general method at powers of two ----------------------------------------
TEST(SampleStats, GeneralBitsBoundaries) {
  std::vector<double> z = {0x1p-20};
  EXPECT_EQ(general_bits(z, 1, 53), 20); // equality counts
  z = {std::nextafter(0x1p-20, 1.0)};
  EXPECT_EQ(general_bits(z, 1, 53), 19);
  z = {std::nextafter(0x1p-20, 0.0)};
  EXPECT_EQ(general_bits(z, 1, 53), 20);
  z = {0.0, -0.0};
  EXPECT_EQ(general_bits(z, 1, 53), 53);
  z = {3.0};
  EXPECT_EQ(general_bits(z, 1, 53), 0); // k = -2 clamps to 0
  z = {0x1p-70};
  EXPECT_EQ(general_bits(z, 1, 53), 53); // clamps to mant
  EXPECT_EQ(general_bits(z, 1, 24), 24);
}

// ---- edge cases ---------------------------------------------------------------
TEST(SampleStats, ZeroStdAllExact) {
  // Every sample equals the reference: all bits, every method.
  Analyzer a(4, settings());
  ElementStats e = a(std::vector<double>{2.5, 2.5, 2.5, 2.5}, 2.5);
  EXPECT_EQ(e.status, Status::Exact);
  EXPECT_EQ(*e.sig_cnh, 53);
  EXPECT_EQ(*e.sig_general, 53);
  EXPECT_EQ(*e.sig_parker, 53);
  EXPECT_EQ(e.std, 0);
  Analyzer f(4, settings(ErrorMode::Relative, 24));
  EXPECT_EQ(*f(std::vector<double>{2.5, 2.5, 2.5, 2.5}, 2.5).sig_cnh, 24);
}

TEST(SampleStats, ZeroStdConstantBias) {
  // All runs agree with each other but not with the reference: sigma_hat = 0
  // is replaced by max|Z| = 2^-10, so CNH = 10 - delta, general = 10, while
  // Parker (which ignores the reference) says all bits.
  const std::vector<double> x(4, 1 + 0x1p-10);
  Analyzer a(4, settings());
  ElementStats e = a(x, 1.0);
  EXPECT_EQ(e.status, Status::Ok);
  EXPECT_NEAR(*e.sig_cnh, 10 - kDelta4, 1e-9);
  EXPECT_EQ(*e.sig_general, 10);
  EXPECT_EQ(*e.sig_parker, 53);
}

TEST(SampleStats, EqualRunsWhoseRoundedMeanLeavesAStd) {
  // Found on chop e4m3 logits: equal runs whose computed mean is not their
  // value (3 x 0.7: (0.7 + 0.7 + 0.7) / 3 != 0.7), so the two-pass std is a
  // few ulps instead of 0 and CNH read all bits. Equal runs use max|Z|:
  // CNH = -log2(0.7) - delta(3) clamped at 0, general = 0 (0.7 > 2^-1).
  const double x = 1.7; // Z = 1.7 / 1 - 1 = 0.7 (exact)
  Analyzer a(3, settings());
  ElementStats e = a(std::vector<double>(3, x), 1.0);
  EXPECT_NEAR(*e.sig_cnh,
              std::max(0.0, -std::log2(0.7) - cnh_delta(3, 0.95, 0.95)), 1e-9);
  EXPECT_LT(*e.sig_cnh, 1.0);
  EXPECT_EQ(*e.sig_general, 0);
}

TEST(SampleStats, NanInSomeRuns) {
  Analyzer a(4, settings());
  ElementStats e = a(std::vector<double>{1.0, std::nan(""), 1.0, 1.0}, 1.0);
  EXPECT_EQ(e.status, Status::NanSome);
  EXPECT_EQ(e.nan_runs, 1u);
  EXPECT_EQ(*e.sig_cnh, 0);
  EXPECT_EQ(*e.sig_general, 0);
  EXPECT_EQ(e.mean, 1.0); // moments over the runs that are not NaN
  // NaN only in the reference.
  EXPECT_EQ(a(std::vector<double>{1.0, 1.0, 1.0, 1.0}, std::nan("")).status,
            Status::NanSome);
}

TEST(SampleStats, NanEverywhere) {
  Analyzer a(4, settings());
  const double n = std::nan("");
  ElementStats e = a(std::vector<double>{n, n, n, n}, n);
  EXPECT_EQ(e.status, Status::NanAll);
  EXPECT_FALSE(e.sig_cnh);
  EXPECT_FALSE(e.sig_general);
  EXPECT_FALSE(e.sig_parker);
  EXPECT_EQ(e.nan_runs, 4u);
}

TEST(SampleStats, Infinities) {
  Analyzer a(4, settings());
  ElementStats e = a(std::vector<double>(4, INFINITY), INFINITY);
  EXPECT_EQ(e.status, Status::Exact);
  EXPECT_EQ(e.std, 0);
  ElementStats f = a(std::vector<double>{INFINITY, 1e308, INFINITY, INFINITY}, INFINITY);
  EXPECT_EQ(f.status, Status::NanSome);
  EXPECT_EQ(*f.sig_cnh, 0);
}

TEST(SampleStats, ZeroReferenceRelative) {
  Analyzer a(4, settings());
  ElementStats e = a(std::vector<double>{1e-3, -1e-3, 1e-3, -1e-3}, 0.0);
  EXPECT_EQ(e.status, Status::ZeroReference);
  EXPECT_FALSE(e.sig_cnh);
  EXPECT_FALSE(e.sig_general);
  ASSERT_TRUE(e.sig_parker); // sigma/mu needs no reference: mu = 0 -> 0 bits
  EXPECT_EQ(*e.sig_parker, 0);
  // Zeros everywhere are simply exact.
  EXPECT_EQ(a(std::vector<double>{0.0, -0.0, 0.0, 0.0}, 0.0).status, Status::Exact);
}

TEST(SampleStats, ClampsToPrecision) {
  // sigma = 2^-40 relative: CNH would be 40 - delta > 24 for a float.
  const std::vector<double> x = {1 + 0x1p-40, 1 - 0x1p-40, 1 + 0x1p-40, 1 - 0x1p-40};
  Analyzer f(4, settings(ErrorMode::Relative, 24));
  ElementStats e = f(x, 1.0);
  EXPECT_EQ(*e.sig_cnh, 24);
  EXPECT_EQ(*e.sig_general, 24);
  EXPECT_EQ(*e.sig_parker, 24);
  // A huge spread: negative CNH clamps to 0.
  Analyzer d(4, settings());
  EXPECT_EQ(*d(std::vector<double>{1, 100, -50, 3}, 1.0).sig_cnh, 0);
}

TEST(SampleStats, MeanReference) {
  EXPECT_EQ(mean_reference(kSpecX), 1.0);
  // 0.1 three times: sum/3 is not 0.1 in binary64, the common value is.
  std::vector<double> t(3, 0.1);
  EXPECT_EQ(mean_reference(t), 0.1);
  EXPECT_TRUE(std::isnan(mean_reference(std::vector<double>{1, std::nan("")})));
}

TEST(SampleStats, Summary) {
  Analyzer a(4, settings());
  std::vector<ElementStats> es;
  es.push_back(a(kSpecX, 1.0));                                     // 17.47
  es.push_back(a(std::vector<double>(4, 3.0), 3.0));                // 53
  es.push_back(a(std::vector<double>(4, std::nan("")), std::nan(""))); // undefined
  es.push_back(a(std::vector<double>{1 + 0x1p-10, 1 - 0x1p-10, 1 + 0x1p-10,
                                     1 - 0x1p-10},
                 1.0)); // 10 - delta = 7.13
  Summary s = summarize(es, 2);
  EXPECT_EQ(s.outputs, 4u);
  EXPECT_EQ(s.defined, 3u);
  EXPECT_NEAR(s.min, 10 - kDelta4, 1e-9);
  EXPECT_NEAR(s.median, 17.469595174139, 1e-9);
  EXPECT_NEAR(s.mean, (17.469595174139 + 53 + 10 - kDelta4) / 3, 1e-9);
  EXPECT_EQ(s.general_min, 10);
  ASSERT_EQ(s.worst.size(), 2u);
  EXPECT_EQ(s.worst[0], 3u);
  EXPECT_EQ(s.worst[1], 0u);
  EXPECT_EQ(median_of({4, 1, 3, 2}), 2.5);
}

// ---- Sorensen-Dice, derived by hand -----------------------------------------------
// Reference R = [0, 0, 1, 1, 2, 2]; run A = [0, 1, 1, 1, 2, 2]; run B = R.
// Run A: label 0: A0 = {0}, R0 = {0, 1}: 2*1/(1+2) = 2/3;
//        label 1: A1 = {1, 2, 3}, R1 = {2, 3}: 2*2/(3+2) = 4/5;
//        label 2: {4, 5} both: 1.  Mean over labels: (2/3 + 4/5 + 1)/3 = 37/45.
// Run B: 1 for every label.
// Per label over the runs: 0 -> (2/3 + 1)/2 = 5/6, 1 -> (4/5 + 1)/2 = 9/10,
// 2 -> 1; mean Dice = (5/6 + 9/10 + 1)/3 = 41/45.
TEST(SampleStats, DiceHandDerived) {
  const std::vector<double> ref = {0, 0, 1, 1, 2, 2};
  const std::vector<double> ra = {0, 1, 1, 1, 2, 2};
  const std::vector<double> rb = ref;
  EXPECT_NEAR(dice_coefficient(ra, ref, 0), 2.0 / 3, 1e-15);
  EXPECT_NEAR(dice_coefficient(ra, ref, 1), 4.0 / 5, 1e-15);
  EXPECT_NEAR(dice_coefficient(ra, ref, 2), 1.0, 1e-15);
  EXPECT_TRUE(std::isnan(dice_coefficient(ra, ref, 7))); // in neither: undefined
  DiceReport d = dice({ra, rb}, ref);
  ASSERT_EQ(d.labels.size(), 3u);
  EXPECT_NEAR(d.labels[0].mean, 5.0 / 6, 1e-12);
  EXPECT_NEAR(d.labels[0].min, 2.0 / 3, 1e-12);
  EXPECT_NEAR(d.labels[1].mean, 9.0 / 10, 1e-12);
  EXPECT_NEAR(d.labels[2].mean, 1.0, 1e-12);
  EXPECT_EQ(d.labels[0].reference_count, 2u);
  EXPECT_NEAR(d.mean_dice, 41.0 / 45, 1e-12);
  ASSERT_EQ(d.per_run.size(), 2u);
  EXPECT_NEAR(d.per_run[0], 37.0 / 45, 1e-12);
  EXPECT_NEAR(d.per_run[1], 1.0, 1e-12);
  // Element 1 differs in one run of two.
  EXPECT_EQ(d.agreement[1], 0.5);
  EXPECT_EQ(d.agreement[0], 1.0);
}

// A label that only a run has: R = [1, 1], A = [1, 2], B = R.
// Run A: label 1: 2*1/(1+2) = 2/3; label 2: 2*0/(1+0) = 0.
// Run B: label 1: 1; label 2 is in neither: undefined, not averaged.
// Label 1: (2/3 + 1)/2 = 5/6 over 2 runs; label 2: 0 over 1 run.
// Mean Dice = (5/6 + 0)/2 = 5/12.
TEST(SampleStats, DiceLabelOnlyInARun) {
  const std::vector<double> ref = {1, 1}, ra = {1, 2}, rb = {1, 1};
  DiceReport d = dice({ra, rb}, ref);
  ASSERT_EQ(d.labels.size(), 2u);
  EXPECT_EQ(d.labels[1].label, 2);
  EXPECT_EQ(d.labels[1].runs, 1u);
  EXPECT_EQ(d.labels[1].reference_count, 0u);
  EXPECT_NEAR(d.labels[0].mean, 5.0 / 6, 1e-12);
  EXPECT_EQ(d.labels[1].mean, 0.0);
  EXPECT_NEAR(d.mean_dice, 5.0 / 12, 1e-12);
}

TEST(SampleStats, MajorityLabels) {
  const std::vector<double> a = {1, 2, 3}, b = {1, 5, 4}, c = {2, 5, 3}, d = {2, 2, 4};
  // element 0: 1,1,2,2 tie -> 1; element 1: 2,5,5,2 tie -> 2; element 2: 3,4,3,4 -> 3
  EXPECT_EQ(majority_labels({a, b, c, d}), (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(majority_labels({a, b, c}), (std::vector<double>{1, 5, 3}));
}
