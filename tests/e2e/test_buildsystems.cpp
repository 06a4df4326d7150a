// test_buildsystems.cpp - unmodified projects build instrumented through the
// wrappers: CMake with CC/CXX=prism-cc/prism-c++ (and with the toolchain
// file, when the project has one) and autotools with ./configure CC=prism-cc.
// Configure checks and the projects' own tests pass; the programs are exact
// under ieee and perturbed under sr.
#include "e2e.h"

#include <cmath>
#include <cstdio>

using namespace e2e;

namespace {

std::string exactHarmonicLine() {
  volatile double one = 1.0;
  double s = 0;
  for (int i = 1; i <= 10000; i++)
    s += one / i;
  char buf[64];
  std::snprintf(buf, sizeof buf, "harmonic=%a", std::sqrt(s * s));
  return buf;
}

// Runs `exe` under ieee and three sr seeds.
void checkPerturbation(const std::string &exe) {
  Result ieee = run({exe}, {{"PRISM_BACKEND", "ieee"}});
  ASSERT_EQ(ieee.status, 0) << ieee.describe();
  EXPECT_TRUE(contains(ieee.out, "sig=0000000000000000 ")) << ieee.out;
  EXPECT_TRUE(contains(ieee.out, exactHarmonicLine()))
      << ieee.out << "want " << exactHarmonicLine();
  Result unset = run({exe});
  EXPECT_EQ(unset.out, ieee.out);

  std::vector<std::string> outs;
  for (const char *seed : {"1", "2", "3"}) {
    Result sr = run({exe}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", seed}});
    ASSERT_EQ(sr.status, 0) << sr.describe();
    EXPECT_FALSE(contains(sr.out, "sig=0000000000000000"))
        << "not instrumented?\n"
        << sr.out;
    EXPECT_NE(sr.out, ieee.out);
    for (auto &o : outs)
      EXPECT_NE(sr.out, o);
    outs.push_back(sr.out);
  }
  Result verbose =
      run({exe}, {{"PRISM_BACKEND", "sr"}, {"PRISM_VERBOSE", "1"}});
  EXPECT_EQ(countOccurrences(verbose.err, "backend=sr"), 1u)
      << verbose.describe();
}

// Value of NAME:TYPE=value in a CMakeCache.txt.
std::string cacheValue(const std::string &cache, const std::string &name) {
  for (auto &l : lines(cache))
    if (l.rfind(name + ":", 0) == 0)
      return l.substr(l.find('=') + 1);
  return "(not in the cache)";
}

void buildCMakeProject(const std::string &build_dir,
                       const std::vector<std::string> &extra, const Env &env) {
  std::string src = e2eSrcDir() + "/projects/cmake_proj";
  std::vector<std::string> cfg{"cmake",
                               "-S",
                               src,
                               "-B",
                               build_dir,
                               "-G",
                               "Unix Makefiles",
                               "-DCMAKE_BUILD_TYPE=Release"};
  cfg.insert(cfg.end(), extra.begin(), extra.end());
  Result c = run(cfg, env, build_dir, 300);
  ASSERT_EQ(c.status, 0) << c.describe();
  std::string cache = readFile(build_dir + "/CMakeCache.txt");
  EXPECT_EQ(cacheValue(cache, "CMAKE_C_COMPILER"), prismCC());
  EXPECT_EQ(cacheValue(cache, "CMAKE_CXX_COMPILER"), prismCXX());
  Result b = run({"cmake", "--build", build_dir, "-j2"}, env, build_dir, 300);
  ASSERT_EQ(b.status, 0) << b.describe();
  Result t = run({"ctest", "--test-dir", build_dir, "--output-on-failure"}, {},
                 build_dir, 300);
  ASSERT_EQ(t.status, 0) << t.describe();
  EXPECT_TRUE(contains(t.out, "100% tests passed")) << t.out;
}

TEST(BuildSystems, CMakeWithCcAndCxx) {
  std::string dir = freshDir("cmake_cc");
  buildCMakeProject(dir, {}, {{"CC", prismCC()}, {"CXX", prismCXX()}});
  if (HasFatalFailure())
    return;
  checkPerturbation(dir + "/app");
  checkPerturbation(dir + "/app_shared");
}

TEST(BuildSystems, CMakeWithToolchainFile) {
  std::string tc = sourceDir() + "/cmake/PrismToolchain.cmake";
  if (!exists(tc))
    GTEST_SKIP() << "cmake/PrismToolchain.cmake does not exist yet (SPEC.md "
                    "lists a toolchain "
                    "file for instrumented builds under cmake/)";
  std::string dir = freshDir("cmake_toolchain");
  // PRISM_PREFIX points the toolchain file at this build tree.
  buildCMakeProject(
      dir, {"-DCMAKE_TOOLCHAIN_FILE=" + tc, "-DPRISM_PREFIX=" + prefixDir()},
      {});
  if (HasFatalFailure())
    return;
  checkPerturbation(dir + "/app");
}

TEST(BuildSystems, Autotools) {
  std::string dir = freshDir("autotools");
  copyTree(e2eSrcDir() + "/projects/autotools_proj", dir);
  Result a = run({"autoreconf", "-i"}, {}, dir, 300);
  ASSERT_EQ(a.status, 0) << a.describe();
  Result c = run({"./configure", "CC=" + prismCC()}, {}, dir, 300);
  ASSERT_EQ(c.status, 0) << c.describe() << "\n"
                         << readFile(dir + "/config.log").substr(0, 20000);
  EXPECT_TRUE(contains(c.out, "checking whether the C compiler works... yes"))
      << c.out;
  EXPECT_TRUE(contains(c.out, "checking for fma... yes")) << c.out;
  EXPECT_TRUE(contains(c.out, "checking size of double... 8")) << c.out;
  Result m = run({"make", "-j2"}, {}, dir, 300);
  ASSERT_EQ(m.status, 0) << m.describe();
  Result k = run({"make", "check"}, {}, dir, 300);
  ASSERT_EQ(k.status, 0) << k.describe() << readFile(dir + "/test-suite.log");
  EXPECT_TRUE(contains(k.out, "PASS: selftest")) << k.out;
  checkPerturbation(dir + "/demo");
}

} // namespace
