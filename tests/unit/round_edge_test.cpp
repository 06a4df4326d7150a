// round_edge_test.cpp - targeted inputs for the rounding core: exact
// midpoints and their neighbours on every grid, powers of two, special values
// and signed zeros, overflow, deep underflow of products and quotients, fma
// with a negligible term; hand-computed values that check the MPFR oracle
// itself; and regression tests for fixed core bugs.
#include "gen.h"
#include "mpfr_oracle.h"

#include <gtest/gtest.h>

#include <cfloat>

namespace prism_test {
namespace {

using prism::roundExact;
using prism::virtualFormat;
using RM = RoundingMode;

uint64_t g_rng[4] = {11, 22, 33, 44};

template <class T> void expectNoFailures(const CheckStats &st) {
  EXPECT_EQ(st.failures, 0) << st.failures << " mismatches, first ones:\n"
                            << st.firstFailures;
  EXPECT_GT(st.checked, 0);
}

template <class T> void checkAllFormats(Op op, const Inputs &in, CheckStats &st) {
  for (const FormatSpec &f : sweepFormats<T>())
    checkDeterministic<T>(op, in, f, st);
}

// ----------------------------------------------------------- oracle sanity
// Hand-computed expectations, so that the oracle cannot be wrong in the same
// way as the core.

TEST(OracleSanity, MidpointAtPrecision3) {
  // 1 + 2^-3 is the midpoint of 1 and 1.25 on the 3-bit grid.
  const FormatSpec f = virtualFormat<double>(3);
  const ExactValue<double> x = prism::exactAdd(1.0, 0.125);
  EXPECT_EQ(roundExact(x, f, RM::RNE, g_rng), 1.0);  // 1 = 4*2^-2, even
  EXPECT_EQ(roundExact(x, f, RM::RNZ, g_rng), 1.0);
  EXPECT_EQ(roundExact(x, f, RM::RNA, g_rng), 1.25);
  EXPECT_EQ(roundExact(x, f, RM::RU, g_rng), 1.25);
  EXPECT_EQ(roundExact(x, f, RM::RD, g_rng), 1.0);
  EXPECT_EQ(roundExact(x, f, RM::RZ, g_rng), 1.0);
  EXPECT_EQ(roundExact(x, f, RM::RO, g_rng), 1.25); // 5*2^-2, odd
  const ExactValue<double> y = prism::exactAdd(-1.0, -0.375); // -1.375
  EXPECT_EQ(roundExact(y, f, RM::RNE, g_rng), -1.5);   // 6*2^-2, even
  EXPECT_EQ(roundExact(y, f, RM::RNZ, g_rng), -1.25);
  EXPECT_EQ(roundExact(y, f, RM::RNA, g_rng), -1.5);
  EXPECT_EQ(roundExact(y, f, RM::RU, g_rng), -1.25);
  EXPECT_EQ(roundExact(y, f, RM::RD, g_rng), -1.5);
  EXPECT_EQ(roundExact(y, f, RM::RZ, g_rng), -1.25);
  EXPECT_EQ(roundExact(y, f, RM::RO, g_rng), -1.25); // 5*2^-2, odd

  // The oracle agrees on both.
  for (const auto &[a, b] : {std::pair{1.0, 0.125}, std::pair{-1.0, -0.375}}) {
    CheckStats st;
    checkDeterministic<double>(Op::Add, {a, b, 0}, f, st);
    expectNoFailures<double>(st);
  }
}

TEST(OracleSanity, Binary16SubnormalsOnAndOff) {
  FormatSpec h{11, -14, 15, true};
  // 2^-25 is the midpoint of 0 and the smallest subnormal 2^-24.
  const ExactValue<float> tie = prism::exactMul(0x1p-13f, 0x1p-12f);
  EXPECT_EQ(roundExact(tie, h, RM::RNE, g_rng), 0.0f);
  EXPECT_FALSE(std::signbit(roundExact(tie, h, RM::RNE, g_rng)));
  EXPECT_EQ(roundExact(tie, h, RM::RNA, g_rng), 0x1p-24f);
  EXPECT_EQ(roundExact(tie, h, RM::RU, g_rng), 0x1p-24f);
  EXPECT_EQ(roundExact(tie, h, RM::RO, g_rng), 0x1p-24f);
  // -3*2^-26 = -0.75 * 2^-24 rounds to -2^-24 or -0.
  const ExactValue<float> neg = prism::exactMul(-0x1.8p-13f, 0x1p-12f);
  EXPECT_EQ(roundExact(neg, h, RM::RNE, g_rng), -0x1p-24f);
  EXPECT_EQ(roundExact(neg, h, RM::RD, g_rng), -0x1p-24f);
  const float ru = roundExact(neg, h, RM::RU, g_rng);
  EXPECT_EQ(ru, 0.0f);
  EXPECT_TRUE(std::signbit(ru)); // a nonzero result keeps its sign
  // Subnormals off: the grid below 2^-14 is {0, 2^-14}.
  h.subnormals = false;
  const ExactValue<float> x = prism::exactMul(0x1.8p-8f, 0x1p-7f); // 0.75*2^-14
  EXPECT_EQ(roundExact(x, h, RM::RNE, g_rng), 0x1p-14f);
  EXPECT_EQ(roundExact(x, h, RM::RZ, g_rng), 0.0f);
  EXPECT_EQ(roundExact(x, h, RM::RU, g_rng), 0x1p-14f);
  const ExactValue<float> small = prism::exactMul(0x1.8p-9f, 0x1p-8f); // 0.375*2^-14
  EXPECT_EQ(roundExact(small, h, RM::RNE, g_rng), 0.0f);
  EXPECT_EQ(roundExact(small, h, RM::RU, g_rng), 0x1p-14f);
  // And the oracle agrees on all of them.
  CheckStats st;
  for (bool sub : {true, false})
    for (const Inputs &in :
         {Inputs{0x1p-13, 0x1p-12, 0}, Inputs{-0x1.8p-13, 0x1p-12, 0},
          Inputs{0x1.8p-8, 0x1p-7, 0}, Inputs{0x1.8p-9, 0x1p-8, 0}})
      checkDeterministic<float>(Op::Mul, in, FormatSpec{11, -14, 15, sub}, st);
  expectNoFailures<float>(st);
}

TEST(OracleSanity, PrecisionOneTiesGoAwayLikeMpfr) {
  // With p = 1 the grid is {2^k}; both neighbours of a tie have significand
  // 1. MPFR's RNDN (the reference) rounds such ties away from zero.
  const FormatSpec f = virtualFormat<double>(1);
  EXPECT_EQ(roundExact(prism::exactAdd(1.0, 0.5), f, RM::RNE, g_rng), 2.0);
  EXPECT_EQ(roundExact(prism::exactAdd(-2.0, -1.0), f, RM::RNE, g_rng), -4.0);
  EXPECT_EQ(roundExact(prism::exactAdd(1.0, 0.25), f, RM::RNE, g_rng), 1.0);
}

// ------------------------------------------------------ midpoints on grids

template <class T> void midpointsOnEveryGrid(uint64_t seed) {
  Gen gen(seed);
  CheckStats st;
  for (const FormatSpec &f : sweepFormats<T>()) {
    for (int i = 0; i < 300; i++) {
      // A grid point g of some binade (or of the subnormal range), plus half a
      // spacing, plus or minus a little: exact midpoints and their neighbours.
      int e = gen.coin(3) ? gen.uniform(f.emin - f.precision, f.emin - 1)
                          : gen.uniform(f.emin, std::min(f.emax, Storage<T>::emax - 1));
      int q = e >= f.emin ? e - f.precision + 1
                          : (f.subnormals ? f.emin - f.precision + 1 : f.emin);
      if (q - 1 < Storage<T>::minSubExp)
        continue; // the half spacing itself is not a T
      double k = std::ldexp(1.0, f.precision - 1); // 2^e itself, or
      if (gen.coin())                               // any point of the binade
        k += std::floor(gen.unit() * std::ldexp(1.0, f.precision - 1));
      if (e < f.emin)
        k = std::floor(gen.unit() * std::ldexp(1.0, std::max(0, e - q + 1)));
      T g = static_cast<T>(std::ldexp(k, q));
      T half = static_cast<T>(std::ldexp(1.0, q - 1));
      T a = g, b = half;
      switch (gen.uniform(0, 3)) {
      case 0: break;                                      // exact midpoint
      case 1: b = std::nextafter(half, T(0)); break;      // just below
      case 2: b = std::nextafter(half, T(1)); break;      // just above
      default: b = T(0); break;                           // exact grid value
      }
      if (gen.coin()) {
        a = -a;
        b = -b;
      }
      checkDeterministic<T>(Op::Add, {a, b, 0}, f, st);
      if constexpr (std::is_same_v<T, float>) {
        // double -> float: the midpoint and its double neighbours (the part
        // below the float lo is carried by sticky alone).
        double m = static_cast<double>(g) + std::ldexp(1.0, q - 1);
        if (gen.coin())
          m = -m;
        for (double v : {m, std::nextafter(m, 0.0), std::nextafter(m, 2 * m)})
          checkDeterministic<float>(Op::Trunc, {v, 0, 0}, f, st);
      }
      // The same midpoint as a product with an exact factor, and as an fma
      // whose addend is below every bit of the product (sticky only).
      if (std::isfinite(a + b) && a + b != 0) {
        T s = a + b; // exact when the midpoint is a T (p < digits)
        T bb = s - a, err = (a - (s - bb)) + (b - bb); // TwoSum error
        if (err == 0) {
          checkDeterministic<T>(Op::Mul, {s, 1, 0}, f, st);
          checkDeterministic<T>(Op::Div, {s, gen.coin() ? 1.0 : -1.0, 0}, f, st);
          T tiny = std::ldexp(T(1), std::max(Storage<T>::minSubExp,
                                             std::ilogb(s) - 2 * Storage<T>::digits - 10));
          checkDeterministic<T>(Op::Fma, {s, 1, gen.coin() ? tiny : -tiny}, f, st);
          checkDeterministic<T>(Op::Fma, {s, 1, 0}, f, st);
        }
      }
    }
  }
  expectNoFailures<T>(st);
}

TEST(RoundEdges, MidpointsOnEveryGridFloat) { midpointsOnEveryGrid<float>(101); }
TEST(RoundEdges, MidpointsOnEveryGridDouble) { midpointsOnEveryGrid<double>(102); }

// ------------------------------------------------------ powers of two

template <class T> void aroundPowersOfTwo() {
  CheckStats st;
  constexpr int d = Storage<T>::digits;
  for (int e : {Storage<T>::emin, Storage<T>::emin + 1, -20, -1, 0, 1, 7, 20,
                Storage<T>::emax - 1, Storage<T>::emax}) {
    T p2 = std::ldexp(T(1), e);
    for (int k = 1; k <= d + 3; k += (k < 4 || k > d - 4) ? 1 : 5) {
      T eps = std::ldexp(T(1), e - k);
      if (eps == 0)
        continue;
      for (T s : {T(1), T(-1)}) {
        checkAllFormats<T>(Op::Add, {s * p2, s * eps, 0}, st);
        checkAllFormats<T>(Op::Add, {s * p2, -s * eps, 0}, st);
        checkAllFormats<T>(Op::Sub, {s * p2, s * eps * T(0.75), 0}, st);
        checkAllFormats<T>(Op::Fma, {s * p2, T(1), -s * eps}, st);
      }
    }
  }
  expectNoFailures<T>(st);
}

TEST(RoundEdges, AroundPowersOfTwoFloat) { aroundPowersOfTwo<float>(); }
TEST(RoundEdges, AroundPowersOfTwoDouble) { aroundPowersOfTwo<double>(); }

// ------------------------------------------------------ special values

template <class T> void specialValues() {
  const T inf = std::numeric_limits<T>::infinity();
  const T vals[] = {std::numeric_limits<T>::quiet_NaN(), inf, -inf, T(0), -T(0),
                    T(1), T(-1), T(3), std::numeric_limits<T>::max(),
                    -std::numeric_limits<T>::max(), std::numeric_limits<T>::denorm_min(),
                    -std::numeric_limits<T>::min()};
  CheckStats st;
  const FormatSpec fs[] = {virtualFormat<T>(Storage<T>::digits), virtualFormat<T>(3),
                           FormatSpec{11, -14, 15, false}};
  for (const FormatSpec &f : fs)
    for (T a : vals) {
      checkDeterministic<T>(Op::Sqrt, {a, 0, 0}, f, st);
      for (T b : vals) {
        for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div})
          checkDeterministic<T>(op, {a, b, 0}, f, st);
        for (T c : vals)
          checkDeterministic<T>(Op::Fma, {a, b, c}, f, st);
      }
    }
  if constexpr (std::is_same_v<T, float>)
    for (double a : {std::numeric_limits<double>::quiet_NaN(),
                     std::numeric_limits<double>::infinity(), 0.0, -0.0, 1e300, -1e300,
                     1e-300, -1e-300, std::numeric_limits<double>::denorm_min()})
      for (const FormatSpec &f : fs)
        checkDeterministic<float>(Op::Trunc, {a, 0, 0}, f, st);
  expectNoFailures<T>(st);
}

TEST(RoundEdges, SpecialValuesFloat) { specialValues<float>(); }
TEST(RoundEdges, SpecialValuesDouble) { specialValues<double>(); }

TEST(RoundEdges, SignedZeros) {
  // IEEE signs of exact zeros: an exact zero sum of opposite terms is +0,
  // except under RD where it is -0 (see also Regression.ExactZeroUnderRdIsMinusZero).
  const FormatSpec f = virtualFormat<double>(53), h{11, -14, 15, true};
  for (RM m : {RM::RNE, RM::RU, RM::RD, RM::RZ, RM::RNA, RM::RNZ, RM::RO, RM::SR,
               RM::SRUniform})
    for (const FormatSpec &fmt : {f, h}) {
      const bool minusZeroSum = m == RM::RD;
      double r = roundExact(prism::exactSub(1.5, 1.5), fmt, m, g_rng);
      EXPECT_TRUE(r == 0 && std::signbit(r) == minusZeroSum)
          << modeName(m) << " x - x = " << r;
      r = roundExact(prism::exactAdd(-0.0, -0.0), fmt, m, g_rng);
      EXPECT_TRUE(r == 0 && std::signbit(r)) << modeName(m) << " (-0)+(-0) = " << r;
      r = roundExact(prism::exactMul(-0.0, 2.0), fmt, m, g_rng);
      EXPECT_TRUE(r == 0 && std::signbit(r)) << modeName(m);
      r = roundExact(prism::exactFma(2.0, 3.0, -6.0), fmt, m, g_rng);
      EXPECT_TRUE(r == 0 && std::signbit(r) == minusZeroSum) << modeName(m);
      r = roundExact(prism::exactSqrt(-0.0), fmt, m, g_rng);
      EXPECT_TRUE(r == 0 && std::signbit(r)) << modeName(m);
      // Underflow to zero keeps the sign of the exact result.
      r = roundExact(prism::exactMul(-0x1p-600, 0x1p-600), fmt, RM::RZ, g_rng);
      EXPECT_TRUE(r == 0 && std::signbit(r)) << modeName(m);
    }
}

// ------------------------------------------------------ overflow

TEST(RoundEdges, OverflowGoesToInfinityInStorage) {
  // The core's grid is unbounded above (overflow rules belong to the backend,
  // format_spec.h): a rounded value beyond the storage range is +-inf.
  const double M = DBL_MAX;
  const FormatSpec f = virtualFormat<double>(53);
  for (RM m : {RM::RNE, RM::RU, RM::RNA, RM::RO, RM::SR, RM::SRUniform}) {
    EXPECT_EQ(roundExact(prism::exactAdd(M, M), f, m, g_rng), INFINITY) << modeName(m);
    EXPECT_EQ(roundExact(prism::exactMul(-0x1p600, 0x1p600), f, m, g_rng), -INFINITY)
        << modeName(m);
    EXPECT_EQ(roundExact(prism::exactDiv(M, 0x1p-10), f, m, g_rng), INFINITY);
    EXPECT_EQ(roundExact(prism::exactFma(M, 2.0, -M), f, m, g_rng), M) << modeName(m);
  }
  // Just above DBL_MAX: RU gives inf, RZ/RD give DBL_MAX; half an ulp above
  // is a tie that RNE sends to 2^1024, i.e. inf, like IEEE.
  const ExactValue<double> quarter = prism::exactAdd(M, 0x1p969);
  EXPECT_EQ(roundExact(quarter, f, RM::RU, g_rng), INFINITY);
  EXPECT_EQ(roundExact(quarter, f, RM::RZ, g_rng), M);
  EXPECT_EQ(roundExact(quarter, f, RM::RD, g_rng), M);
  EXPECT_EQ(roundExact(quarter, f, RM::RNE, g_rng), M);
  const ExactValue<double> half = prism::exactAdd(M, 0x1p970);
  EXPECT_EQ(roundExact(half, f, RM::RNE, g_rng), INFINITY);
  EXPECT_EQ(roundExact(half, f, RM::RNZ, g_rng), M);
  EXPECT_EQ(roundExact(half, f, RM::RO, g_rng), M); // DBL_MAX is odd
  // Float storage, bfloat16 grid: 2^127 * (2 - 2^-8) rounds up to 2^128.
  const FormatSpec bf{8, -126, 127, true};
  EXPECT_EQ(roundExact(prism::exactMul(0x1.ffp126f, 2.0f), bf, RM::RU, g_rng), INFINITY);
  EXPECT_EQ(roundExact(prism::exactMul(0x1.ffp126f, 2.0f), bf, RM::RD, g_rng),
            0x1.fep127f);
  // And through the oracle, every format and mode.
  CheckStats st;
  for (const Inputs &in : {Inputs{M, M, 0}, Inputs{M, 0x1p969, 0}, Inputs{-M, -0x1p970, 0},
                           Inputs{M, 0x1.8p970, 0}, Inputs{0x1p1023, 0x1p1022, 0}})
    checkAllFormats<double>(Op::Add, in, st);
  for (const Inputs &in : {Inputs{0x1p1000, 0x1p100, 0}, Inputs{-0x1.fffffffffffffp1023, 1.5, 0}})
    checkAllFormats<double>(Op::Mul, in, st);
  checkAllFormats<double>(Op::Div, {M, 0.5, 0}, st);
  checkAllFormats<double>(Op::Fma, {M, 1.5, -M}, st);
  checkAllFormats<double>(Op::Fma, {0x1p1000, 0x1p100, -0x1p-1000}, st);
  checkAllFormats<float>(Op::Trunc, {0x1.fffffffp127, 0, 0}, st);
  checkAllFormats<float>(Op::Trunc, {-1e300, 0, 0}, st);
  checkAllFormats<float>(Op::Add, {FLT_MAX, FLT_MAX, 0}, st);
  checkAllFormats<float>(Op::Mul, {FLT_MAX, -1.0000001f, 0}, st);
  expectNoFailures<double>(st);
}

// ------------------------------------------------------ deep underflow

template <class T> void deepUnderflow() {
  // The core scales operands; products and quotients far below the storage
  // range, fma with a tiny product against a big addend and vice versa.
  constexpr int lo = Storage<T>::minSubExp, hi = Storage<T>::emax;
  const T tiny = std::numeric_limits<T>::denorm_min();
  const T minN = std::numeric_limits<T>::min();
  CheckStats st;
  for (T s : {T(1), T(-1)}) {
    for (int k : {1, 2, 10, 30, 60, Storage<T>::digits, -lo / 2, -lo}) {
      T f1 = std::ldexp(T(1), -k), f3 = std::ldexp(T(1.5), -k);
      checkAllFormats<T>(Op::Mul, {s * tiny, f1, 0}, st);
      checkAllFormats<T>(Op::Mul, {s * tiny * 3, f3, 0}, st);
      checkAllFormats<T>(Op::Mul, {s * minN * T(1.75), f3, 0}, st);
      checkAllFormats<T>(Op::Div, {s * tiny, std::ldexp(T(1), k), 0}, st);
      checkAllFormats<T>(Op::Div, {s * minN * T(1.25), std::ldexp(T(3), k), 0}, st);
      checkAllFormats<T>(Op::Fma, {s * tiny, f1, T(1)}, st);        // tiny product
      checkAllFormats<T>(Op::Fma, {s * tiny, f3, -minN}, st);
      checkAllFormats<T>(Op::Fma, {s * T(1.5), T(3), tiny}, st);
      checkAllFormats<T>(Op::Fma, {s * minN, f3, tiny}, st);         // same size
      checkAllFormats<T>(Op::Fma, {std::ldexp(T(1), hi / 2), std::ldexp(T(1.5), hi / 2),
                                   s * tiny}, st);                   // big product
    }
    checkAllFormats<T>(Op::Div, {s * tiny, std::numeric_limits<T>::max(), 0}, st);
    checkAllFormats<T>(Op::Div, {s * minN, std::numeric_limits<T>::max(), 0}, st);
    checkAllFormats<T>(Op::Sqrt, {tiny, 0, 0}, st);
    checkAllFormats<T>(Op::Sqrt, {tiny * 3, 0, 0}, st);
    checkAllFormats<T>(Op::Add, {s * tiny, s * tiny, 0}, st);
    checkAllFormats<T>(Op::Sub, {s * minN, s * tiny, 0}, st);
  }
  expectNoFailures<T>(st);
}

TEST(RoundEdges, DeepUnderflowFloat) { deepUnderflow<float>(); }
TEST(RoundEdges, DeepUnderflowDouble) { deepUnderflow<double>(); }

TEST(RoundEdges, BriefExamples) {
  // 2^-1074 * 2^-60 on several grids, one by one.
  const double x = 0x1p-1074, y = 0x1p-60;
  const FormatSpec f53 = virtualFormat<double>(53);
  EXPECT_EQ(roundExact(prism::exactMul(x, y), f53, RM::RU, g_rng), 0x1p-1074);
  EXPECT_EQ(roundExact(prism::exactMul(x, y), f53, RM::RNE, g_rng), 0.0);
  EXPECT_EQ(roundExact(prism::exactMul(-x, y), f53, RM::RD, g_rng), -0x1p-1074);
  EXPECT_EQ(roundExact(prism::exactMul(x, y), f53, RM::RO, g_rng), 0x1p-1074);
  const FormatSpec f53off{53, -1022, 1023, false};
  EXPECT_EQ(roundExact(prism::exactMul(x, y), f53off, RM::RU, g_rng), 0x1p-1022);
  // fma with a tiny product against a big addend and vice versa.
  EXPECT_EQ(roundExact(prism::exactFma(x, y, 1.0), f53, RM::RU, g_rng),
            1.0 + 0x1p-52);
  EXPECT_EQ(roundExact(prism::exactFma(-x, y, 1.0), f53, RM::RZ, g_rng),
            1.0 - 0x1p-53);
  EXPECT_EQ(roundExact(prism::exactFma(0x1p500, 0x1p500, x), f53, RM::RU, g_rng),
            0x1p1000 + 0x1p948);
  EXPECT_EQ(roundExact(prism::exactFma(0x1p500, 0x1p500, -x), f53, RM::RNE, g_rng),
            0x1p1000);
}

// ------------------------------------------------------ regressions

// roundExact gave an exact zero sum of opposite terms (x - x, (+0) + (-0),
// a*b - c) the native RNE sign +0 under RD; IEEE 754 (6.3) and MPFR give -0.
TEST(Regression, ExactZeroUnderRdIsMinusZero) {
  const FormatSpec f = virtualFormat<double>(53);
  double r = roundExact(prism::exactSub(1.0, 1.0), f, RM::RD, g_rng);
  EXPECT_TRUE(r == 0 && std::signbit(r)) << "RD(1 - 1) = " << r;
  r = roundExact(prism::exactAdd(0.0, -0.0), f, RM::RD, g_rng);
  EXPECT_TRUE(r == 0 && std::signbit(r)) << "RD(0 + -0) = " << r;
  r = roundExact(prism::exactFma(2.0, 3.0, -6.0), f, RM::RD, g_rng);
  EXPECT_TRUE(r == 0 && std::signbit(r)) << "RD(fma(2, 3, -6)) = " << r;
  float s = roundExact(prism::exactSub(2.5f, 2.5f), FormatSpec{11, -14, 15, true},
                       RM::RD, g_rng);
  EXPECT_TRUE(s == 0 && std::signbit(s)) << "RD(2.5f - 2.5f) = " << s;
}

// locate() scaled hi by 2^-(q+scale) in T: more than T's subnormal range below
// the grid spacing 2^q it underflowed and x was rounded as an exact 0 (MPFR: +-2^q).
TEST(Regression, TinyResultFarBelowGridSpacing) {
  // float, t = 23: grid spacing below 2^-126 is 2^-148; x = 2^-298.
  const ExactValue<float> xf = prism::exactMul(0x1p-149f, 0x1p-149f);
  EXPECT_EQ(roundExact(xf, virtualFormat<float>(23), RM::RU, g_rng), 0x1p-148f);
  EXPECT_EQ(roundExact(xf, virtualFormat<float>(23), RM::RO, g_rng), 0x1p-148f);
  // float, bfloat16 grid with subnormals off: grid {0, 2^-126} below 2^-126.
  EXPECT_EQ(roundExact(xf, FormatSpec{8, -126, 127, false}, RM::RU, g_rng), 0x1p-126f);
  // double, t = 52: spacing 2^-1073, x = 2^-2148.
  const ExactValue<double> xd = prism::exactMul(0x1p-1074, 0x1p-1074);
  EXPECT_EQ(roundExact(xd, virtualFormat<double>(52), RM::RU, g_rng), 0x1p-1073);
  // double, subnormals off, a quotient: 2^-1074 / 2^1023 = 2^-2097.
  const ExactValue<double> qd = prism::exactDiv(-0x1p-1074, 0x1p1023);
  EXPECT_EQ(roundExact(qd, FormatSpec{53, -1022, 1023, false}, RM::RD, g_rng),
            -0x1p-1022);
}

// The same underflow with a nonzero sticky placed a tiny quotient on the
// wrong side of zero (RD of a positive gave -2^q); expected: +-0 per IEEE/MPFR.
TEST(Regression, TinyQuotientChangesSign) {
  // 2^-1074 / 2^55.99 > 0 on an e5m2-like grid (p = 3, spacing 2^-16): RD is
  // +0 (the bug returned -2^-16).
  double r = roundExact(prism::exactDiv(0x1p-1074, 0x1.fc92866b23a39p+55),
                        FormatSpec{3, -14, 15, true}, RM::RD, g_rng);
  EXPECT_TRUE(r == 0 && !std::signbit(r)) << "RD = " << r;
  // 2^-1074 / -2^39.7 < 0 on the e4m3 grid: RU is -0 (the bug returned +2^-9).
  r = roundExact(prism::exactDiv(0x1p-1074, -0x1.a6p+39), FormatSpec{4, -6, 8, true},
                 RM::RU, g_rng);
  EXPECT_TRUE(r == 0 && std::signbit(r)) << "RU = " << r;
}

// locate() scaled lo by 2^-(q+scale) in T: for a huge + tiny sum it underflowed
// to 0 and the sum was taken as exact. Expected: the next value, as FE_UPWARD.
TEST(Regression, TinyAddendOfHugeSumIsLost) {
  // 2^1000 + 2^-200: RU must give the next double (native FE_UPWARD does).
  EXPECT_EQ(roundExact(prism::exactAdd(0x1p1000, 0x1p-200), virtualFormat<double>(53),
                       RM::RU, g_rng),
            0x1.0000000000001p1000);
  EXPECT_EQ(roundExact(prism::exactSub(0x1p1000, 0x1p-200), virtualFormat<double>(53),
                       RM::RZ, g_rng),
            0x1.fffffffffffffp999);
  EXPECT_EQ(roundExact(prism::exactAdd(0x1p100f, 0x1p-100f), virtualFormat<float>(24),
                       RM::RU, g_rng),
            0x1.000002p100f);
}

// For x next to -2^(q-1), half the smallest grid step, locate() rounded 1 + x*2^-q
// in T to exactly 1/2, a false tie; MPFR gives -2^-24 beyond it and -0 inside.
TEST(Regression, NegativeValueBelowSmallestSubnormal) {
  const FormatSpec h{11, -14, 15, true}; // smallest subnormal 2^-24
  // -(2^-25 + 2^-49): just beyond the midpoint, RNE gives -2^-24.
  EXPECT_EQ(roundExact(prism::exactAdd(-0x1.000002p-25f, 0.0f), h, RM::RNE, g_rng),
            -0x1p-24f);
  // -(2^-25 - 2^-49): just inside, RNA gives -0.
  float r = roundExact(prism::exactAdd(-0x1.fffffep-26f, 0.0f), h, RM::RNA, g_rng);
  EXPECT_TRUE(r == 0 && std::signbit(r)) << "RNA = " << r;
  // The same through double storage.
  EXPECT_EQ(roundExact(prism::exactAdd(-0x1.0000000000001p-25, 0.0), h, RM::RNE, g_rng),
            -0x1p-24);
}

// exactFma dropped an addend > 2p+4 binades below an inexact a*b, so a tie of a*b
// went to even, not to c's side (expected: c's side, as MPFR and native fma give).
TEST(Regression, FmaNegligibleAddendBreaksTie) {
  // (1 + 2^-52) * 1.5 = 1.5 + 2^-52 + 2^-53: the midpoint of 1.5 + 2^-52 and
  // 1.5 + 2^-51. Minus 2^-200 it is below the midpoint: RNE gives
  // 1.5 + 2^-52 (as MPFR and the native fma do).
  const double a = 1 + 0x1p-52, b = 1.5, c = -0x1p-200;
  EXPECT_EQ(roundExact(prism::exactFma(a, b, c), virtualFormat<double>(53), RM::RNE,
                       g_rng),
            0x1.8000000000001p0);
  EXPECT_EQ(roundExact(prism::exactFma(a, b, -c), virtualFormat<double>(53), RM::RNZ,
                       g_rng),
            0x1.8000000000002p0);
  const float af = 1 + 0x1p-23f, bf = 1.5f, cf = -0x1p-60f;
  EXPECT_EQ(roundExact(prism::exactFma(af, bf, cf), virtualFormat<float>(24), RM::RNE,
                       g_rng),
            0x1.800002p0f);
}

} // namespace
} // namespace prism_test
