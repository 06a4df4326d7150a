// native_test.cpp - the free oracle of SPEC.md: the chop target binary32 on
// float storage (and binary64 on double storage) with rne/ru/rd/rz, subnormals
// on and IEEE overflow, must equal the hardware's arithmetic under the same
// fesetround direction, bit for bit (overflow to FLT_MAX under rz, signed
// zeros, NaN included).
//
// Compiled with -frounding-math; the native operations run on volatile
// operands in noinline functions, so the compiler neither folds them nor
// moves them across fesetround. The chop rounding itself runs under
// FE_TONEAREST (its error-free transforms assume it).
#include "chop_ref.h"

#include <gtest/gtest.h>

#include <cfenv>

namespace chop_test {
namespace {

template <class T> [[gnu::noinline]] T nativeOp(Op op, T a, T b, T c) {
  volatile T va = a, vb = b, vc = c;
  switch (op) {
  case Op::Add: return va + vb;
  case Op::Sub: return va - vb;
  case Op::Mul: return va * vb;
  case Op::Div: return va / vb;
  case Op::Fma: return std::fma(static_cast<T>(va), static_cast<T>(vb), static_cast<T>(vc));
  case Op::Sqrt: return std::sqrt(static_cast<T>(va));
  case Op::Trunc: break;
  }
  return 0;
}

[[gnu::noinline]] float nativeTrunc(double a) {
  volatile double va = a;
  return static_cast<float>(va);
}

struct Dir {
  RoundingMode mode;
  int fe;
};
constexpr Dir kDirs[] = {{RoundingMode::RNE, FE_TONEAREST},
                         {RoundingMode::RU, FE_UPWARD},
                         {RoundingMode::RD, FE_DOWNWARD},
                         {RoundingMode::RZ, FE_TOWARDZERO}};

template <class T> void freeOracle(const std::string &format, uint64_t seed,
                                   int perOp) {
  Gen gen(seed);
  const TFormat f = formatByName(format);
  long checked = 0, failed = 0;
  std::string report;
  uint64_t rng[4] = {1, 2, 3, 4};
  prism::ChopRounder rounders[4];
  for (int d = 0; d < 4; d++)
    rounders[d] = makeRounder(format, Setting{kDirs[d].mode, true, false});
  std::vector<Inputs> inputs;
  for (double a : specialValues<T>())
    for (double b : specialValues<T>())
      inputs.push_back({a, b, 1.0});
  for (Op op : kAllOps) {
    if (op == Op::Trunc && !std::is_same_v<T, float>)
      continue;
    auto run = [&](const Inputs &raw) {
      const Inputs in = storageInputs<T>(op, raw);
      const prism::ExactValue<T> ev = coreExact<T>(op, in);
      for (int d = 0; d < 4; d++) {
        std::fesetround(kDirs[d].fe);
        T native;
        if constexpr (std::is_same_v<T, float>)
          native = op == Op::Trunc ? nativeTrunc(in.a)
                                   : nativeOp<T>(op, static_cast<T>(in.a),
                                                 static_cast<T>(in.b),
                                                 static_cast<T>(in.c));
        else
          native = nativeOp<T>(op, in.a, in.b, in.c);
        std::fesetround(FE_TONEAREST);
        const T got = rounders[d].round(ev, rng);
        checked++;
        if (!sameBits(got, native) && failed++ < 12)
          report += "  " + describe<T>(op, in) + " " + modeName(kDirs[d].mode) +
                    ": native " + hex(native) + ", chop " + hex(got) + "\n";
      }
    };
    for (const Inputs &in : inputs)
      run(in);
    for (int i = 0; i < perOp; i++)
      run(gen.forFormat<T>(op, f));
  }
  EXPECT_EQ(failed, 0) << format << " on " << typeName<T>() << ": " << failed
                       << " of " << checked << " differ from native:\n"
                       << report;
}

TEST(ChopNativeOracle, Binary32OnFloatEqualsFesetround) {
  freeOracle<float>("binary32", 11, 20000);
}

TEST(ChopNativeOracle, Binary64OnDoubleEqualsFesetround) {
  freeOracle<double>("binary64", 12, 20000);
}

// The custom spelling of binary32 is the same format.
TEST(ChopNativeOracle, E8m23OnFloatEqualsFesetround) {
  freeOracle<float>("e8m23", 13, 3000);
}

} // namespace
} // namespace chop_test
