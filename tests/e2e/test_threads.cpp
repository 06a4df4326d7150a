// test_threads.cpp - per-thread random streams under sr: PRISM_SEED and the
// thread creation order make a run bit-reproducible; every thread has its own
// stream; different seeds give different runs.
#include "e2e.h"

#include <set>

using namespace e2e;

namespace {

struct ThreadProgram {
  const char *name;
  bool cxx;
  const char *source;
};

class Threads : public ::testing::TestWithParam<ThreadProgram> {
protected:
  std::string exe() {
    const ThreadProgram &p = GetParam();
    return build(p.name, {p.cxx ? prismCXX() : prismCC(), "-O2", "-pthread",
                          programsDir() + "/" + p.source});
  }
  static Result runSr(const std::string &exe, const std::string &seed) {
    return run({exe}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", seed}});
  }
};

TEST_P(Threads, SameSeedReproducesBitForBit) {
  std::string e = exe();
  ASSERT_FALSE(e.empty());
  Result a = runSr(e, "11");
  ASSERT_EQ(a.status, 0) << a.describe();
  for (int i = 0; i < 3; i++) {
    Result b = runSr(e, "11");
    ASSERT_EQ(b.status, 0) << b.describe();
    EXPECT_EQ(a.out, b.out) << "run " << i;
  }
}

TEST_P(Threads, EveryThreadHasItsOwnStream) {
  std::string e = exe();
  ASSERT_FALSE(e.empty());
  Result a = runSr(e, "11");
  ASSERT_EQ(a.status, 0) << a.describe();
  auto m = labelled(a.out);
  ASSERT_EQ(m.size(), 4u) << a.out;
  std::set<std::string> sigs, sums;
  for (auto &[label, rest] : m) {
    std::string sig = rest.substr(0, rest.find(' '));
    EXPECT_NE(sig, "sig=0000000000000000") << label << " not perturbed";
    sigs.insert(sig);
    sums.insert(rest.substr(rest.find(' ') + 1));
  }
  EXPECT_EQ(sigs.size(), 4u)
      << "main and the three threads must draw different numbers\n"
      << a.out;
  EXPECT_GE(sums.size(), 3u) << a.out;
}

TEST_P(Threads, DifferentSeedsDiffer) {
  std::string e = exe();
  ASSERT_FALSE(e.empty());
  auto a = labelled(runSr(e, "11").out);
  auto b = labelled(runSr(e, "12").out);
  auto c = labelled(runSr(e, "0x11").out); // 17
  ASSERT_EQ(a.size(), 4u);
  for (auto &[label, rest] : a) {
    EXPECT_NE(rest, b[label]) << label;
    EXPECT_NE(rest, c[label]) << label;
    EXPECT_NE(b[label], c[label]) << label;
  }
  auto d = labelled(runSr(e, "17").out);
  EXPECT_EQ(c, d) << "0x11 and 17 are the same seed";
}

TEST_P(Threads, IeeeIsExactInEveryThread) {
  std::string e = exe();
  ASSERT_FALSE(e.empty());
  Result r = run({e}, {{"PRISM_BACKEND", "ieee"}});
  ASSERT_EQ(r.status, 0) << r.describe();
  auto m = labelled(r.out);
  ASSERT_EQ(m.size(), 4u);
  for (auto &[label, rest] : m)
    EXPECT_EQ(rest, m["main"]) << label;
  EXPECT_EQ(m["main"].substr(0, 20), "sig=0000000000000000");
}

TEST_P(Threads, UnseededRunsDiffer) {
  std::string e = exe();
  ASSERT_FALSE(e.empty());
  Result a = run({e}, {{"PRISM_BACKEND", "sr"}});
  Result b = run({e}, {{"PRISM_BACKEND", "sr"}});
  ASSERT_EQ(a.status, 0) << a.describe();
  EXPECT_NE(a.out, b.out) << "without PRISM_SEED the seed is random";
}

const ThreadProgram kPrograms[] = {
    {"threads_pthread", false, "threads.c"},
    {"threads_std", true, "threads_std.cpp"},
};

INSTANTIATE_TEST_SUITE_P(Seeding, Threads, ::testing::ValuesIn(kPrograms),
                         [](const auto &info) {
                           return std::string(info.param.name);
                         });

} // namespace
