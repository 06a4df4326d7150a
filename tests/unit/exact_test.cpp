// exact_test.cpp - the error-free transforms of exact.h against MPFR: the
// documented contract of ExactValue{hi, lo, scale, sticky}:
//   x = (hi + lo + sticky*eps) * 2^-scale, hi = RN(x * 2^scale);
//   lo exact for add/sub/mul/fma/trunc (fma, trunc: with the sign of what is
//   below lo's resolution in sticky); for div/sqrt lo has the sign of the
//   exact error, is accurate to a few ulps, and sticky is the sign of the
//   rest; specials come back with lo = 0.
#include "gen.h"
#include "mpfr_oracle.h"

#include <gtest/gtest.h>

namespace prism_test {
namespace {

template <class T> T roundToT(mpfr_srcptr x) {
  if constexpr (std::is_same_v<T, float>)
    return mpfr_get_flt(x, MPFR_RNDN);
  else
    return mpfr_get_d(x, MPFR_RNDN);
}

// ulp of a nonzero finite T, as a power of two exponent.
template <class T> int ulpExp(T v) {
  return std::max(std::ilogb(v), Storage<T>::emin) - Storage<T>::digits + 1;
}

template <class T>
std::string checkContract(Op op, const Inputs &in) {
  const ExactValue<T> ev = coreExact<T>(op, in);
  Mpfr x(64);
  const int tern = mpfrExact<T>(x, op, in, MPFR_RNDN);
  const std::string where = str<T>(op, in) + " -> {" + str(ev.hi) + ", " + str(ev.lo) +
                            ", " + std::to_string(ev.scale) + ", " +
                            std::to_string(ev.sticky) + "}: ";
  if (!mpfr_regular_p(x)) { // NaN, inf or an exact zero: the native result
    T want = toStorage<T>(x, mpfr_signbit(x) ? -1 : 1, nullptr);
    if (mpfr_zero_p(x) && ev.hi == 0 && ev.lo == 0 && ev.sticky == 0)
      return ""; // sign of exact zeros: see RoundEdges.SignedZeros
    if (!sameBits(ev.hi, want) || ev.lo != 0 || ev.sticky != 0)
      return where + "special result " + str(x) + " expected {" + str(want) + ", 0, _, 0}";
    return "";
  }
  if (!std::isfinite(ev.hi) || ev.hi == 0)
    return where + "hi must be finite and nonzero for exact " + str(x);
  // xs = x * 2^scale, exactly.
  Mpfr xs(mpfr_get_prec(x));
  mpfr_mul_2si(xs, x, ev.scale, MPFR_RNDN);
  if (T rn = roundToT<T>(xs); !sameBits(rn, ev.hi))
    return where + "hi != RN(x*2^scale) = " + str(rn);
  // r = xs - hi - lo, exactly (prec wide enough for the scaled exact value).
  Mpfr r(mpfr_get_prec(x) + 200);
  mpfr_sub_d(r, xs, static_cast<double>(ev.hi), MPFR_RNDN);
  Mpfr err(mpfr_get_prec(r));
  mpfr_set(err, r, MPFR_RNDN); // the exact error of hi
  mpfr_sub_d(r, r, static_cast<double>(ev.lo), MPFR_RNDN);
  const int rs = mpfr_sgn(r);
  switch (op) {
  case Op::Add:
  case Op::Sub:
  case Op::Mul:
    if (rs != 0 || ev.sticky != 0)
      return where + "hi + lo is not exact (remainder " + str(r) + ")";
    return "";
  case Op::Fma:
  case Op::Trunc:
  case Op::Div:
  case Op::Sqrt: {
    if (tern != 0 && rs == 0)
      return where + "oracle: reference too coarse";
    if (rs != ev.sticky)
      return where + "sticky must be the sign of x*2^scale - hi - lo = " + str(r);
    if (op == Op::Fma && fmaAddendNegligible<T>(in)) {
      // c lies below the last bit of a*b (more than 2p+4 binades down): the
      // remainder is exactly c, and only its sign is carried.
      Mpfr cs(64);
      mpfr_set_d(cs, in.c, MPFR_RNDN);
      mpfr_mul_2si(cs, cs, ev.scale, MPFR_RNDN);
      if (!mpfr_equal_p(cs, r))
        return where + "negligible addend: remainder " + str(r) + " should be c*2^scale";
      return "";
    }
    if (ev.lo == 0) {
      if (mpfr_sgn(err) != 0 && (op == Op::Div || op == Op::Sqrt))
        return where + "lo = 0 but the error of hi is " + str(err);
      return "";
    }
    // Below lo's resolution: |r| <= ulp(lo)/2 exactly for fma and trunc,
    // within a few ulps of lo (and of the same sign) for div and sqrt.
    const int slack = (op == Op::Div || op == Op::Sqrt) ? 2 : -1;
    if (rs != 0 && mpfr_get_exp(r) - 1 > ulpExp(ev.lo) + slack)
      return where + "remainder " + str(r) + " above lo's resolution";
    if (mpfr_sgn(err) != prism::signOf(ev.lo))
      return where + "lo's sign differs from the exact error " + str(err);
    return "";
  }
  }
  return "";
}

class ExactVsMpfr : public ::testing::TestWithParam<std::pair<Op, bool>> {};

template <class T> void exactSweep(Op op, uint64_t seed) {
  Gen gen(seed);
  const std::vector<FormatSpec> fs = sweepFormats<T>();
  long failures = 0, checked = 0;
  std::string report;
  for (int i = 0; i < 40000; i++) {
    Inputs in;
    if (op != Op::Trunc && gen.coin(4))
      in = {gen.anyFinite<T>(), gen.anyFinite<T>(), gen.anyFinite<T>()};
    else
      in = gen.operands<T>(op, gen.targetExponent<T>(fs[i % fs.size()]));
    if (op == Op::Sqrt && gen.coin(20))
      in.a = -in.a; // negative: NaN
    else if (op == Op::Sqrt)
      in.a = std::fabs(in.a);
    std::string s = checkContract<T>(op, in);
    checked++;
    if (!s.empty() && failures++ < 12)
      report += "  " + s + "\n";
  }
  EXPECT_EQ(failures, 0) << failures << " contract violations:\n" << report;
  EXPECT_GT(checked, 0);
}

TEST_P(ExactVsMpfr, Contract) {
  auto [op, isFloat] = GetParam();
  const uint64_t seed = 777 + 13 * static_cast<int>(op) + isFloat;
  if (isFloat)
    exactSweep<float>(op, seed);
  else
    exactSweep<double>(op, seed);
}

INSTANTIATE_TEST_SUITE_P(
    Ops, ExactVsMpfr,
    ::testing::Values(std::pair{Op::Add, true}, std::pair{Op::Add, false},
                      std::pair{Op::Sub, true}, std::pair{Op::Sub, false},
                      std::pair{Op::Mul, true}, std::pair{Op::Mul, false},
                      std::pair{Op::Div, true}, std::pair{Op::Div, false},
                      std::pair{Op::Fma, true}, std::pair{Op::Fma, false},
                      std::pair{Op::Sqrt, true}, std::pair{Op::Sqrt, false},
                      std::pair{Op::Trunc, true}),
    [](const ::testing::TestParamInfo<std::pair<Op, bool>> &i) {
      return std::string(opName(i.param.first)) + (i.param.second ? "_float" : "_double");
    });

TEST(ExactEdges, OverflowingSumIsHalved) {
  // DBL_MAX + DBL_MAX overflows natively: the sum is carried at scale -1.
  const double M = std::numeric_limits<double>::max();
  ExactValue<double> ev = prism::exactAdd(M, M);
  EXPECT_EQ(ev.hi, M);
  EXPECT_EQ(ev.lo, 0);
  EXPECT_EQ(ev.scale, -1);
  EXPECT_EQ(checkContract<double>(Op::Add, {M, M, 0}), "");
  EXPECT_EQ(checkContract<double>(Op::Add, {M, 0x1p970, 0}), "");
  EXPECT_EQ(checkContract<double>(Op::Sub, {-M, 0x1.8p971, 0}), "");
  EXPECT_EQ(checkContract<float>(Op::Add, {3e38f, 3e38f, 0}), "");
}

TEST(ExactEdges, ExtremeProductsQuotientsAndFma) {
  const double t = 0x1p-1074, M = std::numeric_limits<double>::max();
  for (const Inputs &in : {Inputs{t, 0x1p-60, 0}, Inputs{t, t, 0}, Inputs{M, M, 0},
                           Inputs{-0x1.fffffffffffffp-1022, 0x1.0000000000001p-60, 0}})
    EXPECT_EQ(checkContract<double>(Op::Mul, in), "");
  for (const Inputs &in : {Inputs{t, M, 0}, Inputs{M, t, 0}, Inputs{1, 3, 0},
                           Inputs{-t * 7, 0x1.5555555555555p1000, 0}})
    EXPECT_EQ(checkContract<double>(Op::Div, in), "");
  for (const Inputs &in :
       {Inputs{t, t, 1}, Inputs{t, 0x1p-60, -t}, Inputs{0x1p1000, 0x1p20, -t},
        Inputs{1 + 0x1p-52, 1 - 0x1p-53, -1}, Inputs{M, 2, -M}, Inputs{0x1p-600, 0x1p-600, t},
        Inputs{3, 1.0 / 3, -1}})
    EXPECT_EQ(checkContract<double>(Op::Fma, in), "");
  for (double v : {t, 3 * t, 0x1p-1022, 2.0, M})
    EXPECT_EQ(checkContract<double>(Op::Sqrt, {v, 0, 0}), "");
  for (double v : {0x1p-200, 0x1.000001p-149, 0x1.0000010000001p0, 0x1.ffffffp127, 1e300})
    EXPECT_EQ(checkContract<float>(Op::Trunc, {v, 0, 0}), "");
}

// exactDiv took sticky = sign(fma(-lo, b, r)), which is sign(b) * sign(q - hi -
// lo): inverted for a negative divisor. Expected: the sign of the MPFR remainder.
TEST(Regression, DivStickySign) {
  EXPECT_EQ(checkContract<double>(Op::Div, {1, -3, 0}), "");
  EXPECT_EQ(checkContract<float>(Op::Div, {1, -3, 0}), "");
}

} // namespace
} // namespace prism_test
