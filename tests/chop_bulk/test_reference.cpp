// test_reference.cpp - the vector kernels of prism_chop_f32/f64 against the
// scalar reference ChopRounder, bit for bit, for every format (fixed point
// included) x deterministic
// mode x subnormals on/off x overflow rule, on every Highway target this CPU
// runs. Inputs: every code of the format (sampled for wide ones) +-1, +-2
// storage ulps, the midpoints +-1 ulp, subnormals, tiny values, overflow
// edges, inf, NaN payloads, random bit patterns. Each input set is rounded in
// its natural order (mostly the kernels' fast path) and shuffled (mostly the
// general path). sr / sr-uniform: every result is one of the two neighbours,
// and the output does not depend on the target.
#include "test_util.h"

namespace chop_bulk_test {
namespace {

struct FormatCase {
  const char *format;
  bool isDouble;
};

void PrintTo(const FormatCase &c, std::ostream *os) {
  *os << c.format << (c.isDouble ? " on double" : " on float");
}

std::string caseName(const testing::TestParamInfo<FormatCase> &info) {
  std::string s = info.param.format;
  for (char &c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return s + (info.param.isDouble ? "_f64" : "_f32");
}

const char *const kDeterministic[] = {"rne", "rnz", "rna", "ru",
                                      "rd",  "rz",  "ro"};

class VectorVsReference : public testing::TestWithParam<FormatCase> {
protected:
  template <class T> void run() {
    const FormatCase &fc = GetParam();
    auto fmt = prism::parseChopFormat(fc.format);
    ASSERT_TRUE(fmt.has_value());
    std::vector<T> natural = gridInputs<T>(*fmt, 42);
    std::vector<T> shuffled = natural;
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937_64(7));
    const std::vector<int64_t> targets = cpuTargets();
    ASSERT_FALSE(targets.empty());
    size_t checked = 0;
    for (const char *mode : kDeterministic)
      for (int sub_off = 0; sub_off < 2; ++sub_off)
        for (int sat = 0; sat < 2; ++sat) {
          prism_chop_options o{};
          o.format = fc.format;
          o.rounding = mode;
          o.subnormals_off = sub_off;
          o.saturate = sat;
          const prism::ChopRounder ref = referenceRounder(o);
          for (const std::vector<T> *in : {&natural, &shuffled}) {
            std::vector<T> expect(in->size());
            for (size_t i = 0; i < in->size(); ++i)
              expect[i] = referenceRound(ref, (*in)[i], nullptr);
            for (int64_t target : targets) {
              TargetScope scope(target);
              std::vector<T> got(in->size());
              ASSERT_EQ(chopArray(in->data(), got.data(), in->size(), o), 0)
                  << prism_chop_last_error();
              int bad = 0;
              for (size_t i = 0; i < in->size(); ++i) {
                if (bitsOf(got[i]) != bitsOf(expect[i]) && bad++ < 5)
                  ADD_FAILURE()
                      << fc.format << " " << mode
                      << " subnormals=" << (sub_off ? "off" : "on")
                      << " saturate=" << sat << " target=" << targetName(target)
                      << " x=" << (*in)[i] << " (" << bitsHex(bitsOf((*in)[i]))
                      << ") got " << got[i] << " (" << bitsHex(bitsOf(got[i]))
                      << ") expected " << expect[i] << " ("
                      << bitsHex(bitsOf(expect[i])) << ")";
              }
              ASSERT_EQ(bad, 0);
              checked += in->size();
            }
          }
        }
    RecordProperty("elements_checked", std::to_string(checked));
  }

  // sr / sr-uniform: the result is RD or RU (with the mode's overflow rule)
  // of x, identical on every target.
  template <class T> void runStochastic() {
    const FormatCase &fc = GetParam();
    auto fmt = prism::parseChopFormat(fc.format);
    ASSERT_TRUE(fmt.has_value());
    std::vector<T> in = gridInputs<T>(*fmt, 43, 5000);
    std::shuffle(in.begin() + in.size() / 2, in.end(), std::mt19937_64(8));
    for (const char *mode : {"sr", "sr-uniform"})
      for (int sub_off = 0; sub_off < 2; ++sub_off)
        for (int sat = 0; sat < 2; ++sat) {
          prism_chop_options o{};
          o.format = fc.format;
          o.rounding = mode;
          o.subnormals_off = sub_off;
          o.saturate = sat;
          o.seed = 1234;
          const prism::ChopRounder ref = referenceRounder(o);
          std::vector<T> first;
          for (int64_t target : cpuTargets()) {
            TargetScope scope(target);
            std::vector<T> got(in.size());
            ASSERT_EQ(chopArray(in.data(), got.data(), in.size(), o), 0);
            int bad = 0;
            for (size_t i = 0; i < in.size(); ++i) {
              const T x = in[i];
              T lo = x, hi = x;
              if (!std::isnan(x)) {
                prism::ExactValue<T> ev{x, 0, 0, 0};
                lo = ref.clampRange(prism::roundExact(ev, referenceGrid(ref),
                                                      prism::RoundingMode::RD,
                                                      nullptr),
                                    std::isinf(x));
                hi = ref.clampRange(prism::roundExact(ev, referenceGrid(ref),
                                                      prism::RoundingMode::RU,
                                                      nullptr),
                                    std::isinf(x));
              }
              const auto g = bitsOf(got[i]);
              if (g != bitsOf(lo) && g != bitsOf(hi) && bad++ < 5)
                ADD_FAILURE()
                    << fc.format << " " << mode
                    << " target=" << targetName(target) << " x=" << x << " ("
                    << bitsHex(bitsOf(x)) << ") got " << got[i] << " not in {"
                    << lo << ", " << hi << "}";
            }
            ASSERT_EQ(bad, 0);
            if (first.empty()) {
              first = got;
            } else {
              ASSERT_EQ(
                  std::memcmp(first.data(), got.data(), got.size() * sizeof(T)),
                  0)
                  << mode << ": the output depends on the target ("
                  << targetName(target) << ")";
            }
          }
        }
  }
};

TEST_P(VectorVsReference, DeterministicModesBitForBit) {
  if (GetParam().isDouble)
    run<double>();
  else
    run<float>();
}

TEST_P(VectorVsReference, StochasticModesLandOnNeighbours) {
  if (GetParam().isDouble)
    runStochastic<double>();
  else
    runStochastic<float>();
}

INSTANTIATE_TEST_SUITE_P(
    Float, VectorVsReference,
    testing::Values(FormatCase{"binary16", false},
                    FormatCase{"bfloat16", false}, FormatCase{"tf32", false},
                    FormatCase{"e5m2", false}, FormatCase{"e4m3", false},
                    FormatCase{"e3m2", false}, FormatCase{"e2m3", false},
                    FormatCase{"e2m1", false}, FormatCase{"binary32", false},
                    FormatCase{"e3m4", false}, FormatCase{"e6m9", false},
                    FormatCase{"e8m0", false}, FormatCase{"e4m0", false},
                    FormatCase{"e8m3", false}, FormatCase{"e2m5", false},
                    FormatCase{"e8m22", false}, FormatCase{"fixed:4.4", false},
                    FormatCase{"fixed:8.8", false},
                    FormatCase{"fixed:1.23", false},
                    FormatCase{"fixed:12.12", false},
                    FormatCase{"fixed:20.0", false}),
    caseName);

INSTANTIATE_TEST_SUITE_P(
    Double, VectorVsReference,
    testing::Values(FormatCase{"binary16", true}, FormatCase{"bfloat16", true},
                    FormatCase{"tf32", true}, FormatCase{"e5m2", true},
                    FormatCase{"e4m3", true}, FormatCase{"e3m2", true},
                    FormatCase{"e2m3", true}, FormatCase{"e2m1", true},
                    FormatCase{"binary32", true}, FormatCase{"binary64", true},
                    FormatCase{"e11m10", true}, FormatCase{"e11m0", true},
                    FormatCase{"e9m30", true}, FormatCase{"e11m51", true},
                    FormatCase{"e8m23", true}, FormatCase{"e3m4", true},
                    FormatCase{"fixed:16.16", true},
                    FormatCase{"fixed:1.52", true},
                    FormatCase{"fixed:30.23", true},
                    FormatCase{"fixed:8.0", true}),
    caseName);

} // namespace
} // namespace chop_bulk_test
