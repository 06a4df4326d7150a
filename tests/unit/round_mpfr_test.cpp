// round_mpfr_test.cpp - deterministic modes of roundExact(exactOp(...)) vs
// MPFR, bit for bit, for every operation on float and double storage and many
// target grids (virtual precisions, small formats, subnormals on and off).
#include "gen.h"
#include "mpfr_oracle.h"

#include <gtest/gtest.h>

namespace prism_test {
namespace {

struct SweepCase {
  Op op;
  bool isFloat;
};

std::string caseName(const ::testing::TestParamInfo<SweepCase> &i) {
  return std::string(opName(i.param.op)) + (i.param.isFloat ? "_float" : "_double");
}

class RoundVsMpfr : public ::testing::TestWithParam<SweepCase> {};

template <class T> void sweep(Op op, int perFormat, uint64_t seed) {
  Gen gen(seed);
  CheckStats st;
  for (const FormatSpec &f : sweepFormats<T>()) {
    for (int i = 0; i < perFormat; i++) {
      Inputs in;
      if (op != Op::Trunc && gen.coin(8)) { // raw random bits
        in = {gen.anyFinite<T>(), gen.anyFinite<T>(), gen.anyFinite<T>()};
        if (op == Op::Sqrt)
          in.a = std::fabs(in.a);
      } else {
        in = gen.operands<T>(op, gen.targetExponent<T>(f));
      }
      checkDeterministic<T>(op, in, f, st);
    }
  }
  std::printf("[ sweep    ] %s<%s>: %ld results checked\n", opName(op),
              std::is_same_v<T, float> ? "float" : "double", st.checked);
  EXPECT_EQ(st.failures, 0) << st.failures << " mismatches, first ones:\n"
                            << st.firstFailures;
  EXPECT_GT(st.checked, 0);
}

TEST_P(RoundVsMpfr, AllDeterministicModesAllFormats) {
  const SweepCase c = GetParam();
  const uint64_t seed = 0x9e3779b97f4a7c15ull * (1 + static_cast<int>(c.op)) +
                        (c.isFloat ? 1 : 0);
  constexpr int kPerFormat = 1500;
  if (c.isFloat)
    sweep<float>(c.op, kPerFormat, seed);
  else
    sweep<double>(c.op, kPerFormat, seed);
}

INSTANTIATE_TEST_SUITE_P(
    Ops, RoundVsMpfr,
    ::testing::Values(SweepCase{Op::Add, true}, SweepCase{Op::Add, false},
                      SweepCase{Op::Sub, true}, SweepCase{Op::Sub, false},
                      SweepCase{Op::Mul, true}, SweepCase{Op::Mul, false},
                      SweepCase{Op::Div, true}, SweepCase{Op::Div, false},
                      SweepCase{Op::Fma, true}, SweepCase{Op::Fma, false},
                      SweepCase{Op::Sqrt, true}, SweepCase{Op::Sqrt, false},
                      SweepCase{Op::Trunc, true}),
    caseName);

} // namespace
} // namespace prism_test
