// test_disable.cpp - the public API of prism.h: prism_disable()/prism_enable()
// are nestable and per thread (inside, sr computes exactly the native result,
// bit for bit), prism_backend_name(), prism_set_seed().
#include "e2e.h"

using namespace e2e;

namespace {

class Api : public ::testing::Test {
protected:
  void SetUp() override {
    std::string src = programsDir() + "/disable.c";
    exe_ = build("disable", {prismCC(), "-O2", "-pthread", src});
    // The native reference: same program, same flags, nothing instrumented.
    native_ = build("disable_noinst", {prismCC(), "-O2", "-pthread",
                                       "--prism-no-instrument", src});
    ASSERT_FALSE(exe_.empty() || native_.empty());
    Result n = run({native_}, {{"PRISM_BACKEND", "sr"}});
    ASSERT_EQ(n.status, 0) << n.describe();
    nat_ = labelled(n.out);
    ASSERT_TRUE(nat_.count("enabled0")) << n.out;
  }
  std::string exe_, native_;
  std::map<std::string, std::string> nat_;
};

const char *kDisabled[] = {"disabled1", "disabled2", "disabled3",
                           "thread_disabled"};
const char *kEnabled[] = {"enabled0", "enabled4", "enabled5",
                          "thread_enabled_while_main_disabled"};

TEST_F(Api, NativeReferenceIsUnperturbed) {
  for (auto &[label, rest] : nat_)
    if (label != "backend" && label != "seedcheck")
      EXPECT_EQ(rest, nat_["enabled0"]) << label;
  EXPECT_EQ(nat_["enabled0"].substr(0, 20), "sig=0000000000000000");
}

TEST_F(Api, DisabledRegionsAreNativeUnderSr) {
  for (const char *seed : {"1", "2", "3"}) {
    Result r = run({exe_}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", seed}});
    ASSERT_EQ(r.status, 0) << r.describe();
    auto m = labelled(r.out);
    EXPECT_EQ(m["backend"], "sr");
    for (const char *l : kDisabled) {
      ASSERT_TRUE(m.count(l)) << r.out;
      EXPECT_EQ(m[l], nat_[l])
          << l << " (seed " << seed << ") must be native bit for bit";
    }
    for (const char *l : kEnabled) {
      ASSERT_TRUE(m.count(l)) << r.out;
      EXPECT_NE(m[l].substr(0, 20), "sig=0000000000000000")
          << l << " (seed " << seed << ")";
      EXPECT_NE(m[l], nat_[l]) << l;
    }
  }
}

TEST_F(Api, EverythingNativeUnderIeee) {
  for (const Env &env : {Env{}, Env{{"PRISM_BACKEND", "ieee"}}}) {
    Result r = run({exe_}, env);
    ASSERT_EQ(r.status, 0) << r.describe();
    auto m = labelled(r.out);
    EXPECT_EQ(m["backend"], "ieee");
    for (auto &[label, rest] : nat_)
      if (label != "backend")
        EXPECT_EQ(m[label], rest) << label;
  }
}

TEST_F(Api, BackendNameIsReported) {
  EXPECT_EQ(labelled(run({exe_}, {{"PRISM_BACKEND", "sr"}}).out)["backend"],
            "sr");
  EXPECT_EQ(labelled(run({exe_}, {{"PRISM_BACKEND", "ieee"}}).out)["backend"],
            "ieee");
  EXPECT_EQ(labelled(run({exe_}).out)["backend"], "ieee");
  std::string path = pkgLibDir() + "/libprism-backend-sr.so";
  EXPECT_EQ(labelled(run({exe_}, {{"PRISM_BACKEND", path}}).out)["backend"],
            path);
}

TEST_F(Api, SetSeedRestartsTheStream) {
  // With PRISM_SEED=1234 the draws before and after prism_set_seed(1234) are
  // the same; with another seed they differ, and the reseeded part equals
  // the PRISM_SEED=1234 run.
  Result a = run({exe_}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "1234"}});
  Result b = run({exe_}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "99"}});
  ASSERT_EQ(a.status, 0) << a.describe();
  ASSERT_EQ(b.status, 0) << b.describe();
  auto ma = labelled(a.out), mb = labelled(b.out);
  std::string sa = ma["seedcheck"], sb = mb["seedcheck"];
  ASSERT_EQ(
      sa.size(),
      std::string("first=0123456789abcdef reseeded=0123456789abcdef").size())
      << sa;
  EXPECT_EQ(sa.substr(6, 16), sa.substr(32, 16)) << sa;
  EXPECT_NE(sb.substr(6, 16), sb.substr(32, 16)) << sb;
  EXPECT_EQ(sa.substr(32, 16), sb.substr(32, 16));
  EXPECT_NE(sa.substr(6, 16), "0000000000000000");
  // Everything after the reseed is the same in both runs (threads included).
  for (auto &[label, rest] : ma)
    if (label != "seedcheck")
      EXPECT_EQ(rest, mb[label]) << label;
}

} // namespace
