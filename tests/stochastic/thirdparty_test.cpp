// thirdparty_test.cpp - sr and ud on code no one here wrote, against MPFR.
//
// programs/thirdparty_work.cpp drives Eigen's dense solvers (float and
// double) and Boost.Math's special functions on floats (computed in double,
// then narrowed); two of Eigen's documentation examples (libeigen3-doc) run
// unmodified. Each is built with prism-c++ and `-mllvm -prism-check-hook`, so
// that every rounded operation of the sr/ud clones hands its operands and
// result to op_checker.cpp, which checks each lane against MPFR as the
// program runs: exact results bit for bit, inexact ones RD(x) or RU(x), and
// the frequency of RU per bin of pUp within 6 sigma (+1 for the integer
// lattice and the thresholds' resolution), at a fixed seed. Builds:
// -O2 -march=native (on AVX-512 the static-rounding forms and the ud clone),
// -O2 -march=x86-64-v3 (AVX2 + FMA: compare and select, ud through the
// thresholds), -O2 -march=x86-64 (no FMA: products, divisions, fmas and
// square roots through the runtime). A self-test feeds the checker wrong
// results (always round to nearest; a neighbour too far) and expects it to
// report them.
#include "e2e.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <sstream>

using namespace e2e;

namespace {

constexpr const char *kSeed = "20261203";
const char *kExamplesDir = "/usr/share/doc/libeigen3-dev/examples";
const char *kExamples[] = {"TutorialLinAlgSelfAdjointEigenSolver",
                           "TutorialLinAlgExSolveColPivHouseholderQR"};

struct Config {
  const char *name;
  const char *march;
  bool fma; // every operation kind is inline (products, fmas: FMA needed)
};
void PrintTo(const Config &c, std::ostream *os) { *os << c.name; }
const Config kConfigs[] = {{"native", "-march=native",
                            __builtin_cpu_supports("fma") != 0},
                           {"x86_64_v3", "-march=x86-64-v3", true},
                           {"x86_64", "-march=x86-64", false}};

std::string buildChecked(const std::string &name, const std::string &source,
                         const char *march) {
  return build(name, {prismCXX(), "-O2", march, "-mllvm", "-prism-check-hook",
                      "-I/usr/include/eigen3", source, PRISM_OP_CHECKER_LIB,
                      "-Wl,-rpath," PRISM_OP_CHECKER_DIR});
}

std::string workload(const Config &c) {
  return buildChecked(std::string("thirdparty_work_") + c.name,
                      sourceDir() + "/tests/stochastic/programs/thirdparty_work.cpp",
                      c.march);
}
std::string example(const char *name) {
  return buildChecked(std::string("eigen_") + name,
                      std::string(kExamplesDir) + "/" + name + ".cpp",
                      "-march=native");
}

// ------------------------------------------------------------ the verdict

struct Tally {
  long n = 0, exact = 0, inexact = 0, bad = 0;
  unsigned long long lanes = 0;
};
struct Verdict {
  std::map<std::string, Tally> ops; // "add f32"
  std::vector<std::string> problems;
};

long field(const std::string &line, const std::string &key) {
  size_t p = line.find(" " + key + "=");
  return p == std::string::npos ? -1 : std::stol(line.substr(p + key.size() + 2));
}
double fieldD(const std::string &line, const std::string &key) {
  size_t p = line.find(" " + key + "=");
  return p == std::string::npos ? NAN : std::stod(line.substr(p + key.size() + 2));
}

// Reads op_checker's report: each `bad` line, a nonzero bad count and a bin
// whose count of RU is more than 6 sigma (+1) from its expectation are
// problems.
Verdict judge(const std::string &report) {
  Verdict v;
  for (const std::string &line : lines(report)) {
    std::istringstream in(line);
    std::string tag, op, ty;
    in >> tag >> op >> ty;
    if (tag == "bad") {
      v.problems.push_back(line);
    } else if (tag == "op") {
      Tally &t = v.ops[op + " " + ty];
      t.n += field(line, "n");
      t.exact += field(line, "exact");
      t.inexact += field(line, "inexact");
      t.bad += field(line, "bad");
      t.lanes |= static_cast<unsigned long long>(field(line, "lanes"));
      if (field(line, "bad") != 0)
        v.problems.push_back(line);
    } else if (tag == "bin") {
      const double up = field(line, "up"), mean = fieldD(line, "mean"),
                   var = fieldD(line, "var");
      if (std::fabs(up - mean) > 6 * std::sqrt(var) + 1)
        v.problems.push_back(line + "  (beyond 6 sigma: |up - mean| > " +
                             std::to_string(6 * std::sqrt(var) + 1) + ")");
    } else if (!line.empty()) {
      v.problems.push_back("unexpected report line: " + line);
    }
  }
  return v;
}

std::string joined(const std::vector<std::string> &v) {
  std::string s;
  for (size_t i = 0; i < v.size() && i < 20; ++i)
    s += "  " + v[i] + "\n";
  return s;
}

// Runs exe under backend with the checker's report in a fresh file.
Verdict runChecked(const std::string &exe, const std::string &backend,
                   const std::string &tag) {
  const std::string out = freshDir("thirdparty_" + tag) + "/report.txt";
  Result r = run({exe}, {{"PRISM_BACKEND", backend}, {"PRISM_SEED", kSeed},
                         {"OP_CHECKER_OUT", out}},
                 "", 600);
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_TRUE(exists(out)) << "no report from " << exe;
  return judge(exists(out) ? readFile(out) : "");
}

} // namespace

TEST(ThirdPartySetup, BuildPrograms) {
  std::vector<std::function<std::string()>> jobs;
  for (const Config &c : kConfigs)
    jobs.push_back([&c] { return workload(c); });
  for (const char *e : kExamples)
    jobs.push_back([e] { return example(e); });
  buildAll(jobs);
}

class ThirdPartyWork
    : public ::testing::TestWithParam<std::tuple<Config, std::string>> {};

TEST_P(ThirdPartyWork, EveryLaneIsRdOrRuWithTheRightFrequencies) {
  const auto &[c, backend] = GetParam();
  if (std::string(c.march) == "-march=x86-64-v3" &&
      !__builtin_cpu_supports("avx2"))
    GTEST_SKIP() << "no AVX2 on this CPU";
  const std::string exe = workload(c);
  ASSERT_FALSE(exe.empty());
  Verdict v = runChecked(exe, backend, c.name + ("_" + backend));
  EXPECT_TRUE(v.problems.empty()) << joined(v.problems);
  // Every operation kind of each type ran, with inexact results to draw on.
  std::vector<std::string> want = {"add f32", "add f64", "sub f32", "sub f64",
                                   "mul f32", "mul f64", "div f32", "div f64",
                                   "sqrt f32", "sqrt f64", "trunc f32"};
  if (c.fma) {
    want.push_back("fma f32");
    want.push_back("fma f64");
  }
  for (const std::string &k : want) {
    EXPECT_GE(v.ops[k].inexact, 500) << k << ": too few inexact results";
    EXPECT_GT(v.ops[k].exact, 0) << k << ": no exact result";
  }
  // Vectors: Eigen's float and double kernels run 4 lanes and more.
  if (c.fma) {
    EXPECT_GE(v.ops["fma f32"].lanes, 1ull << 2);
    EXPECT_GE(v.ops["fma f64"].lanes, 1ull << 2);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Builds, ThirdPartyWork,
    ::testing::Combine(::testing::ValuesIn(kConfigs),
                       ::testing::Values(std::string("sr"), std::string("ud"))),
    [](const auto &info) {
      return std::get<0>(info.param).name + ("_" + std::get<1>(info.param));
    });

TEST(ThirdPartyExamples, UnmodifiedEigenExamplesRoundCorrectly) {
  for (const char *e : kExamples) {
    const std::string exe = example(e);
    ASSERT_FALSE(exe.empty());
    for (const char *backend : {"sr", "ud"}) {
      Verdict v = runChecked(exe, backend, std::string(e) + "_" + backend);
      EXPECT_TRUE(v.problems.empty()) << e << " " << backend << "\n"
                                      << joined(v.problems);
      long inexact = 0;
      for (auto &[k, t] : v.ops)
        inexact += t.inexact;
      EXPECT_GT(inexact, 0) << e << " " << backend << ": nothing checked";
    }
  }
}

// The checker must catch what it is there for: a result that is neither
// neighbour, and round-to-nearest passed off as sr (right neighbours, wrong
// frequencies).
TEST(OpChecker, ReportsWrongResults) {
  const std::string dir = freshDir("op_checker_self");
  writeFile(dir + "/wrong.c", R"(
#include <stdint.h>
#include <math.h>
void __prism_check(uint32_t, uint32_t, uint32_t, const void *, const void *,
                   const void *, const void *);
int main(void) {
  /* add f64: 1 + 2^-54 rounded to nearest, 2000 times: pUp = 1/4 */
  double a = 1, b = 0x1p-54, r = 1;
  for (int i = 0; i < 2000; ++i) __prism_check(0, 1, 64, &a, &b, 0, &r);
  /* mul f32: 3 * 0x1.555554p-2 is exactly 1 - 2^-24, not 1 + 2^-23 */
  float x = 3, y = 0x1.555554p-2f, z = 0x1.000002p0f;
  __prism_check(2, 1, 32, &x, &y, 0, &z);
  return 0;
}
)");
  const std::string exe =
      build("op_checker_self", {clangC(), dir + "/wrong.c", PRISM_OP_CHECKER_LIB,
                                "-Wl,-rpath," PRISM_OP_CHECKER_DIR});
  ASSERT_FALSE(exe.empty());
  Verdict v = runChecked(exe, "sr", "self");
  ASSERT_EQ(v.problems.size(), 3u) << joined(v.problems);
  EXPECT_TRUE(contains(v.problems[0], "bin add f64 2 n=2000 up=0"))
      << v.problems[0];
  EXPECT_TRUE(contains(v.problems[1], "op mul f32") &&
              contains(v.problems[1], "bad=1"))
      << v.problems[1];
  EXPECT_TRUE(contains(v.problems[2], "bad mul<float>")) << v.problems[2];
}
