// stochastic_test.cpp - the chop backend's random parts against the MPFR
// reference of chop_ref.h:
//   - sr and sr-uniform: every result is one of the two grid neighbours of the
//     exact result (after the range rules: an sr overflow behaves like every
//     non-directed mode), exact results never move, and P(RU) is
//     (x - RD)/(RU - RD) for sr and 1/2 for sr-uniform;
//   - soft errors (PRISM_FLIP_PROB): p = 0 never flips; p = 1 flips exactly
//     one bit of the target's stored fraction (checked on the target
//     encodings of the unflipped and flipped values), uniformly; in between
//     the flip rate is p; formats with p = 1 (no stored fraction) never flip.
//
// Statistical tolerances: with n independent draws and probability p, the
// count is Binomial(n, p) with sigma = sqrt(n p (1-p)); we accept
// |count - n p| <= 6 sigma. Every frequency test below has n >= 1e5 and
// n p (1-p) >= 1000, where the normal approximation is good: a correct
// implementation fails a case with probability ~2e-9, so the ~150 cases
// together fail with probability < 1e-6. The seeds are fixed, so a run is
// reproducible anyway. With n = 1e5, a bias of |dp| > 6 sqrt(p(1-p)/n)
// (0.0095 at p = 1/2) is caught.
#include "chop_ref.h"

#include <gtest/gtest.h>


namespace chop_test {
namespace {

constexpr int kDraws = 100000;
constexpr RoundingMode kStochastic[] = {RoundingMode::SR, RoundingMode::SRUniform};

void seed(uint64_t s[4], uint64_t v) { prism_rng_seed(s, v, 0); }

bool within6Sigma(double count, double mean, double var, std::string *why) {
  const double tol = 6 * std::sqrt(var);
  if (std::fabs(count - mean) <= tol)
    return true;
  *why = "count " + std::to_string(count) + ", expected " + std::to_string(mean) +
         " +- " + std::to_string(tol) + " (6 sigma)";
  return false;
}

// ------------------------------------------------------------------- sr

template <class T> void neighbourSweep(const std::string &name, uint64_t s0) {
  const TFormat f = formatByName(name);
  if (std::is_same_v<T, float> && !f.fitsFloat())
    return;
  Gen gen(s0);
  uint64_t rng[4];
  seed(rng, s0);
  long checked = 0, failed = 0;
  std::string report;
  for (RoundingMode m : kStochastic)
    for (bool sub : {true, false})
      for (bool sat : {false, true}) {
        const Setting s{m, sub, sat};
        const prism::ChopRounder r = makeRounder(name, s);
        for (Op op : kAllOps) {
          if (op == Op::Trunc && !std::is_same_v<T, float>)
            continue;
          for (int i = 0; i < 150; i++) {
            const Inputs in = storageInputs<T>(op, gen.forFormat<T>(op, f));
            const Neighbours nb = neighbours(exactOf(op, in), f, s);
            const T got = r.round(coreExact<T>(op, in), rng);
            const T dn = static_cast<T>(nb.down), up = static_cast<T>(nb.up);
            checked++;
            if (!sameBits(got, dn) && !sameBits(got, up) && failed++ < 12)
              report += "  " + describe<T>(op, in) + " " + describe(f, s) +
                        ": got " + hex(got) + ", neighbours " + hex(dn) + " " +
                        hex(up) + "\n";
          }
        }
      }
  EXPECT_EQ(failed, 0) << name << " on " << typeName<T>() << ": " << failed
                       << " of " << checked << " off the neighbours:\n"
                       << report;
}

class ChopStochastic : public ::testing::TestWithParam<std::string> {};

std::string testName(const ::testing::TestParamInfo<std::string> &i) {
  std::string s = i.param;
  for (char &c : s)
    if (c == ':' || c == '.')
      c = '_';
  return s;
}

TEST_P(ChopStochastic, ResultIsANeighbourAndExactStaysExact) {
  neighbourSweep<double>(GetParam(), 101);
  neighbourSweep<float>(GetParam(), 202);
}

// P(RU) on a few inexact results of each format, 1e5 draws each.
template <class T> void frequencies(const std::string &name, uint64_t s0,
                                    int values) {
  const TFormat f = formatByName(name);
  if (std::is_same_v<T, float> && !f.fitsFloat())
    return;
  Gen gen(s0);
  uint64_t rng[4];
  seed(rng, s0 ^ 0xabcdef);
  int found = 0;
  for (int attempt = 0; attempt < 100000 && found < values; attempt++) {
    const Op op = kAllOps[attempt % 6]; // add..sqrt
    const Inputs in = storageInputs<T>(op, gen.forFormat<T>(op, f));
    const Exact x = exactOf(op, in);
    Setting s{RoundingMode::SR, attempt % 2 == 0, false};
    const Neighbours nb = neighbours(x, f, s);
    // Results well inside the range, p not too close to 0 or 1.
    if (nb.exact || !std::isfinite(nb.down) || !std::isfinite(nb.up) ||
        nb.down == nb.up || nb.pUp < 0.02 || nb.pUp > 0.98)
      continue;
    found++;
    const prism::ExactValue<T> ev = coreExact<T>(op, in);
    for (RoundingMode m : kStochastic) {
      Setting sm = s;
      sm.mode = m;
      const prism::ChopRounder r = makeRounder(name, sm);
      const double p = m == RoundingMode::SR ? nb.pUp : 0.5;
      long ups = 0, others = 0;
      for (int i = 0; i < kDraws; i++) {
        const T got = r.round(ev, rng);
        if (sameBits(got, static_cast<T>(nb.up)))
          ups++;
        else if (!sameBits(got, static_cast<T>(nb.down)))
          others++;
      }
      std::string why;
      EXPECT_EQ(others, 0);
      EXPECT_TRUE(within6Sigma(static_cast<double>(ups), kDraws * p,
                               kDraws * p * (1 - p), &why))
          << describe<T>(op, in) << " " << describe(f, sm) << " P(RU)=" << p
          << ": " << why;
    }
  }
  EXPECT_EQ(found, values) << name << ": not enough inexact values";
}

TEST_P(ChopStochastic, FrequencyOfRoundingUpWithin6Sigma) {
  frequencies<double>(GetParam(), 303, 2);
  frequencies<float>(GetParam(), 404, 1);
}

INSTANTIATE_TEST_SUITE_P(Formats, ChopStochastic,
                         ::testing::ValuesIn(allFormatNames()), testName);

// Exact fractions: x = RD + k/8 spacing of binary16, k = 1..7, both signs.
TEST(ChopStochasticExact, KnownFractionsOnBinary16) {
  uint64_t rng[4];
  seed(rng, 7);
  const prism::ChopRounder sr = makeRounder("binary16", {RoundingMode::SR, true, false});
  for (int k = 1; k < 8; k++)
    for (double sign : {1.0, -1.0}) {
      const double x = sign * (1.0 + k * 0x1p-13); // spacing of [1,2) is 2^-10
      long ups = 0;
      for (int i = 0; i < kDraws; i++) {
        const float got = sr.round(prism::exactMul(static_cast<float>(x), 1.0f), rng);
        ASSERT_TRUE(got == static_cast<float>(sign) ||
                    got == static_cast<float>(sign * (1 + 0x1p-10)))
            << std::hexfloat << x << " -> " << got;
        ups += got > x;
      }
      const double p = sign > 0 ? k / 8.0 : 1 - k / 8.0;
      std::string why;
      EXPECT_TRUE(within6Sigma(ups, kDraws * p, kDraws * p * (1 - p), &why))
          << std::hexfloat << x << ": " << why;
    }
}

// Over many different inexact results of every format: the number of RU
// results matches the sum of their probabilities (mean sum p, variance sum
// p(1-p)): catches a bias that depends on the value rather than on p.
TEST(ChopStochasticExact, AggregateOverManyValues) {
  Gen gen(99);
  uint64_t rng[4];
  seed(rng, 98);
  double ups = 0, mean = 0, var = 0;
  long n = 0;
  for (const std::string &name : allFormatNames()) {
    const TFormat f = formatByName(name);
    const Setting s{RoundingMode::SR, true, false};
    const prism::ChopRounder r = makeRounder(name, s);
    for (int i = 0; i < 10000; i++) {
      const Op op = kAllOps[i % 6];
      const Inputs in = storageInputs<double>(op, gen.forFormat<double>(op, f));
      const Neighbours nb = neighbours(exactOf(op, in), f, s);
      if (nb.exact || sameBits(nb.down, nb.up)) // e.g. both NaN in e4m3
        continue;
      const double got = r.round(coreExact<double>(op, in), rng);
      ASSERT_TRUE(sameBits(got, nb.down) || sameBits(got, nb.up))
          << describe<double>(op, in) << " " << describe(f, s);
      ups += sameBits(got, nb.up);
      mean += nb.pUp;
      var += nb.pUp * (1 - nb.pUp);
      n++;
    }
  }
  std::string why;
  EXPECT_GT(n, 100000);
  EXPECT_TRUE(within6Sigma(ups, mean, var, &why)) << why;
}

// ----------------------------------------------------------------- flips

template <class T> void flipAlways(const std::string &name, RoundingMode mode,
                                   bool sub, uint64_t s0) {
  const TFormat f = formatByName(name);
  if (std::is_same_v<T, float> && !f.fitsFloat())
    return;
  const Setting s{mode, sub, false};
  const prism::ChopRounder r = makeRounder(name, s, 1.0);
  Gen gen(s0);
  uint64_t rng[4];
  seed(rng, s0);
  long checked = 0, failed = 0;
  std::string report;
  for (int i = 0; i < 3000; i++) {
    const Op op = kAllOps[i % (std::is_same_v<T, float> ? 7 : 6)];
    const Inputs in = storageInputs<T>(op, gen.forFormat<T>(op, f));
    const T x = expected<T>(op, in, f, s);
    const T y = r.round(coreExact<T>(op, in), rng);
    int bit;
    std::string why = flipProblem(x, y, f, &bit);
    // Subnormals off: a flip of a zero's fraction gives a subnormal code;
    // whether it then reads as 0 is not specified (either is accepted).
    if (!why.empty() && !sub && x == 0 && y == 0)
      why.clear();
    checked++;
    if (!why.empty() && failed++ < 12)
      report += "  " + describe<T>(op, in) + " " + describe(f, s) + ": " +
                hex(x) + " -> " + hex(y) + ": " + why + "\n";
  }
  EXPECT_EQ(failed, 0) << name << " on " << typeName<T>() << ": " << failed
                       << " of " << checked << " bad flips:\n"
                       << report;
}

TEST_P(ChopStochastic, FlipProbabilityOneFlipsExactlyOneFractionBit) {
  uint64_t s0 = 500;
  for (RoundingMode m : {RoundingMode::RNE, RoundingMode::RZ, RoundingMode::RU})
    for (bool sub : {true, false}) {
      flipAlways<double>(GetParam(), m, sub, ++s0);
      flipAlways<float>(GetParam(), m, sub, ++s0);
    }
}

TEST_P(ChopStochastic, FlipProbabilityZeroNeverFlips) {
  const TFormat f = formatByName(GetParam());
  const Setting s{RoundingMode::RNE, true, false};
  const prism::ChopRounder r = makeRounder(GetParam(), s, 0.0);
  Gen gen(600);
  uint64_t rng[4];
  seed(rng, 601);
  for (int i = 0; i < 5000; i++) {
    const Op op = kAllOps[i % 6];
    const Inputs in = storageInputs<double>(op, gen.forFormat<double>(op, f));
    const double want = expected<double>(op, in, f, s);
    const double got = r.round(coreExact<double>(op, in), rng);
    ASSERT_TRUE(sameBits(got, want))
        << describe<double>(op, in) << ": " << hex(want) << " -> " << hex(got);
  }
}


// The flipped bit is uniform over the p-1 stored fraction bits (and never
// outside them: binary64's 52, e4m3's 3, bf16's 7 bits, fixed:8.8's 8).
TEST(ChopFlips, BitIndexUniformOverTheFractionField) {
  for (const char *name : {"binary64", "bfloat16", "e4m3", "e2m1", "fixed:8.8", "e11m40"}) {
    const TFormat f = formatByName(name);
    const Setting s{RoundingMode::RNE, true, false};
    const prism::ChopRounder r = makeRounder(name, s, 1.0);
    uint64_t rng[4];
    seed(rng, 700);
    const int fb = f.fractionBits();
    std::vector<long> counts(fb, 0);
    // A value with every fraction bit pattern possible: 1.5 (or 0.75 fixed)
    // is 1.1000... so flips of any bit stay finite (e4m3: 1.100 x 2^0).
    const double x = f.kind == Kind::Fixed ? 0.75 : 1.5;
    for (int i = 0; i < kDraws; i++) {
      const double y = r.round(prism::exactMul(x, 1.0), rng);
      int bit;
      const std::string why = flipProblem(x, y, f, &bit);
      ASSERT_EQ(why, "") << name << ": " << hex(x) << " -> " << hex(y);
      counts[bit]++;
    }
    const double p = 1.0 / fb;
    for (int k = 0; k < fb; k++) {
      std::string why;
      EXPECT_TRUE(within6Sigma(counts[k], kDraws * p, kDraws * p * (1 - p), &why))
          << name << " bit " << k << ": " << why;
    }
  }
}

TEST(ChopFlips, RateIsTheProbability) {
  for (double prob : {0.3, 0.01, 0.97})
    for (const char *name : {"bfloat16", "e4m3", "binary64", "fixed:16.15"}) {
      const Setting s{RoundingMode::RNE, true, false};
      const prism::ChopRounder r = makeRounder(name, s, prob);
      uint64_t rng[4];
      seed(rng, 800);
      long flips = 0;
      for (int i = 0; i < kDraws; i++) {
        const double y = r.round(prism::exactMul(1.5, 1.0), rng);
        flips += y != 1.5;
      }
      std::string why;
      EXPECT_TRUE(within6Sigma(flips, kDraws * prob, kDraws * prob * (1 - prob), &why))
          << name << " p=" << prob << ": " << why;
    }
}

// Inf, NaN and saturation: nothing to flip in inf/NaN, and a flipped value
// never leaves the format's range.
TEST(ChopFlips, SpecialsAndRange) {
  for (const char *name : {"binary16", "e4m3", "e5m2", "e2m1", "fixed:8.8"}) {
    const TFormat f = formatByName(name);
    for (bool sat : {false, true}) {
      const Setting s{RoundingMode::RNE, true, sat};
      const prism::ChopRounder r = makeRounder(name, s, 1.0);
      uint64_t rng[4];
      seed(rng, 900);
      for (double v : {HUGE_VAL, -HUGE_VAL, static_cast<double>(NAN), 1e300, -1e300, f.xmax, -f.xmax}) {
        const double want = expected<double>(Op::Mul, {v, 1.0, 0}, f, s);
        for (int i = 0; i < 200; i++) {
          const double y = r.round(prism::exactMul(v, 1.0), rng);
          if (!std::isfinite(want)) {
            ASSERT_TRUE(sameBits(y, want)) << name << " " << v;
            continue;
          }
          int bit;
          ASSERT_EQ(flipProblem(want, y, f, &bit), "")
              << name << " " << hex(v) << ": " << hex(want) << " -> " << hex(y);
        }
      }
    }
  }
}

} // namespace
} // namespace chop_test
