// test_api.cpp - the bulk API's contract beyond the rounding itself: errors
// (code and a message naming the option, its value and what is accepted),
// in-place use, thread-count independence, seeds, soft errors (p = 0 never,
// p = 1 exactly one fraction bit, the rate in between), fixed point, the
// anchors' bugs as regression cases, the C++ layer and the C header.
#include "test_util.h"

#include <gmock/gmock.h>

#include <span>
#include <thread>

extern "C" int prism_chop_c_smoke(void);

namespace chop_bulk_test {
namespace {

using testing::HasSubstr;

prism_chop_options opts(const char *format, const char *mode = "rne") {
  prism_chop_options o{};
  o.format = format;
  o.rounding = mode;
  return o;
}

std::vector<float> normalFloats(size_t n, unsigned seed, double scale = 1) {
  std::mt19937_64 gen(seed);
  std::normal_distribution<double> dist(0, scale);
  std::vector<float> v(n);
  for (auto &x : v)
    x = static_cast<float>(dist(gen));
  return v;
}

// --- errors ---------------------------------------------------------------

struct ErrorCase {
  const char *format;
  const char *rounding;
  double flip;
  bool isDouble;
  int code;
  std::vector<std::string> mentions;
};

void PrintTo(const ErrorCase &c, std::ostream *os) {
  *os << (c.format ? c.format : "(null)") << "/" << c.rounding << "/" << c.flip
      << (c.isDouble ? " on double" : " on float");
}

class Errors : public testing::TestWithParam<ErrorCase> {};

TEST_P(Errors, CodeAndMessage) {
  const ErrorCase &c = GetParam();
  prism_chop_options o{};
  o.format = c.format;
  o.rounding = c.rounding;
  o.flip_prob = c.flip;
  float f = 1;
  double d = 1;
  const int rc = c.isDouble ? prism_chop_f64(&d, &d, 1, &o)
                            : prism_chop_f32(&f, &f, 1, &o);
  EXPECT_EQ(rc, c.code);
  const std::string msg = prism_chop_last_error();
  for (const std::string &m : c.mentions)
    EXPECT_THAT(msg, HasSubstr(m));
  EXPECT_STRNE(prism_chop_strerror(rc), "unknown error code");
  EXPECT_EQ(prism_chop_check(&o, c.isDouble ? 64 : 32), c.code);
  // Nothing was written.
  EXPECT_EQ(f, 1.0f);
  EXPECT_EQ(d, 1.0);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, Errors,
    testing::Values(
        ErrorCase{nullptr,
                  "rne",
                  0,
                  false,
                  PRISM_CHOP_E_FORMAT,
                  {"format", "not set", "binary16", "fixed:I.F"}},
        ErrorCase{"fp17",
                  "rne",
                  0,
                  false,
                  PRISM_CHOP_E_FORMAT,
                  {"format='fp17'", "accepted", "bfloat16", "eXmY"}},
        ErrorCase{"e1m3",
                  "rne",
                  0,
                  true,
                  PRISM_CHOP_E_FORMAT,
                  {"format='e1m3'", "2 <= X <= 11"}},
        ErrorCase{
            "e12m3", "rne", 0, true, PRISM_CHOP_E_FORMAT, {"format='e12m3'"}},
        ErrorCase{"binary16",
                  "nearest",
                  0,
                  false,
                  PRISM_CHOP_E_ROUNDING,
                  {"rounding='nearest'", "rne", "sr-uniform", "ro"}},
        ErrorCase{"binary64",
                  "rne",
                  0,
                  false,
                  PRISM_CHOP_E_WIDE,
                  {"format='binary64'", "wider than the float storage",
                   "p <= 24", "prism_chop_f64"}},
        ErrorCase{"e9m4",
                  "rne",
                  0,
                  false,
                  PRISM_CHOP_E_WIDE,
                  {"format='e9m4'", "float"}},
        ErrorCase{"e5m30",
                  "rne",
                  0,
                  false,
                  PRISM_CHOP_E_WIDE,
                  {"format='e5m30'", "p=31"}},
        ErrorCase{"fixed:10.20",
                  "rne",
                  0,
                  false,
                  PRISM_CHOP_E_WIDE,
                  {"format='fixed:10.20'", "I+F <= 24"}},
        ErrorCase{"fixed:30.30",
                  "rne",
                  0,
                  true,
                  PRISM_CHOP_E_WIDE,
                  {"format='fixed:30.30'", "I+F <= 53"}},
        ErrorCase{"bfloat16",
                  "rne",
                  -0.1,
                  false,
                  PRISM_CHOP_E_PROB,
                  {"flip_prob=-0.1", "[0, 1]"}},
        ErrorCase{"bfloat16",
                  "rne",
                  1.5,
                  true,
                  PRISM_CHOP_E_PROB,
                  {"flip_prob=1.5", "[0, 1]"}},
        ErrorCase{"bfloat16",
                  "rne",
                  std::nan(""),
                  false,
                  PRISM_CHOP_E_PROB,
                  {"flip_prob=nan"}}),
    [](const testing::TestParamInfo<ErrorCase> &info) {
      return "case" + std::to_string(info.index);
    });

TEST(Api, NullPointers) {
  float x = 1;
  EXPECT_EQ(prism_chop_f32(&x, &x, 1, nullptr), PRISM_CHOP_E_NULL);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("options is NULL"));
  prism_chop_options o = opts("bfloat16");
  EXPECT_EQ(prism_chop_f32(nullptr, &x, 1, &o), PRISM_CHOP_E_NULL);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("in is NULL"));
  EXPECT_EQ(prism_chop_f32(&x, nullptr, 1, &o), PRISM_CHOP_E_NULL);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("out is NULL"));
  // n = 0 is a no-op, but the options are still checked.
  EXPECT_EQ(prism_chop_f32(nullptr, nullptr, 0, &o), 0);
  prism_chop_options bad = opts("nope");
  EXPECT_EQ(prism_chop_f64(nullptr, nullptr, 0, &bad), PRISM_CHOP_E_FORMAT);
  EXPECT_EQ(prism_chop_check(&o, 16), PRISM_CHOP_E_NULL);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("storage_bits=16"));
}

TEST(Api, StrerrorCoversEveryCode) {
  for (int c = 0; c >= PRISM_CHOP_E_RANGE; --c)
    EXPECT_STRNE(prism_chop_strerror(c), "unknown error code") << c;
  EXPECT_STREQ(prism_chop_strerror(12345), "unknown error code");
}

TEST(Api, ErrorMessageIsPerThread) {
  prism_chop_options bad = opts("fp17");
  float x = 1;
  ASSERT_EQ(prism_chop_f32(&x, &x, 1, &bad), PRISM_CHOP_E_FORMAT);
  std::string other;
  std::thread([&] { other = prism_chop_last_error(); }).join();
  EXPECT_EQ(other, "");
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("fp17"));
}

// --- in place, threads, seeds ---------------------------------------------

TEST(Api, InPlaceEqualsOutOfPlace) {
  for (const char *mode : {"rne", "sr", "ro"}) {
    std::vector<float> in = normalFloats(100003, 3), out(in.size());
    prism_chop_options o = opts("binary16", mode);
    o.seed = 5;
    o.flip_prob = 0.01;
    ASSERT_EQ(prism_chop_f32(in.data(), out.data(), in.size(), &o), 0);
    ASSERT_EQ(prism_chop_f32(in.data(), in.data(), in.size(), &o), 0);
    EXPECT_EQ(std::memcmp(in.data(), out.data(), in.size() * sizeof(float)), 0)
        << mode;
  }
}

TEST(Api, ResultDoesNotDependOnThreadCount) {
  const size_t n = 5 * PRISM_CHOP_BLOCK + 123;
  std::vector<float> in = normalFloats(n, 4);
  std::vector<double> ind(in.begin(), in.end());
  struct Config {
    const char *format, *mode;
    double flip;
  };
  for (const Config &c :
       {Config{"bfloat16", "sr", 0}, Config{"binary16", "rne", 0},
        Config{"e4m3", "sr-uniform", 0.05}, Config{"fixed:6.8", "sr", 0.1}}) {
    prism_chop_options o = opts(c.format, c.mode);
    o.flip_prob = c.flip;
    o.seed = 77;
    std::vector<float> ref(n);
    std::vector<double> refd(n);
    ASSERT_EQ(prism_chop_f32(in.data(), ref.data(), n, &o), 0);
    ASSERT_EQ(prism_chop_f64(ind.data(), refd.data(), n, &o), 0);
    for (unsigned threads : {0u, 2u, 3u, 7u, 64u}) {
      o.threads = threads;
      std::vector<float> got(n);
      std::vector<double> gotd(n);
      ASSERT_EQ(prism_chop_f32(in.data(), got.data(), n, &o), 0);
      ASSERT_EQ(prism_chop_f64(ind.data(), gotd.data(), n, &o), 0);
      EXPECT_EQ(std::memcmp(ref.data(), got.data(), n * sizeof(float)), 0)
          << c.format << " " << c.mode << " threads=" << threads;
      EXPECT_EQ(std::memcmp(refd.data(), gotd.data(), n * sizeof(double)), 0)
          << c.format << " " << c.mode << " threads=" << threads;
    }
  }
}

TEST(Api, SeedsChangeStochasticResults) {
  std::vector<float> in = normalFloats(4096, 6), a(4096), b(4096), c(4096);
  prism_chop_options o = opts("bfloat16", "sr");
  o.seed = 1;
  ASSERT_EQ(prism_chop_f32(in.data(), a.data(), in.size(), &o), 0);
  ASSERT_EQ(prism_chop_f32(in.data(), b.data(), in.size(), &o), 0);
  o.seed = 2;
  ASSERT_EQ(prism_chop_f32(in.data(), c.data(), in.size(), &o), 0);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

// --- soft errors -------------------------------------------------------------

// With p = 1, every finite result differs from the unflipped rounding by one
// bit of the stored fraction: |f - r| = 2^(e - p + 1 + k), 0 <= k < p - 1
// (fixed point: 2^(k - F), k < F); e4m3 results above 448 become NaN.
template <class T> void checkOneBitFlips(const char *format) {
  const auto fmt = *prism::parseChopFormat(format);
  std::vector<T> in = gridInputs<T>(fmt, 11, 2000);
  prism_chop_options o = opts(format);
  std::vector<T> r(in.size()), f(in.size());
  ASSERT_EQ(chopArray(in.data(), r.data(), in.size(), o), 0);
  o.flip_prob = 1;
  ASSERT_EQ(chopArray(in.data(), f.data(), in.size(), o), 0);
  const int p = fmt.grid.precision, emin = fmt.grid.emin;
  for (size_t i = 0; i < in.size(); ++i) {
    if (!std::isfinite(r[i])) {
      EXPECT_EQ(bitsOf(f[i]), bitsOf(r[i]));
      continue;
    }
    if (fmt.fraction_bits == 0) {
      EXPECT_EQ(bitsOf(f[i]), bitsOf(r[i])) << format;
      continue;
    }
    if (std::isnan(f[i])) {
      EXPECT_EQ(fmt.specials, prism::SpecialValues::NanOnly) << format;
      EXPECT_GE(std::fabs(r[i]), std::ldexp(T(1), fmt.grid.emax)) << format;
      continue;
    }
    const long double diff = std::fabs(static_cast<long double>(f[i]) -
                                       static_cast<long double>(r[i]));
    int ex;
    ASSERT_EQ(std::frexp(diff, &ex), 0.5L)
        << format << " x=" << in[i] << " r=" << r[i] << " f=" << f[i]
        << ": not one bit";
    const int bit = ex - 1; // diff = 2^bit
    const int k =
        fmt.fixed
            ? bit + fmt.fraction_bits
            : bit - ((r[i] == 0 ? emin : std::max(std::ilogb(r[i]), emin)) - p +
                     1);
    EXPECT_GE(k, 0) << format << " x=" << in[i] << " r=" << r[i]
                    << " f=" << f[i];
    EXPECT_LT(k, fmt.fraction_bits)
        << format << " x=" << in[i] << " r=" << r[i] << " f=" << f[i];
    if (!fmt.fixed)
      EXPECT_EQ(std::signbit(f[i]), std::signbit(r[i]));
  }
}

TEST(SoftErrors, ProbabilityOneFlipsExactlyOneFractionBit) {
  for (const char *f : {"binary16", "bfloat16", "e4m3", "e5m2", "e2m1", "tf32",
                        "e8m0", "fixed:5.6"})
    checkOneBitFlips<float>(f);
  for (const char *f : {"binary16", "binary32", "binary64", "fixed:20.30"})
    checkOneBitFlips<double>(f);
}

TEST(SoftErrors, ProbabilityZeroNeverFlips) {
  std::vector<float> in = normalFloats(50000, 8), a(in.size()), b(in.size());
  prism_chop_options o = opts("bfloat16", "sr");
  o.seed = 3;
  ASSERT_EQ(prism_chop_f32(in.data(), a.data(), in.size(), &o), 0);
  o.flip_prob = 0;
  ASSERT_EQ(prism_chop_f32(in.data(), b.data(), in.size(), &o), 0);
  EXPECT_EQ(a, b);
}

TEST(SoftErrors, RateWithin6Sigma) {
  for (double p : {0.01, 0.3}) {
    const size_t n = 300000;
    std::vector<float> in = normalFloats(n, 9), r(n), f(n);
    prism_chop_options o = opts("bfloat16");
    ASSERT_EQ(prism_chop_f32(in.data(), r.data(), n, &o), 0);
    o.flip_prob = p;
    o.seed = 12;
    ASSERT_EQ(prism_chop_f32(in.data(), f.data(), n, &o), 0);
    size_t flipped = 0;
    for (size_t i = 0; i < n; ++i)
      flipped += bitsOf(r[i]) != bitsOf(f[i]);
    EXPECT_LE(std::fabs(flipped - n * p), 6 * std::sqrt(n * p * (1 - p)))
        << "p=" << p;
  }
}

// --- fixed point ------------------------------------------------------------

TEST(FixedPoint, MatchesReferenceAndSaturates) {
  const auto fmt = *prism::parseChopFormat("fixed:4.4");
  std::vector<float> in = gridInputs<float>(fmt, 5, 1000);
  for (const char *mode : {"rne", "rnz", "rna", "ru", "rd", "rz", "ro"}) {
    prism_chop_options o = opts("fixed:4.4", mode);
    const prism::ChopRounder ref = referenceRounder(o);
    std::vector<float> out(in.size());
    ASSERT_EQ(prism_chop_f32(in.data(), out.data(), in.size(), &o), 0);
    for (size_t i = 0; i < in.size(); ++i)
      ASSERT_EQ(bitsOf(out[i]), bitsOf(referenceRound(ref, in[i], nullptr)))
          << mode << " x=" << in[i];
  }
  prism_chop_options o = opts("fixed:4.4");
  float x[] = {100.f,  -100.f,   0.04f,
               -0.03f, 7.96875f, std::numeric_limits<float>::infinity()};
  ASSERT_EQ(prism_chop_f32(x, x, 6, &o), 0);
  EXPECT_EQ(x[0], 7.9375f);
  EXPECT_EQ(x[1], -8.0f);
  EXPECT_EQ(x[2], 0.0625f);
  EXPECT_EQ(bitsOf(x[3]), bitsOf(-0.0f)); // below half a step: -0
  EXPECT_EQ(x[4], 7.9375f);
  EXPECT_EQ(x[5], 7.9375f);
}

// --- the anchors' bugs, as regression cases ----------------------------------

TEST(Regressions, E4m3MaxIs448And480IsNotFinite) { // CPFloat
  prism_chop_options o = opts("e4m3");
  float x[] = {448.f, 464.f, 465.f, 480.f, -480.f, 1e6f};
  ASSERT_EQ(prism_chop_f32(x, x, 6, &o), 0);
  EXPECT_EQ(x[0], 448.f);
  EXPECT_EQ(x[1], 448.f); // tie: 448 has an even last bit
  EXPECT_TRUE(std::isnan(x[2]));
  EXPECT_TRUE(std::isnan(x[3]));
  EXPECT_TRUE(std::isnan(x[4]));
  EXPECT_TRUE(std::isnan(x[5]));
  o.saturate = 1;
  float y[] = {480.f, -1e6f};
  ASSERT_EQ(prism_chop_f32(y, y, 2, &o), 0);
  EXPECT_EQ(y[0], 448.f);
  EXPECT_EQ(y[1], -448.f);
}

TEST(Regressions, LargeValuesOverflowNotZero) { // pychop: >= 2^(emax+1) -> 0
  prism_chop_options o = opts("binary16");
  double x[] = {65536.0, 1e10, -0x1p17};
  ASSERT_EQ(prism_chop_f64(x, x, 3, &o), 0);
  EXPECT_EQ(x[0], std::numeric_limits<double>::infinity());
  EXPECT_EQ(x[1], std::numeric_limits<double>::infinity());
  EXPECT_EQ(x[2], -std::numeric_limits<double>::infinity());
  o.rounding = "rz";
  double y[] = {1e10, -1e10};
  ASSERT_EQ(prism_chop_f64(y, y, 2, &o), 0);
  EXPECT_EQ(y[0], 65504.0);
  EXPECT_EQ(y[1], -65504.0);
}

TEST(Regressions, TiesOfNegativesNotSwapped) { // pychop: rnz / rna swapped
  const float tie = 1 + 0x1p-11f; // halfway between 1 and 1 + 2^-10
  float a[] = {tie, -tie};
  prism_chop_options o = opts("binary16", "rnz");
  ASSERT_EQ(prism_chop_f32(a, a, 2, &o), 0);
  EXPECT_EQ(a[0], 1.0f);
  EXPECT_EQ(a[1], -1.0f);
  float b[] = {tie, -tie};
  o.rounding = "rna";
  ASSERT_EQ(prism_chop_f32(b, b, 2, &o), 0);
  EXPECT_EQ(b[0], 1 + 0x1p-10f);
  EXPECT_EQ(b[1], -(1 + 0x1p-10f));
}

TEST(Regressions, RoundToOddKeepsExactValues) { // pychop: ro moves exact values
  float x[] = {1.0f, 1.5f, -2.0f, 1 + 0x1p-10f, 0.0f, 1 + 0x1p-12f};
  prism_chop_options o = opts("binary16", "ro");
  ASSERT_EQ(prism_chop_f32(x, x, 6, &o), 0);
  EXPECT_EQ(x[0], 1.0f);
  EXPECT_EQ(x[1], 1.5f);
  EXPECT_EQ(x[2], -2.0f);
  EXPECT_EQ(x[3], 1 + 0x1p-10f);
  EXPECT_EQ(x[4], 0.0f);
  EXPECT_EQ(x[5], 1 + 0x1p-10f); // inexact: the odd neighbour
}

TEST(Regressions, NoFlipsAtProbabilityZero) { // pychop: flips when p = 0
  std::vector<float> in = normalFloats(20000, 10), a(in.size());
  prism_chop_options o = opts("binary16");
  ASSERT_EQ(prism_chop_f32(in.data(), a.data(), in.size(), &o), 0);
  const prism::ChopRounder ref = referenceRounder(o);
  for (size_t i = 0; i < in.size(); ++i)
    ASSERT_EQ(a[i], referenceRound(ref, in[i], nullptr));
}

TEST(Regressions, NoDoubleRoundingNearUnderflow) { // MATLAB chop
  // Just above the midpoint between 0 and the smallest binary16 subnormal,
  // from double: one rounding gives the subnormal, not 0.
  double x[] = {0x1p-25 + 0x1p-60, -(0x1p-25 + 0x1p-60), 0x1p-25};
  prism_chop_options o = opts("binary16");
  ASSERT_EQ(prism_chop_f64(x, x, 3, &o), 0);
  EXPECT_EQ(x[0], 0x1p-24);
  EXPECT_EQ(x[1], -0x1p-24);
  EXPECT_EQ(x[2], 0.0);
}

TEST(Regressions, MxFormatsSaturate) {
  float x[] = {100.f, -100.f, std::numeric_limits<float>::infinity()};
  prism_chop_options o = opts("e2m1", "ru");
  ASSERT_EQ(prism_chop_f32(x, x, 3, &o), 0);
  EXPECT_EQ(x[0], 6.f);
  EXPECT_EQ(x[1], -6.f);
  EXPECT_EQ(x[2], 6.f);
}

// --- the C++ layer and the C header ----------------------------------------

TEST(CppLayer, SpansVectorsAndExceptions) {
  std::vector<float> v = {1.0009765625f, 3.14159f, -2.5e-8f};
  std::vector<float> out(v.size());
  prism::chop(std::span<const float>(v), std::span<float>(out),
              prism::chop_options("bfloat16"));
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 3.140625f);
  std::vector<double> d = {0.1, 0.2};
  auto r = prism::chopped(d, prism::chop_options("binary16", "rz"));
  EXPECT_EQ(r[0], 0.0999755859375);
  prism::chop(std::span<double>(d), prism::chop_options("binary16", "rz"));
  EXPECT_EQ(d, r);
  try {
    prism::chop(std::span<float>(v), prism::chop_options("binary64"));
    FAIL() << "no exception";
  } catch (const prism::ChopError &e) {
    EXPECT_EQ(e.code(), PRISM_CHOP_E_WIDE);
    EXPECT_THAT(e.what(), HasSubstr("binary64"));
  }
  EXPECT_THROW(prism::chop(std::span<const float>(v),
                           std::span<float>(out.data(), 2),
                           prism::chop_options("bfloat16")),
               prism::ChopError);
}

TEST(CHeader, CompilesAndRunsAsC99) { EXPECT_EQ(prism_chop_c_smoke(), 0); }

} // namespace
} // namespace chop_bulk_test
