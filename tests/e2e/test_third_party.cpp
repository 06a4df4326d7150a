// test_third_party.cpp - programs no one here wrote: the example programs of
// Eigen's documentation (Debian's libeigen3-doc), built unmodified with
// prism-c++ and natively at several flag levels. Under ieee the output must
// be byte-identical to native; under sr some outputs must change across
// seeds. A forced include only raises std::cout's precision to 17 digits.
#include "e2e.h"

#include <set>
#include <tuple>

using namespace e2e;

namespace {

const char *kExamplesDir = "/usr/share/doc/libeigen3-dev/examples";

// A linear solver, an eigensolver, a matrix function and polynomial roots:
// broad FP coverage of the library (only four: each one is a large
// instrumented compile, and CI has 2 cores).
const char *kExamples[] = {"TutorialLinAlgExSolveColPivHouseholderQR",
                           "TutorialLinAlgSelfAdjointEigenSolver",
                           "MatrixExponential", "PolynomialSolver1"};

struct FlagSet {
  const char *name;
  std::vector<std::string> flags;
};

const FlagSet kFlagSets[] = {{"O0", {"-O0"}},
                             {"O2", {"-O2"}},
                             {"O3_native", {"-O3", "-march=native"}},
                             {"O3_x86_64", {"-O3", "-march=x86-64"}}};

std::string buildExample(const std::string &example, const FlagSet &fs,
                         const std::string &compiler, const char *suffix) {
  std::vector<std::string> cmd{compiler};
  cmd.insert(cmd.end(), fs.flags.begin(), fs.flags.end());
  cmd.insert(cmd.end(), {"-I/usr/include/eigen3", "-include",
                         programsDir() + "/precision17.h",
                         std::string(kExamplesDir) + "/" + example + ".cpp"});
  return build("eigen_doc_" + example + "_" + fs.name + suffix, cmd);
}

void PrintTo(const FlagSet &f, std::ostream *os) {
  for (const auto &x : f.flags)
    *os << x << " ";
}

// One test per (level, example): each is a large instrumented compile, so
// ctest spreads them over the cores and times each on its own.
class EigenExamples
    : public ::testing::TestWithParam<std::tuple<FlagSet, const char *>> {};

TEST_P(EigenExamples, IeeeBitIdenticalAndSrPerturbs) {
  const auto &[fs, example] = GetParam();
  if (!exists(kExamplesDir))
    GTEST_SKIP() << "libeigen3-doc is not installed (scripts/setup.sh)";
  std::string native = buildExample(example, fs, clangCXX(), "_native");
  std::string prism = buildExample(example, fs, prismCXX(), "_prism");
  ASSERT_FALSE(native.empty() || prism.empty());
  Result n = run({native});
  ASSERT_EQ(n.status, 0) << n.describe();
  Result i = run({prism}, {{"PRISM_BACKEND", "ieee"}});
  ASSERT_EQ(i.status, 0) << i.describe();
  EXPECT_EQ(i.out, n.out) << "ieee output differs from the native build";
  // Each example prints 17 significant digits of results computed in
  // floating point: three sr seeds cannot all reproduce them exactly.
  std::set<std::string> outs;
  for (const char *seed : {"1", "2", "3"}) {
    Result r = run({prism}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", seed}});
    ASSERT_EQ(r.status, 0) << r.describe();
    outs.insert(r.out);
  }
  EXPECT_TRUE(outs.size() > 1 || *outs.begin() != n.out)
      << "sr changed no output digit";
}

INSTANTIATE_TEST_SUITE_P(
    Levels, EigenExamples,
    ::testing::Combine(::testing::ValuesIn(kFlagSets),
                       ::testing::ValuesIn(kExamples)),
    [](const auto &info) {
      return std::string(std::get<0>(info.param).name) + "_" +
             std::get<1>(info.param);
    });

} // namespace
