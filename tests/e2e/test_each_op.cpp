// test_each_op.cpp - every kind of instrumented operation (fadd, fsub, fmul,
// fdiv, fma, fmuladd, sqrt, fptrunc, reassociable reductions) on float and
// double, scalar and vector: under ieee each digest equals native; under sr
// each one changes across seeds, and a seed reproduces.
#include "e2e.h"

#include <cctype>
#include <map>
#include <set>

using namespace e2e;

namespace {

class EachOp : public ::testing::TestWithParam<const char *> {};

TEST_P(EachOp, SrChangesEveryOperationKind) {
  const std::string flags = GetParam();
  std::vector<std::string> cmd{flags == "-O0" ? "-O0" : "-O3"};
  if (flags != "-O0")
    cmd.push_back(flags);
  auto build_with = [&](const std::string &cc, const char *tag) {
    std::vector<std::string> c{cc};
    c.insert(c.end(), cmd.begin(), cmd.end());
    c.insert(c.end(), {programsDir() + "/each_op.c", "-lm"});
    return build(std::string("each_op_") + GetParam() + tag, c);
  };
  std::string native = build_with(clangC(), "_native");
  std::string prism = build_with(prismCC(), "_prism");
  ASSERT_FALSE(native.empty() || prism.empty());
  Result n = run({native});
  ASSERT_EQ(n.status, 0) << n.describe();
  Result i = run({prism}, {{"PRISM_BACKEND", "ieee"}});
  EXPECT_EQ(i.out, n.out);
  std::map<std::string, std::set<std::string>> seen; // op -> digests
  std::string first;
  for (const char *seed : {"1", "2", "3"}) {
    Result s = run({prism}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", seed}});
    ASSERT_EQ(s.status, 0) << s.describe();
    if (first.empty())
      first = s.out;
    for (const auto &[op, digest] : labelled(s.out))
      seen[op].insert(digest);
  }
  ASSERT_EQ(seen.size(), 17u) << first;
  // A reduction's result is one number whose sr noise is a few ulps: two of
  // three seeds may round it alike, so "changes with the seed" means at
  // least two different digests.
  for (const auto &[op, digests] : seen)
    EXPECT_GE(digests.size(), 2u) << op << " did not change with the seed";
  Result again = run({prism}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "1"}});
  EXPECT_EQ(again.out, first) << "same seed must reproduce";
}

INSTANTIATE_TEST_SUITE_P(Flags, EachOp,
                         ::testing::Values("-O0", "-march=x86-64",
                                           "-march=native"),
                         [](const auto &info) {
                           std::string s = info.param;
                           for (char &c : s)
                             if (!isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           return s;
                         });

} // namespace
