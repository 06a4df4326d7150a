// test_env.cpp - launch-time configuration: a bad PRISM_* value stops the
// program before main with one line naming the variable, the value and what
// is accepted (exit status 2); unknown PRISM_* variables are warned about.
#include "e2e.h"

using namespace e2e;

namespace {

std::string envProbe() {
  static std::string exe =
      build("env_probe", {prismCC(), "-O0", programsDir() + "/env_probe.c"});
  return exe;
}

struct BadValue {
  const char *var;
  const char *value;
};

class BadEnvValue : public ::testing::TestWithParam<BadValue> {};

TEST_P(BadEnvValue, StopsBeforeMainWithOneLine) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  const BadValue &p = GetParam();
  Result r = run({exe}, {{p.var, p.value}});
  EXPECT_EQ(r.status, 2) << r.describe();
  EXPECT_FALSE(contains(r.out, "main ran")) << "main must not run\n"
                                            << r.describe();
  auto ls = lines(r.err);
  ASSERT_EQ(ls.size(), 1u) << "exactly one line on stderr\n" << r.describe();
  std::string expected =
      std::string("prism: invalid ") + p.var + "='" + p.value + "' (accepted: ";
  EXPECT_EQ(ls[0].rfind(expected, 0), 0u)
      << "got: " << ls[0] << "\nwant prefix: " << expected;
  EXPECT_EQ(ls[0].back(), ')') << ls[0];
}

const BadValue kBadValues[] = {
    {"PRISM_PRECISION_BINARY32", "0"},
    {"PRISM_PRECISION_BINARY32", "25"},
    {"PRISM_PRECISION_BINARY32", "abc"},
    {"PRISM_PRECISION_BINARY32", ""},
    {"PRISM_PRECISION_BINARY32", "12x"},
    {"PRISM_PRECISION_BINARY64", "54"},
    {"PRISM_PRECISION_BINARY64", "-3"},
    {"PRISM_SEED", "-1"},
    {"PRISM_SEED", "xyz"},
    {"PRISM_SEED", "18446744073709551616"}, // 2^64
    {"PRISM_FORMAT", "e9m99"},
    {"PRISM_FORMAT", "binary8"},
    {"PRISM_ROUNDING", "up"},
    {"PRISM_SUBNORMALS", "maybe"},
    {"PRISM_OVERFLOW", "wrap"},
    {"PRISM_FLIP_PROB", "1.5"},
    {"PRISM_FLIP_PROB", "-0.1"},
    {"PRISM_VERBOSE", "2"},
    {"PRISM_INLINE", "no"},
    {"PRISM_BACKEND", "nonsense"},
    {"PRISM_BACKEND", ""},
};

std::string valueName(const ::testing::TestParamInfo<BadValue> &info) {
  std::string n =
      std::string(info.param.var).substr(6) + "_" + std::to_string(info.index);
  return n;
}

INSTANTIATE_TEST_SUITE_P(Env, BadEnvValue, ::testing::ValuesIn(kBadValues),
                         valueName);

TEST(Env, BadValueAlsoStopsAnUninstrumentedProgramLinkedWithPrism) {
  std::string exe =
      build("env_probe_noinst", {prismCC(), "-O0", "--prism-no-instrument",
                                 programsDir() + "/env_probe.c"});
  ASSERT_FALSE(exe.empty());
  Result r = run({exe}, {{"PRISM_ROUNDING", "up"}});
  EXPECT_EQ(r.status, 2) << r.describe();
  EXPECT_EQ(lines(r.err).size(), 1u) << r.describe();
}

TEST(Env, FirstBadVariableOnlyIsReported) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  Result r = run({exe}, {{"PRISM_ROUNDING", "up"}, {"PRISM_OVERFLOW", "wrap"}});
  EXPECT_EQ(r.status, 2) << r.describe();
  EXPECT_EQ(lines(r.err).size(), 1u) << r.describe();
}

TEST(Env, GoodValuesAreAccepted) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  const Env good[] = {
      {{"PRISM_BACKEND", "ieee"}},
      {{"PRISM_BACKEND", "sr"}, {"PRISM_PRECISION_BINARY32", "1"}},
      {{"PRISM_BACKEND", "sr"}, {"PRISM_PRECISION_BINARY64", "53"}},
      {{"PRISM_SEED", "0"}},
      {{"PRISM_SEED", "18446744073709551615"}},
      {{"PRISM_SEED", "0xdeadbeef"}},
      {{"PRISM_FORMAT", "bf16"}, {"PRISM_ROUNDING", "sr-uniform"}},
      {{"PRISM_FORMAT", "e5m10"}, {"PRISM_ROUNDING", "ro"}},
      {{"PRISM_FORMAT", "fixed:8.8"}},
      {{"PRISM_SUBNORMALS", "off"}, {"PRISM_OVERFLOW", "saturate"}},
      {{"PRISM_FLIP_PROB", "0"}, {"PRISM_VERBOSE", "0"}},
      {{"PRISM_FLIP_PROB", "1"}},
      {{"PRISM_SAMPLE_INDEX", "3"}},
  };
  for (const Env &env : good) {
    Result r = run({exe}, env);
    std::string what = env[0].first + "=" + env[0].second;
    EXPECT_EQ(r.status, 0) << what << "\n" << r.describe();
    EXPECT_TRUE(contains(r.out, "main ran")) << what << "\n" << r.describe();
    EXPECT_EQ(r.err, "") << what;
  }
}

TEST(Env, UnknownVariableIsWarnedAboutAndProgramRuns) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  Result r = run({exe}, {{"PRISM_FOO", "1"}});
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_TRUE(contains(r.out, "main ran")) << r.describe();
  auto ls = lines(r.err);
  ASSERT_EQ(ls.size(), 1u) << r.describe();
  EXPECT_TRUE(contains(ls[0], "PRISM_FOO")) << ls[0];
  EXPECT_TRUE(contains(ls[0], "warning")) << ls[0];

  // A typo of a real name: warned about, the real default applies.
  Result t = run({exe}, {{"PRISM_BACKNED", "sr"}});
  EXPECT_EQ(t.status, 0) << t.describe();
  EXPECT_TRUE(contains(t.err, "PRISM_BACKNED")) << t.describe();
  EXPECT_TRUE(contains(t.out, "backend=ieee")) << t.describe();
}

TEST(Env, VerbosePrintsBackendAndSeed) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  Result r = run({exe}, {{"PRISM_BACKEND", "sr"},
                         {"PRISM_SEED", "4242"},
                         {"PRISM_VERBOSE", "1"}});
  EXPECT_EQ(r.status, 0) << r.describe();
  EXPECT_EQ(countOccurrences(r.err, "backend=sr"), 1u) << r.describe();
  EXPECT_TRUE(contains(r.err, "4242")) << r.describe();

  Result q = run({exe}, {{"PRISM_BACKEND", "sr"}});
  EXPECT_EQ(q.err, "") << "silent without PRISM_VERBOSE\n" << q.describe();
}

// sr/ud at full precision run the inline clones unless PRISM_INLINE=off;
// virtual precisions below full and third-party backends never do.
TEST(Env, VerboseSaysWhenInline) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  auto verbose = [&](Env env) {
    env.push_back({"PRISM_VERBOSE", "1"});
    Result r = run({exe}, env);
    EXPECT_EQ(r.status, 0) << r.describe();
    return contains(r.err, "(inline)");
  };
  EXPECT_TRUE(verbose({{"PRISM_BACKEND", "sr"}}));
  EXPECT_TRUE(verbose({{"PRISM_BACKEND", "ud"}}));
  EXPECT_FALSE(verbose({{"PRISM_BACKEND", "sr"}, {"PRISM_INLINE", "off"}}));
  EXPECT_FALSE(
      verbose({{"PRISM_BACKEND", "sr"}, {"PRISM_PRECISION_BINARY64", "40"}}));
  EXPECT_FALSE(verbose({{"PRISM_BACKEND", "ieee"}}));
  EXPECT_FALSE(verbose({{"PRISM_BACKEND", "chop"}, {"PRISM_FORMAT", "bf16"}}));
  EXPECT_TRUE(verbose(
      {{"PRISM_BACKEND", pkgLibDir() + "/libprism-backend-sr.so"}}));
}

TEST(Env, BackendNameReported) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  EXPECT_TRUE(contains(run({exe}).out, "backend=ieee\n"));
  EXPECT_TRUE(
      contains(run({exe}, {{"PRISM_BACKEND", "ieee"}}).out, "backend=ieee\n"));
  EXPECT_TRUE(
      contains(run({exe}, {{"PRISM_BACKEND", "sr"}}).out, "backend=sr\n"));
}

} // namespace
