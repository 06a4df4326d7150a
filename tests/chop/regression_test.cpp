// regression_test.cpp - the anchors' known bugs (SPEC.md "Known traps", issue
// 4), each as a named case that prism must get right, with the expected
// values written out by hand from SPEC.md and cross-checked against the MPFR
// reference of chop_ref.h. Also the reproducers of bugs this suite found in
// prism and since fixed.
#include "chop_ref.h"

#include <gtest/gtest.h>

namespace chop_test {
namespace {

using RM = RoundingMode;

// op(in) chopped by the code under test, on storage T.
template <class T>
T chop(const std::string &format, const Setting &s, Op op, const Inputs &in,
       double flipProb = 0, uint64_t *rng = nullptr) {
  uint64_t local[4];
  prism_rng_seed(local, 42, 0);
  return makeRounder(format, s, flipProb)
      .round(coreExact<T>(op, storageInputs<T>(op, in)), rng ? rng : local);
}

// The value x itself as an operation's exact result (x * 1).
template <class T> T chopValue(const std::string &format, const Setting &s, double x) {
  return chop<T>(format, s, Op::Mul, {x, 1.0, 0});
}

// Checks the hand-written expectation, the MPFR reference, and prism.
template <class T>
void expectChop(const std::string &format, const Setting &s, Op op,
                const Inputs &in, double want) {
  const TFormat f = formatByName(format);
  const T ref = expected<T>(op, in, f, s);
  const T got = chop<T>(format, s, op, in);
  EXPECT_TRUE(sameBits(ref, static_cast<T>(want)))
      << "reference disagrees with the hand-written value: "
      << describe<T>(op, in) << " " << describe(f, s) << ": reference "
      << hex(ref) << ", by hand " << hex(want);
  EXPECT_TRUE(sameBits(got, static_cast<T>(want)))
      << describe<T>(op, in) << " " << describe(f, s) << ": want " << hex(want)
      << ", got " << hex(got);
}

// ---------------------------------------------------------------------------
// MATLAB chop rounds its double input, itself the rounded result of the
// operation, and near underflow rounds twice. prism rounds the exact result
// once.

// A double just below a binary16 subnormal tie (1.5 * 2^-24): rounding it to
// float first lands on the tie, which then goes to even (2^-23); rounding once
// gives 2^-24.
TEST(ChopRegressionMatlab, NoDoubleRoundingThroughFloatNearUnderflow) {
  const double x = 0x1.7ffffffffffffp-24;
  ASSERT_EQ(static_cast<double>(static_cast<float>(x)), 0x1.8p-24); // float's RN is the tie
  const Setting rne{RM::RNE, true, false};
  // The double-rounding path would give 2^-23:
  EXPECT_EQ(expected<float>(Op::Trunc, {static_cast<float>(x), 0, 0},
                            formatByName("binary16"), rne),
            0x1p-23f);
  expectChop<float>("binary16", rne, Op::Trunc, {x, 0, 0}, 0x1p-24);
  expectChop<float>("binary16", {RM::RNA, true, false}, Op::Trunc, {x, 0, 0}, 0x1p-24);
  expectChop<float>("binary16", {RM::RNA, true, false}, Op::Trunc, {-x, 0, 0}, -0x1p-24);
  // Just above the tie the other way round.
  expectChop<float>("binary16", {RM::RNZ, true, false}, Op::Trunc,
                    {0x1.8000000000001p-24, 0, 0}, 0x1p-23);
}

// An exact sum just below the same tie, on double storage: RN(a + b) in
// double is the tie itself; prism must see the exact sum.
TEST(ChopRegressionMatlab, NoDoubleRoundingThroughDoubleNearUnderflow) {
  const Inputs in{0x1.8p-24, -0x1p-90, 0};
  ASSERT_EQ(in.a + in.b, 0x1.8p-24); // the double result is the tie
  expectChop<double>("binary16", {RM::RNE, true, false}, Op::Add, in, 0x1p-24);
  expectChop<double>("binary16", {RM::RNA, true, false}, Op::Add, in, 0x1p-24);
  // bfloat16's subnormal tie 1.5 * 2^-133, reached by a product.
  expectChop<double>("bfloat16", {RM::RNE, true, false}, Op::Fma,
                     {0x1.8p-67, 0x1p-66, -0x1p-300}, 0x1p-133);
  // Subnormals off: the tie 2^-15 of the grid {0, 2^-14} minus a little.
  expectChop<double>("binary16", {RM::RNA, false, false}, Op::Add,
                     {0x1p-15, -0x1p-80, 0}, 0.0);
  expectChop<double>("binary16", {RM::RNA, false, false}, Op::Add,
                     {0x1p-15, 0x1p-80, 0}, 0x1p-14);
}

// ---------------------------------------------------------------------------
// Pychop sends values >= 2^(emax+1) to 0. They overflow: inf, or xmax under
// the directed modes toward zero and under saturation.
TEST(ChopRegressionPychop, HugeValuesOverflowInsteadOfVanishing) {
  const Setting rne{RM::RNE, true, false}, rz{RM::RZ, true, false},
      sat{RM::RNE, true, true};
  for (double x : {0x1p16, 1e6, 1e300}) {
    expectChop<double>("binary16", rne, Op::Mul, {x, 1, 0}, HUGE_VAL);
    expectChop<double>("binary16", rne, Op::Mul, {-x, 1, 0}, -HUGE_VAL);
    expectChop<double>("binary16", rz, Op::Mul, {x, 1, 0}, 65504);
    expectChop<double>("binary16", sat, Op::Mul, {-x, 1, 0}, -65504);
    expectChop<double>("e5m2", rne, Op::Mul, {x, 1, 0}, HUGE_VAL);
    expectChop<double>("e5m2", {RM::RD, true, false}, Op::Mul, {x, 1, 0}, 57344);
    expectChop<double>("e4m3", rne, Op::Mul, {x, 1, 0}, NAN);
    expectChop<double>("e4m3", sat, Op::Mul, {x, 1, 0}, 448);
    expectChop<double>("e2m1", rne, Op::Mul, {-x, 1, 0}, -6);
  }
  expectChop<float>("binary16", rne, Op::Mul, {0x1p16, 1, 0}, HUGE_VAL);
  expectChop<double>("bfloat16", rne, Op::Mul, {0x1p128, 1, 0}, HUGE_VAL);
  expectChop<double>("bfloat16", rz, Op::Mul, {0x1p128, 1, 0}, 0x1.fep127);
  // A float product above float's range is still an exact overflow.
  expectChop<float>("bfloat16", rne, Op::Mul, {0x1p100, 0x1p100, 0}, HUGE_VAL);
  expectChop<float>("bfloat16", {RM::RU, true, false}, Op::Mul,
                    {-0x1p100, 0x1p100, 0}, -0x1.fep127);
}

// Pychop swaps ties-to-zero and ties-away for negative numbers.
TEST(ChopRegressionPychop, TiesToZeroAndAwayKeepTheirMeaningForNegatives) {
  const Setting rnz{RM::RNZ, true, false}, rna{RM::RNA, true, false};
  for (double sign : {1.0, -1.0}) {
    // binary16: 1 + 2^-11 is halfway between 1 and 1 + 2^-10.
    expectChop<double>("binary16", rnz, Op::Mul, {sign * (1 + 0x1p-11), 1, 0}, sign);
    expectChop<double>("binary16", rna, Op::Mul, {sign * (1 + 0x1p-11), 1, 0},
                       sign * (1 + 0x1p-10));
    // A subnormal tie: 1.5 * 2^-24.
    expectChop<float>("binary16", rnz, Op::Mul, {sign * 0x1.8p-24, 1, 0}, sign * 0x1p-24);
    expectChop<float>("binary16", rna, Op::Mul, {sign * 0x1.8p-24, 1, 0}, sign * 0x1p-23);
    // bfloat16: 1 + 2^-8 between 1 and 1 + 2^-7; e4m3: 1.0625.
    expectChop<float>("bfloat16", rnz, Op::Add, {sign, sign * 0x1p-8, 0}, sign);
    expectChop<float>("bfloat16", rna, Op::Add, {sign, sign * 0x1p-8, 0},
                      sign * (1 + 0x1p-7));
    expectChop<float>("e4m3", rnz, Op::Mul, {sign * 1.0625, 1, 0}, sign);
    expectChop<float>("e4m3", rna, Op::Mul, {sign * 1.0625, 1, 0}, sign * 1.125);
    // Not a tie: nearest, whatever the tie rule.
    expectChop<float>("e4m3", rnz, Op::Mul, {sign * 1.07, 1, 0}, sign * 1.125);
    expectChop<float>("e4m3", rna, Op::Mul, {sign * 1.05, 1, 0}, sign);
  }
}

// Pychop's round-to-odd changes exact values. Exact results stay; inexact
// ones take the neighbour with an odd last bit.
TEST(ChopRegressionPychop, RoundToOddKeepsExactValues) {
  const Setting ro{RM::RO, true, false};
  for (const char *name : {"e4m3", "e5m2", "e2m1", "e3m2", "e2m3", "binary16"}) {
    const TFormat f = formatByName(name);
    for (double v : enumerate(f))
      for (double sign : {1.0, -1.0}) {
        const double x = sign * v;
        ASSERT_TRUE(sameBits(chopValue<double>(name, ro, x), x)) << name << " " << hex(x);
        ASSERT_TRUE(sameBits(chopValue<float>(name, ro, x), static_cast<float>(x)))
            << name << " " << hex(x);
      }
  }
  expectChop<double>("binary16", ro, Op::Mul, {1.0, 1, 0}, 1.0);           // even, exact
  expectChop<double>("binary16", ro, Op::Mul, {1 + 0x1p-9, 1, 0}, 1 + 0x1p-9); // even, exact
  expectChop<double>("binary16", ro, Op::Mul, {1 + 0x1p-12, 1, 0}, 1 + 0x1p-10);
  expectChop<double>("binary16", ro, Op::Mul, {-(1 + 0x1p-9 + 0x1p-12), 1, 0},
                     -(1 + 0x1p-9 + 0x1p-10));
  expectChop<double>("binary16", ro, Op::Mul, {1 + 0x1p-10 + 0x1p-12, 1, 0},
                     1 + 0x1p-10); // RD already odd
  // Exact quotient and square root stay too.
  expectChop<double>("binary16", ro, Op::Div, {3, 4, 0}, 0.75);
  expectChop<double>("binary16", ro, Op::Sqrt, {2.25, 0, 0}, 1.5);
  expectChop<double>("binary16", ro, Op::Div, {1, 3, 0}, 0x1.554p-2); // 0x1.5555.. -> odd
}

// Pychop flips a bit even when the flip probability is 0.
TEST(ChopRegressionPychop, FlipProbabilityZeroNeverFlips) {
  uint64_t rng[4];
  prism_rng_seed(rng, 1, 0);
  const prism::ChopRounder r = makeRounder("bfloat16", {RM::RNE, true, false}, 0.0);
  for (int i = 0; i < 100000; i++)
    ASSERT_EQ(r.round(prism::exactMul(1.5f, 1.0f), rng), 1.5f);
}

// ---------------------------------------------------------------------------
// CPFloat's "E4M3" keeps 480 = 1.111 x 2^8 as a finite value; in OCP E4M3
// that code is NaN and the largest finite value is 448.
TEST(ChopRegressionCpfloat, E4m3Has448AsLargestFiniteValue) {
  const Setting rne{RM::RNE, true, false}, sat{RM::RNE, true, true};
  expectChop<float>("e4m3", rne, Op::Mul, {480, 1, 0}, NAN);
  expectChop<float>("e4m3", rne, Op::Mul, {-480, 1, 0}, NAN);
  expectChop<float>("e4m3", sat, Op::Mul, {480, 1, 0}, 448);
  expectChop<float>("e4m3", sat, Op::Mul, {-480, 1, 0}, -448);
  expectChop<float>("e4m3", {RM::RU, true, false}, Op::Mul, {480, 1, 0}, NAN);
  expectChop<float>("e4m3", {RM::RU, true, false}, Op::Mul, {449, 1, 0}, NAN);
  expectChop<float>("e4m3", {RM::RZ, true, false}, Op::Mul, {480, 1, 0}, 448);
  expectChop<float>("e4m3", {RM::RD, true, false}, Op::Mul, {500, 1, 0}, 448);
  expectChop<float>("e4m3", {RM::RU, true, false}, Op::Mul, {-500, 1, 0}, -448);
  expectChop<float>("e4m3", {RM::RO, true, false}, Op::Mul, {470, 1, 0}, 448);
  // 464 is the tie between 448 (1.110, even) and 480.
  expectChop<float>("e4m3", rne, Op::Mul, {464, 1, 0}, 448);
  expectChop<float>("e4m3", {RM::RNA, true, false}, Op::Mul, {464, 1, 0}, NAN);
  expectChop<float>("e4m3", {RM::RNZ, true, false}, Op::Mul, {464, 1, 0}, 448);
  expectChop<float>("e4m3", rne, Op::Add, {464, 0x1p-20, 0}, NAN);
  expectChop<float>("e4m3", rne, Op::Add, {464, -0x1p-20, 0}, 448);
  // No infinity: an exact infinity is NaN, or 448 under saturation.
  expectChop<float>("e4m3", rne, Op::Div, {1, 0, 0}, NAN);
  expectChop<float>("e4m3", sat, Op::Div, {-1, 0, 0}, -448);
  // e5m2 keeps its infinities.
  expectChop<float>("e5m2", rne, Op::Mul, {61440, 1, 0}, HUGE_VAL);
  expectChop<float>("e5m2", rne, Op::Mul, {61439, 1, 0}, 57344);
  // No result of any operation is ever 480 (or above 448) in e4m3.
  Gen gen(5);
  const TFormat f = formatByName("e4m3");
  for (RoundingMode m : kDeterministic)
    for (int i = 0; i < 20000; i++) {
      const Op op = kAllOps[i % 6];
      const float r = chop<float>("e4m3", {m, true, i % 3 == 0}, op,
                                  gen.forFormat<float>(op, f));
      ASSERT_FALSE(std::fabs(r) > 448) << r;
    }
}

// CPFloat's bit flips read out of bounds. prism flips bit k < p - 1 of the
// stored fraction only: the exponent and sign never change, whatever the
// format, and a format without a stored fraction (p = 1) never flips.
TEST(ChopRegressionCpfloat, FlipIndexStaysInsideTheFraction) {
  uint64_t rng[4];
  prism_rng_seed(rng, 3, 0);
  for (const char *name : {"binary64", "binary32", "binary16", "e4m3", "e2m1",
                           "e11m40", "e8m7", "fixed:16.15"}) {
    const TFormat f = formatByName(name);
    const prism::ChopRounder r = makeRounder(name, {RM::RNE, true, false}, 1.0);
    for (double x : {1.0, 1.5, -1.75, f.xmax, -f.xmax, 0.0}) {
      if (f.kind == Kind::Fixed && x == -f.xmax)
        x = f.fixedMin();
      const double want = expected<double>(Op::Mul, {x, 1, 0}, f, {RM::RNE, true, false});
      for (int i = 0; i < 20000; i++) {
        const double y = r.round(prism::exactMul(x, 1.0), rng);
        int bit;
        ASSERT_EQ(flipProblem(want, y, f, &bit), "")
            << name << " " << hex(x) << " -> " << hex(y);
        ASSERT_TRUE(bit >= 0 && bit < f.fractionBits()) << name;
      }
    }
  }
  for (const char *name : {"e5m0", "e2m0", "e11m0"}) {
    const prism::ChopRounder r = makeRounder(name, {RM::RNE, true, false}, 1.0);
    for (int i = 0; i < 1000; i++) {
      ASSERT_EQ(r.round(prism::exactMul(2.0, 1.0), rng), 2.0) << name;
      ASSERT_EQ(r.round(prism::exactMul(-1.0f, 1.0f), rng), -1.0f) << name;
    }
  }
}

// ---------------------------------------------------------------------------
// IEEE zero signs (SPEC.md): x - x is +0, and -0 under rd; a nonzero result
// that rounds to zero keeps its sign.
TEST(ChopRegressionIeee, ZeroSigns) {
  for (const char *name : {"binary16", "e4m3", "fixed:8.8", "e2m1"}) {
    for (RoundingMode m : kDeterministic) {
      const double z = m == RM::RD ? -0.0 : 0.0;
      expectChop<double>(name, {m, true, false}, Op::Sub, {1.5, 1.5, 0}, z);
      expectChop<float>(name, {m, true, false}, Op::Add, {-0.25, 0.25, 0}, z);
      expectChop<double>(name, {m, true, false}, Op::Fma, {2, 3, -6}, z);
      expectChop<double>(name, {m, true, false}, Op::Mul, {-0.0, 3, 0}, -0.0);
      expectChop<double>(name, {m, true, false}, Op::Add, {-0.0, -0.0, 0}, -0.0);
    }
    expectChop<double>(name, {RM::RZ, true, false}, Op::Mul, {-1e-30, 1, 0}, -0.0);
    expectChop<double>(name, {RM::RNE, true, false}, Op::Mul, {-1e-30, 1e-30, 0}, -0.0);
    expectChop<double>(name, {RM::RU, true, false}, Op::Mul, {-1e-30, 1, 0}, -0.0);
  }
}

// ---------------------------------------------------------------------------
// Bugs found in prism by this suite, fixed in chop_rounder.h.

// Bug 1: fixed point honours PRISM_SUBNORMALS=off. Its whole grid lies below
// 2^emin = 2^I of the IEEE-like grid it is implemented with (p = I+F+1,
// emin = I), so "subnormals off" collapses it to {0, 2^I}: 1.5 becomes 0 in
// fixed:8.8, 1e-300 becomes 127.996 under ru. Fixed point has no subnormals;
// the setting must not change it.
TEST(ChopRegression, FixedPointIgnoresSubnormalsOff) {
  const Setting off{RM::RNE, false, false};
  expectChop<double>("fixed:8.8", off, Op::Add, {1.3, 0.2, 0}, 1.5);
  expectChop<float>("fixed:8.8", off, Op::Mul, {1.5, 1, 0}, 1.5);
  expectChop<double>("fixed:8.8", off, Op::Mul, {-0.5, 1, 0}, -0.5);
  expectChop<double>("fixed:8.8", off, Op::Mul, {0.3, 1, 0}, 0x1.34p-2); // 77/256
  expectChop<double>("fixed:8.8", {RM::RU, false, false}, Op::Mul, {1e-300, 1, 0},
                     0x1p-8);
  expectChop<double>("fixed:16.15", off, Op::Mul, {1000.1, 1, 0}, 0x1.f40ccdp+9);
  expectChop<double>("fixed:1.0", {RM::RNA, false, false}, Op::Mul, {-0.5, 1, 0}, -1);
}

// Bug 2: a flip drawn on an exact infinity re-applies the overflow rule of a
// finite overflow (ChopRounder::round calls clampRange(flipBit(r), false)), so
// with PRISM_FLIP_PROB > 0 the exact infinity of 1/0 or inf + 1 becomes xmax
// under rz, ro, rd (of +inf) and ru (of -inf). An exact infinity is not an
// overflow (SPEC.md) and has no fraction to flip: it must stay inf.
TEST(ChopRegression, ExactInfinityStaysInfWhenFlipsAreOn) {
  uint64_t rng[4];
  prism_rng_seed(rng, 5, 0);
  for (RoundingMode m : {RM::RZ, RM::RO, RM::RD, RM::RU}) {
    const prism::ChopRounder r = makeRounder("binary16", {m, true, false}, 1.0);
    EXPECT_EQ(r.round(prism::exactDiv(1.0f, 0.0f), rng), HUGE_VALF) << modeName(m);
    EXPECT_EQ(r.round(prism::exactAdd(-HUGE_VAL, 1.0), rng), -HUGE_VAL) << modeName(m);
    // Without flips it is right:
    const prism::ChopRounder r0 = makeRounder("binary16", {m, true, false}, 0.0);
    EXPECT_EQ(r0.round(prism::exactDiv(1.0f, 0.0f), rng), HUGE_VALF) << modeName(m);
  }
}

} // namespace
} // namespace chop_test
