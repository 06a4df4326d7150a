// test_openmp.cpp - an OpenMP program (clang-19 -fopenmp, libomp) built with
// prism-cc: exact under ieee, perturbed under sr in every thread, and
// reproducible with PRISM_SEED (libomp creates its workers in order).
#include "e2e.h"

#include <set>

using namespace e2e;

namespace {

class OpenMP : public ::testing::Test {
protected:
  void SetUp() override {
    std::string src = programsDir() + "/omp.c";
    prism_ = build("omp", {prismCC(), "-O2", "-fopenmp", src, "-lm"});
    native_ = build("omp_native", {clangC(), "-O2", "-fopenmp", src, "-lm"});
    ASSERT_FALSE(prism_.empty() || native_.empty());
  }
  std::string prism_, native_;
};

TEST_F(OpenMP, IeeeIsNative) {
  for (const char *threads : {"2", "4"}) {
    Result n = run({native_}, {{"OMP_NUM_THREADS", threads}});
    ASSERT_EQ(n.status, 0) << n.describe();
    EXPECT_TRUE(contains(n.out, std::string("threads ") + threads + "\n"))
        << n.out;
    Result u = run({prism_}, {{"OMP_NUM_THREADS", threads}});
    EXPECT_EQ(u.out, n.out);
    Result i = run({prism_},
                   {{"OMP_NUM_THREADS", threads}, {"PRISM_BACKEND", "ieee"}});
    EXPECT_EQ(i.out, n.out);
    Result p =
        run({prism_},
            {{"OMP_NUM_THREADS", threads},
             {"PRISM_BACKEND", pkgLibDir() + "/libprism-backend-ieee.so"}});
    EXPECT_EQ(p.out, n.out) << "instrumented path through the ieee backend";
  }
}

TEST_F(OpenMP, SrPerturbsEveryThread) {
  Result n = run({native_}, {{"OMP_NUM_THREADS", "3"}});
  Result s = run(
      {prism_},
      {{"OMP_NUM_THREADS", "3"}, {"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "8"}});
  ASSERT_EQ(s.status, 0) << s.describe();
  auto m = labelled(s.out), nm = labelled(n.out);
  EXPECT_EQ(m["threads"], "3");
  EXPECT_NE(m["sum"], nm["sum"]) << s.out;
  std::set<std::string> sigs;
  for (const char *l : {"sig0", "sig1", "sig2"}) {
    ASSERT_TRUE(m.count(l)) << s.out;
    EXPECT_NE(m[l], "0000000000000000") << l;
    sigs.insert(m[l]);
  }
  EXPECT_EQ(sigs.size(), 3u) << "each OpenMP thread has its own stream\n"
                             << s.out;
}

TEST_F(OpenMP, SeedReproducesAndSeedsDiffer) {
  Env e{{"OMP_NUM_THREADS", "2"}, {"PRISM_BACKEND", "sr"}};
  auto with = [&](const char *seed) {
    Env x = e;
    x.push_back({"PRISM_SEED", seed});
    return run({prism_}, x);
  };
  Result a = with("21"), b = with("21"), c = with("22");
  ASSERT_EQ(a.status, 0) << a.describe();
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
}

} // namespace

namespace {

// ThreadSanitizer over an instrumented OpenMP program with 2 and 4 threads
// under every backend: the instrumented code (runtime calls, operand slots,
// per-thread streams) must not race. libarcher tells TSan about OpenMP's
// synchronization; the uninstrumented runtimes (libomp, libprism) are ignored.
TEST(ThreadSanitizer, OpenMpProgramHasNoRaces) {
  std::string src = programsDir() + "/omp.c";
  std::string exe = build("omp_tsan", {prismCC(), "-O2", "-g", "-fsanitize=thread",
                                       "-fopenmp", "-I" + programsDir(), src, "-lm"});
  ASSERT_FALSE(exe.empty());
  const std::string archer = "/usr/lib/llvm-19/lib/libarcher.so";
  for (const char *backend : {"ieee", "sr", "ud"})
    for (const char *threads : {"2", "4"}) {
      Env env{{"PRISM_BACKEND", backend},
              {"PRISM_SEED", "7"},
              {"OMP_NUM_THREADS", threads},
              {"TSAN_OPTIONS", "halt_on_error=1 exitcode=66 "
                               "ignore_noninstrumented_modules=1"}};
      if (exists(archer))
        env.push_back({"OMP_TOOL_LIBRARIES", archer});
      Result r = run({exe}, env);
      EXPECT_EQ(r.status, 0) << backend << " x" << threads << ": " << r.describe();
      EXPECT_EQ(r.err.find("ThreadSanitizer"), std::string::npos) << r.err;
      EXPECT_NE(r.out.find(std::string("threads ") + threads), std::string::npos)
          << r.out;
    }
}

} // namespace
