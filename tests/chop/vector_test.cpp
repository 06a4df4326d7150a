// vector_test.cpp - the chop backend's vector entry points (v_add_f32 ...
// v_trunc_f64_f32 of its prism_backend table, the Highway kernels of
// backends/chop/chop_vector.h) against the MPFR reference of chop_ref.h and
// against the backend's own scalar entries, bit for bit, lane by lane.
//
// The backend library is loaded with dlopen and configured through its init
// entry, as the runtime does. Every format x deterministic mode x subnormals
// on/off x overflow inf/saturate, every operation on float and double storage,
// at lane counts 1..17, 31, 64 and 100 (full vectors of every ISA and odd
// tails), out of place and in place (r == a). sr and sr-uniform: every lane is
// one of the two neighbours, and the frequency of rounding up is right within
// 6 sigma at a fixed seed.
#include "chop_ref.h"
#include "prism/backend.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cmath>

namespace chop_test {
namespace {

// ------------------------------------------------------------- the backend

uint64_t g_rng[4];
uint64_t g_generation = 0;
uint64_t *hostRng() { return g_rng; }
uint64_t hostGeneration() { return g_generation; }
const prism_host kHost = {hostRng, hostGeneration};

const prism_backend *backend() {
  static const prism_backend *b = [] {
    const char *env = std::getenv("PRISM_CHOP_TEST_BACKEND");
    const char *path = env && *env && std::strchr(env, '/') ? env : PRISM_CHOP_BACKEND_SO;
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      std::fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
      std::abort();
    }
    auto entry = reinterpret_cast<prism_backend_entry_fn>(dlsym(h, "prism_backend_entry"));
    if (!entry)
      std::abort();
    return entry();
  }();
  return b;
}

// Configures the backend as PRISM_FORMAT=f PRISM_ROUNDING=... would.
void configure(const TFormat &f, const Setting &s, uint64_t seed = 1) {
  prism_config cfg{};
  cfg.precision_binary32 = 24;
  cfg.precision_binary64 = 53;
  cfg.seed = seed;
  cfg.format = f.name.c_str();
  cfg.rounding = modeName(s.mode);
  cfg.subnormals = s.subnormals;
  cfg.overflow_saturate = s.saturate;
  cfg.flip_prob = 0;
  char err[512] = "";
  prism_rng_seed(g_rng, seed, 0);
  g_generation++; // the backend's vector streams follow the new seed
  ASSERT_EQ(backend()->init(&kHost, &cfg, err, sizeof err), 0) << err;
}

// The vector entry of op on T, through arrays.
template <class T>
void vectorOp(Op op, T *r, const T *a, const T *b, const T *c, size_t n) {
  const prism_backend *k = backend();
  if constexpr (sizeof(T) == 4) {
    switch (op) {
    case Op::Add: return k->v_add_f32(r, a, b, n);
    case Op::Sub: return k->v_sub_f32(r, a, b, n);
    case Op::Mul: return k->v_mul_f32(r, a, b, n);
    case Op::Div: return k->v_div_f32(r, a, b, n);
    case Op::Fma: return k->v_fma_f32(r, a, b, c, n);
    case Op::Sqrt: return k->v_sqrt_f32(r, a, n);
    case Op::Trunc: break;
    }
  } else {
    switch (op) {
    case Op::Add: return k->v_add_f64(r, a, b, n);
    case Op::Sub: return k->v_sub_f64(r, a, b, n);
    case Op::Mul: return k->v_mul_f64(r, a, b, n);
    case Op::Div: return k->v_div_f64(r, a, b, n);
    case Op::Fma: return k->v_fma_f64(r, a, b, c, n);
    case Op::Sqrt: return k->v_sqrt_f64(r, a, n);
    case Op::Trunc: break;
    }
  }
  std::abort();
}

template <class T> T scalarOp(Op op, T a, T b, T c) {
  const prism_backend *k = backend();
  if constexpr (sizeof(T) == 4) {
    switch (op) {
    case Op::Add: return k->add_f32(a, b);
    case Op::Sub: return k->sub_f32(a, b);
    case Op::Mul: return k->mul_f32(a, b);
    case Op::Div: return k->div_f32(a, b);
    case Op::Fma: return k->fma_f32(a, b, c);
    case Op::Sqrt: return k->sqrt_f32(a);
    case Op::Trunc: break;
    }
  } else {
    switch (op) {
    case Op::Add: return k->add_f64(a, b);
    case Op::Sub: return k->sub_f64(a, b);
    case Op::Mul: return k->mul_f64(a, b);
    case Op::Div: return k->div_f64(a, b);
    case Op::Fma: return k->fma_f64(a, b, c);
    case Op::Sqrt: return k->sqrt_f64(a);
    case Op::Trunc: break;
    }
  }
  std::abort();
}

constexpr size_t kCounts[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                              14, 15, 16, 17, 31, 64, 100};
constexpr Op kVectorOps[] = {Op::Add, Op::Sub, Op::Mul, Op::Div, Op::Fma, Op::Sqrt};

// Operands for one call of n lanes: mostly aimed at f, some specials.
template <class T> std::vector<Inputs> operandsFor(Gen &gen, Op op, const TFormat &f,
                                                   size_t n) {
  static const std::vector<double> sp = specialValues<T>();
  std::vector<Inputs> v(n);
  for (auto &in : v) {
    if (gen.coin(12)) {
      in = {sp[gen.uniform(0, static_cast<int>(sp.size()) - 1)],
            sp[gen.uniform(0, static_cast<int>(sp.size()) - 1)],
            sp[gen.uniform(0, static_cast<int>(sp.size()) - 1)]};
      if (gen.coin(3))
        in.b = -in.a; // exact zero sums (their sign under rd)
    } else {
      in = gen.forFormat<T>(op, f);
    }
    in = storageInputs<T>(op, in);
  }
  return v;
}

struct Tally {
  long checked = 0, failed = 0;
  std::string report;
  void fail(const std::string &s) {
    if (failed++ < 12)
      report += "  " + s + "\n";
  }
};

// One call of n lanes (out of place, then in place), every lane against MPFR
// and against the scalar entry.
template <class T>
void checkCall(Op op, const TFormat &f, const Setting &s, const std::vector<Inputs> &in,
               Tally &t) {
  const size_t n = in.size();
  std::vector<T> a(n), b(n), c(n), r(n, T(-7));
  for (size_t i = 0; i < n; i++) {
    a[i] = static_cast<T>(in[i].a);
    b[i] = static_cast<T>(in[i].b);
    c[i] = static_cast<T>(in[i].c);
  }
  vectorOp<T>(op, r.data(), a.data(), b.data(), c.data(), n);
  std::vector<T> inplace = a;
  vectorOp<T>(op, inplace.data(), inplace.data(), b.data(), c.data(), n);
  for (size_t i = 0; i < n; i++) {
    const T want = expected<T>(op, in[i], f, s);
    const T scalar = scalarOp<T>(op, a[i], b[i], c[i]);
    t.checked++;
    std::string why;
    if (!sameBits(r[i], want))
      why = "got " + hex(r[i]);
    else if (!sameBits(inplace[i], want))
      why = "in place got " + hex(inplace[i]);
    else if (!sameBits(scalar, want))
      why = "scalar entry got " + hex(scalar);
    if (!why.empty())
      t.fail(describe<T>(op, in[i]) + " " + describe(f, s) + " lane " + std::to_string(i) +
             " of " + std::to_string(n) + ": want " + hex(want) + ", " + why);
  }
}

class ChopVector : public ::testing::TestWithParam<std::string> {};

std::string testName(const ::testing::TestParamInfo<std::string> &i) {
  std::string s = i.param;
  for (char &c : s)
    if (c == ':' || c == '.')
      c = '_';
  return s;
}

TEST_P(ChopVector, EveryLaneMatchesMpfrAndTheScalarEntry) {
  const TFormat f = formatByName(GetParam());
  uint64_t seed = 0x7ec;
  for (char ch : f.name)
    seed = seed * 131 + static_cast<unsigned char>(ch);
  Gen gen(seed);
  Tally tf, td, tt;
  for (RoundingMode m : kDeterministic)
    for (int combo = 0; combo < 4; combo++) {
      const Setting s{m, combo / 2 == 0, combo % 2 == 1};
      configure(f, s);
      for (size_t n : kCounts) {
        for (Op op : kVectorOps) {
          checkCall<double>(op, f, s, operandsFor<double>(gen, op, f, n), td);
          if (f.fitsFloat())
            checkCall<float>(op, f, s, operandsFor<float>(gen, op, f, n), tf);
        }
        if (!f.fitsFloat())
          continue;
        // double -> float
        std::vector<double> a(n);
        std::vector<float> r(n);
        for (auto &v : a)
          v = gen.coin(12) ? specialValues<double>()[gen.uniform(0, 19)]
                           : gen.forFormat<float>(Op::Trunc, f).a;
        backend()->v_trunc_f64_f32(r.data(), a.data(), n);
        for (size_t i = 0; i < n; i++) {
          const float want = expected<float>(Op::Trunc, {a[i], 0, 0}, f, s);
          const float scalar = backend()->trunc_f64_f32(a[i]);
          tt.checked++;
          if (!sameBits(r[i], want) || !sameBits(scalar, want))
            tt.fail("trunc(" + hex(a[i]) + ") " + describe(f, s) + ": want " + hex(want) +
                    ", got " + hex(r[i]) + " (scalar entry " + hex(scalar) + ")");
        }
      }
    }
  EXPECT_GT(td.checked, 0);
  EXPECT_EQ(td.failed, 0) << f.name << " double: " << td.failed << " of " << td.checked
                          << " lanes differ:\n"
                          << td.report;
  EXPECT_EQ(tf.failed, 0) << f.name << " float: " << tf.failed << " of " << tf.checked
                          << " lanes differ:\n"
                          << tf.report;
  EXPECT_EQ(tt.failed, 0) << f.name << " trunc: " << tt.failed << " of " << tt.checked
                          << " lanes differ:\n"
                          << tt.report;
  if (f.fitsFloat())
    EXPECT_GT(tf.checked + tt.checked, 0);
}

INSTANTIATE_TEST_SUITE_P(Formats, ChopVector, ::testing::ValuesIn(allFormatNames()),
                         testName);

// ------------------------------------------------------------ stochastic

// Every lane of sr / sr-uniform is one of the two neighbours of the exact
// result (exact results unchanged).
TEST(ChopVectorStochastic, LanesAreNeighbours) {
  for (const char *name : {"bfloat16", "binary16", "e4m3", "e2m1", "fixed:8.8", "e6m9",
                           "e11m40"}) {
    const TFormat f = formatByName(name);
    Gen gen(0x51 + f.name.size());
    Tally t;
    for (RoundingMode m : {RoundingMode::SR, RoundingMode::SRUniform})
      for (bool sub : {true, false}) {
        const Setting s{m, sub, false};
        configure(f, s, 99);
        for (size_t n : kCounts)
          for (Op op : kVectorOps) {
            auto one = [&](auto tag) {
              using T = decltype(tag);
              if (sizeof(T) == 4 && !f.fitsFloat())
                return;
              const auto in = operandsFor<T>(gen, op, f, n);
              std::vector<T> a(n), b(n), c(n), r(n);
              for (size_t i = 0; i < n; i++) {
                a[i] = static_cast<T>(in[i].a);
                b[i] = static_cast<T>(in[i].b);
                c[i] = static_cast<T>(in[i].c);
              }
              vectorOp<T>(op, r.data(), a.data(), b.data(), c.data(), n);
              for (size_t i = 0; i < n; i++) {
                const Exact x = exactOf(op, in[i]);
                t.checked++;
                if (x.cls != Exact::Finite) {
                  const T want = expected<T>(op, in[i], f, {RoundingMode::RNE, sub, false});
                  if (!sameBits(r[i], want))
                    t.fail(describe<T>(op, in[i]) + " " + describe(f, s) + ": want " +
                           hex(want) + ", got " + hex(r[i]));
                  continue;
                }
                const Neighbours nb = neighbours(x, f, s);
                if (!sameBits(r[i], static_cast<T>(nb.down)) &&
                    !sameBits(r[i], static_cast<T>(nb.up)))
                  t.fail(describe<T>(op, in[i]) + " " + describe(f, s) + ": got " +
                         hex(r[i]) + ", neighbours " + hex(nb.down) + " " + hex(nb.up));
              }
            };
            one(float{});
            one(double{});
          }
      }
    EXPECT_GT(t.checked, 0);
    EXPECT_EQ(t.failed, 0) << name << ": " << t.failed << " of " << t.checked
                           << " lanes off the neighbours:\n"
                           << t.report;
  }
}

// P(up) at a fixed seed: 1 + k/8 of a bf16 spacing (and its negative, and a
// binary16 subnormal), summed by an add with an exact error term, within
// 6 sigma; sr-uniform 1/2 on inexact values.
template <class T>
void frequency(const char *format, RoundingMode m, T a, T b, double pUp, T down, T up) {
  const TFormat f = formatByName(format);
  configure(f, {m, true, false}, 4242);
  constexpr size_t kN = 13; // odd: full vectors and a tail
  const int calls = 4000;
  std::vector<T> va(kN, a), vb(kN, b), r(kN);
  long ups = 0, total = 0;
  for (int k = 0; k < calls; k++) {
    vectorOp<T>(Op::Add, r.data(), va.data(), vb.data(), vb.data(), kN);
    for (T v : r) {
      ASSERT_TRUE(sameBits(v, down) || sameBits(v, up))
          << format << " " << modeName(m) << ": " << hex(v);
      ups += sameBits(v, up);
      total++;
    }
  }
  const double sigma = std::sqrt(total * pUp * (1 - pUp));
  EXPECT_NEAR(static_cast<double>(ups), total * pUp, 6 * sigma + 1e-9)
      << format << " " << modeName(m) << " " << typeName<T>() << " a=" << hex(a)
      << " b=" << hex(b);
}

TEST(ChopVectorStochastic, RoundsUpWithTheRightFrequency) {
  // bf16 spacing at 1 is 2^-7; b below float's resolution of a + b comes in
  // through the error term only when a + b is not representable.
  for (int k : {1, 3, 5}) {
    const double frac = k / 8.0;
    frequency<float>("bfloat16", RoundingMode::SR, 1.0f, static_cast<float>(frac * 0x1p-7),
                     frac, 1.0f, 1.0f + 0x1p-7f);
    frequency<double>("bfloat16", RoundingMode::SR, -1.0, -frac * 0x1p-7, frac, -1.0,
                      -1.0 - 0x1p-7);
  }
  // 1 + 2^-9 + 2^-60 is not a double: TwoSum's error term is nonzero.
  frequency<float>("bfloat16", RoundingMode::SR, 1.0f + 0x1p-9f, 0x1p-60f, 0.25, 1.0f,
                   1.0f + 0x1p-7f);
  // An exact double sum far below the storage ulp: 1 + 2^-60 (P = 2^-53).
  frequency<double>("bfloat16", RoundingMode::SR, 1.0, 0x1p-60, 0x1p-53, 1.0, 1.0 + 0x1p-7);
  // binary16 subnormals: spacing 2^-24; 0.75 of it.
  frequency<float>("binary16", RoundingMode::SR, 0x1p-24f, -0x1p-26f, 0.75, 0.0f, 0x1p-24f);
  frequency<double>("binary16", RoundingMode::SRUniform, 1.0, 0x1p-30, 0.5, 1.0,
                    1.0 + 0x1p-10);
}

} // namespace
} // namespace chop_test
