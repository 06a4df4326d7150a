// oracle_test.cpp - the chop rounding (ChopRounder over exact.h's error-free
// transforms) against the MPFR reference of chop_ref.h, bit for bit (zero
// signs included; any NaN matches any NaN), for every deterministic mode
// (rne, ru, rd, rz, rnz, rna, ro) x every format x subnormals on/off x
// overflow inf/saturate, on double storage and on float storage.
//
// Inputs, per format:
//   - Enumerated (CPFloat's pattern, formats of at most 2^16 codes): every
//     representable value v of both signs, v +- 1 storage ulp, the exact
//     midpoint m between v and its successor, m +- 1 storage ulp, and m +- the
//     smallest storage subnormal (an exact result off the storage grid that
//     only the sticky bit separates from the tie); the grid continues past
//     xmax so that overflow edges are midpoints too.
//   - Edges (every format): around xmax and the first grid point above it,
//     2^emin, 2^(emin-1) (the tie of the subnormals-off grid), the smallest
//     subnormal and its half, fixed point's two ends.
//   - Random: every operation (add, sub, mul, div, fma, sqrt, and the
//     double->float cast on float storage), operands aimed at the format's
//     subnormals, emin, top, underflow, overflow and the storage range.
//   - Specials: zeros, infinities, NaN, storage extremes, in every operation.
// A format wider than float is checked on double storage only (the backend
// stops a program whose float operations meet it: e2e_test.cpp).
#include "chop_ref.h"

#include <gtest/gtest.h>

#include <map>

namespace chop_test {
namespace {

struct Tally {
  long checked = 0, failed = 0;
  std::string report;
  std::map<std::string, long> bySetting; // failures per setting
  bool wantsDetail() const { return failed < 12; }
  void fail(const std::string &setting, const std::string &detail) {
    bySetting[setting]++;
    if (failed++ < 12)
      report += "  " + detail + "\n";
  }
  std::string summary() const {
    std::string s = report + "  failures per setting:";
    for (auto &[k, n] : bySetting)
      s += " [" + k + "]=" + std::to_string(n);
    return s;
  }
};

// The 28 settings of one format and their rounders.
struct Bench {
  TFormat f;
  std::vector<Setting> settings;
  std::vector<prism::ChopRounder> rounders;
  explicit Bench(const std::string &name) : f(formatByName(name)) {
    for (RoundingMode m : kDeterministic)
      for (bool sub : {true, false})
        for (bool sat : {false, true}) {
          settings.push_back({m, sub, sat});
          rounders.push_back(makeRounder(name, settings.back()));
        }
  }
};

template <class T>
void check(const Bench &b, Op op, const Inputs &raw, Tally &t) {
  if (op == Op::Trunc && !std::is_same_v<T, float>)
    return;
  const Inputs in = storageInputs<T>(op, raw);
  const Exact x = exactOf(op, in);
  const prism::ExactValue<T> ev = coreExact<T>(op, in);
  // Float storage cannot hold a wider format: the backend stops the program
  // at its first float operation (e2e_test.cpp), the bulk API refuses it.
  if (std::is_same_v<T, float> && !b.f.fitsFloat())
    return;
  uint64_t rng[4] = {1, 2, 3, 4};
  GridPos pos[2]; // by subnormals off/on
  const bool finite = x.cls == Exact::Finite;
  if (finite) {
    pos[0] = gridPos(x, b.f, false);
    pos[1] = gridPos(x, b.f, true);
  }
  for (size_t i = 0; i < b.settings.size(); i++) {
    const Setting &s = b.settings[i];
    const T want = static_cast<T>(
        finite ? referenceOnGrid(x, pos[s.subnormals], b.f, s)
               : reference(x, b.f, s));
    const T got = b.rounders[i].round(ev, rng);
    t.checked++;
    if (!sameBits(got, want))
      t.fail(describe(b.f, s),
             t.wantsDetail() ? describe<T>(op, in) + " " + describe(b.f, s) +
                                   ": want " + hex(want) + ", got " + hex(got)
                             : std::string());
  }
}

// An exact value x of T as the result of an operation (x*1, x+0 or
// fma(x, 1, -0), in turn).
template <class T> void checkValue(const Bench &b, T x, Tally &t) {
  if (!std::isfinite(x))
    return;
  switch (t.checked % 3) {
  case 0: check<T>(b, Op::Mul, {x, 1.0, 0}, t); break;
  case 1: check<T>(b, Op::Add, {x, 0.0, 0}, t); break;
  default: check<T>(b, Op::Fma, {x, 1.0, -0.0}, t); break;
  }
}

// x and its storage neighbours; x +- the smallest subnormal through an add
// (the exact sum lies strictly between two storage values unless x is tiny).
template <class T> void checkAround(const Bench &b, double xd, Tally &t) {
  const T x = static_cast<T>(xd);
  if (!std::isfinite(x) || static_cast<double>(x) != xd)
    return;
  constexpr T inf = std::numeric_limits<T>::infinity();
  checkValue<T>(b, x, t);
  checkValue<T>(b, std::nextafter(x, inf), t);
  checkValue<T>(b, std::nextafter(x, -inf), t);
  const T tiny = std::numeric_limits<T>::denorm_min();
  check<T>(b, Op::Add, {x, tiny, 0}, t);
  check<T>(b, Op::Add, {x, -tiny, 0}, t);
  if constexpr (std::is_same_v<T, float>) {
    check<T>(b, Op::Trunc, {xd, 0, 0}, t);
    check<T>(b, Op::Trunc, {std::nextafter(xd, HUGE_VAL), 0, 0}, t);
    check<T>(b, Op::Trunc, {std::nextafter(xd, -HUGE_VAL), 0, 0}, t);
  }
}

template <class T> void enumerated(const Bench &b, Tally &t) {
  std::vector<double> v = enumerate(b.f);
  const double above = aboveMax(b.f);
  v.push_back(above);
  v.push_back(2 * above);
  for (size_t i = 0; i + 1 < v.size(); i++)
    for (double sign : {1.0, -1.0}) {
      checkAround<T>(b, sign * v[i], t);
      checkAround<T>(b, sign * (v[i] + v[i + 1]) / 2, t); // exact midpoint
    }
}

template <class T> void edges(const Bench &b, Tally &t) {
  const TFormat &f = b.f;
  const double above = aboveMax(f);
  std::vector<double> e = {f.xmax, above, (f.xmax + above) / 2, 1.0,
                           1.0 + std::ldexp(1.0, -std::max(f.p, f.F)),
                           2 * above, std::ldexp(above, 1 + f.p)};
  if (f.kind == Kind::Fixed) {
    const double u = std::ldexp(1.0, -f.F);
    for (double x : {f.fixedMin(), f.fixedMin() - u / 2, f.fixedMin() - u,
                     f.fixedMin() + u / 2, u, u / 2, 3 * u / 2, u / 4,
                     std::ldexp(1.0, f.I), std::ldexp(1.0, f.I - 1)})
      e.push_back(x);
  } else {
    const double m = std::ldexp(1.0, f.emin), s = std::ldexp(1.0, f.emin - f.p + 1);
    for (double x : {m, m / 2, 3 * m / 4, m / 4, m - s / 2, m + s / 2, s, s / 2,
                     3 * s / 2, s / 4, std::ldexp(1.0, f.emax),
                     std::ldexp(1.0, f.emax + 1)})
      e.push_back(x);
  }
  for (double x : e)
    for (double sign : {1.0, -1.0})
      checkAround<T>(b, sign * x, t);
}

template <class T> void randomOps(const Bench &b, int perOp, uint64_t seed,
                                  Tally &t) {
  Gen gen(seed);
  for (Op op : kAllOps) {
    if (op == Op::Trunc && !std::is_same_v<T, float>)
      continue;
    for (int i = 0; i < perOp; i++)
      check<T>(b, op, gen.forFormat<T>(op, b.f), t);
  }
}

template <class T> void specials(const Bench &b, Tally &t) {
  const std::vector<double> s = specialValues<T>();
  for (double a : s) {
    check<T>(b, Op::Sqrt, {a, 0, 0}, t);
    check<T>(b, Op::Trunc, {a, 0, 0}, t);
    for (double c : s) {
      for (Op op : {Op::Add, Op::Sub, Op::Mul, Op::Div})
        check<T>(b, op, {a, c, 0}, t);
      check<T>(b, Op::Fma, {a, c, 1.0}, t);
      check<T>(b, Op::Fma, {a, 1.0, c}, t);
      check<T>(b, Op::Fma, {a, -a, c}, t);
    }
  }
}

// The small formats (at most 2^12 codes of each sign), and the 16-bit ones
// of SPEC.md's table (2^15 codes, a few seconds each). The 16-bit custom
// formats (e6m9, e8m7) and the wide ones are left to the random sweep.
bool enumerable(const TFormat &f) {
  if (f.name == "binary16" || f.name == "bfloat16" || f.name == "fixed:8.8")
    return true;
  if (f.kind == Kind::Fixed)
    return f.I + f.F <= 12;
  return (long{1} << (f.p - 1)) * (f.emax - f.emin + 2) <= 4096;
}

class ChopOracle : public ::testing::TestWithParam<std::string> {};

std::string testName(const ::testing::TestParamInfo<std::string> &i) {
  std::string s = i.param;
  for (char &c : s)
    if (c == ':' || c == '.')
      c = '_';
  return s;
}

template <class T> void expectClean(const Tally &t, const std::string &what) {
  EXPECT_GT(t.checked, 0);
  EXPECT_EQ(t.failed, 0) << what << " on " << typeName<T>() << ": " << t.failed
                         << " of " << t.checked << " differ from MPFR:\n"
                         << t.summary();
}

class ChopOracleEnumerated : public ::testing::TestWithParam<std::string> {};

TEST_P(ChopOracleEnumerated, ValuesNeighboursAndMidpoints) {
  const Bench b(GetParam());
  Tally td, tf;
  enumerated<double>(b, td);
  expectClean<double>(td, b.f.name);
  if (b.f.fitsFloat()) {
    enumerated<float>(b, tf);
    expectClean<float>(tf, b.f.name);
  }
  RecordProperty("checked", std::to_string(td.checked + tf.checked));
}

TEST_P(ChopOracle, RangeEdges) {
  const Bench b(GetParam());
  Tally td, tf;
  edges<double>(b, td);
  edges<float>(b, tf);
  expectClean<double>(td, b.f.name);
  if (b.f.fitsFloat())
    expectClean<float>(tf, b.f.name);
}

TEST_P(ChopOracle, RandomOperations) {
  const Bench b(GetParam());
  uint64_t seed = 0x5eed;
  for (char c : b.f.name)
    seed = seed * 131 + static_cast<unsigned char>(c);
  Tally td, tf;
  randomOps<double>(b, 4000, seed, td);
  if (b.f.fitsFloat())
    randomOps<float>(b, 4000, seed + 1, tf);
  expectClean<double>(td, b.f.name);
  if (b.f.fitsFloat())
    expectClean<float>(tf, b.f.name);
}

TEST_P(ChopOracle, SpecialOperands) {
  const Bench b(GetParam());
  Tally td, tf;
  specials<double>(b, td);
  specials<float>(b, tf);
  expectClean<double>(td, b.f.name);
  if (b.f.fitsFloat())
    expectClean<float>(tf, b.f.name);
}

INSTANTIATE_TEST_SUITE_P(Formats, ChopOracle,
                         ::testing::ValuesIn(allFormatNames()), testName);

INSTANTIATE_TEST_SUITE_P(Formats, ChopOracleEnumerated, ::testing::ValuesIn([] {
                           std::vector<std::string> v;
                           for (const std::string &n : allFormatNames())
                             if (enumerable(formatByName(n)))
                               v.push_back(n);
                           return v;
                         }()),
                         testName);

// The format table itself: parseChopFormat against SPEC.md's table.
TEST(ChopFormatTable, MatchesSpec) {
  for (const std::string &n : allFormatNames()) {
    const TFormat f = formatByName(n);
    auto c = prism::parseChopFormat(n);
    ASSERT_TRUE(c.has_value()) << n;
    EXPECT_EQ(c->xmax, f.xmax) << n;
    EXPECT_EQ(c->fraction_bits, f.fractionBits()) << n;
    EXPECT_EQ(c->fixed, f.kind == Kind::Fixed) << n;
    if (f.kind == Kind::Fixed) {
      EXPECT_EQ(c->fixed_min, f.fixedMin()) << n;
      EXPECT_EQ(c->specials, prism::SpecialValues::None) << n;
      continue;
    }
    EXPECT_EQ(c->grid.precision, f.p) << n;
    EXPECT_EQ(c->grid.emin, f.emin) << n;
    EXPECT_EQ(c->grid.emax, f.emax) << n;
    const prism::SpecialValues want =
        f.kind == Kind::Ieee      ? prism::SpecialValues::InfAndNan
        : f.kind == Kind::NanOnly ? prism::SpecialValues::NanOnly
                                  : prism::SpecialValues::None;
    EXPECT_EQ(c->specials, want) << n;
  }
  // Aliases of SPEC.md name the same formats.
  for (auto [alias, name] : std::vector<std::pair<std::string, std::string>>{
           {"fp16", "binary16"}, {"bf16", "bfloat16"}})
    EXPECT_EQ(prism::parseChopFormat(alias)->xmax,
              prism::parseChopFormat(name)->xmax);
  // Bad names are rejected.
  for (const char *bad : {"e1m3", "e5m53", "e12m3", "fixed:0.4", "fixed:40.30",
                          "binary8", "e4m3x", "", "fixed:8", "e4"})
    EXPECT_FALSE(prism::parseChopFormat(bad).has_value()) << bad;
}

} // namespace
} // namespace chop_test
