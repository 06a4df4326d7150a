// test_quantize.cpp - Chopi integer quantization (prism/chop.h): the
// documented formulas on hand-computed cases, per tensor and per channel along
// any axis, every bit width, round trips, NaN / inf, stochastic rounding's
// mean, errors, and the C++ layer.
#include "test_util.h"

#include <gmock/gmock.h>

namespace chop_bulk_test {
namespace {

using testing::HasSubstr;

prism_quant_options qopts(int bits, bool symmetric, bool perChannel = false,
                          int axis = 0) {
  prism_quant_options o{};
  o.bits = bits;
  o.symmetric = symmetric;
  o.per_channel = perChannel;
  o.axis = axis;
  return o;
}

TEST(Quantize, SymmetricPerTensor) {
  const float x[] = {-1.0f, -0.5f, 0.0f, 0.25f, 1.0f};
  const size_t shape[] = {5};
  prism_quant_options o = qopts(8, true);
  int32_t q[5];
  double s;
  int32_t z;
  ASSERT_EQ(prism_quantize_f32(x, shape, 1, &o, q, &s, &z), 0);
  EXPECT_EQ(s, 1.0 / 127);
  EXPECT_EQ(z, 0);
  // x / s = -127, -63.5 (tie -> even -64), 0, 31.75, 127.
  EXPECT_THAT(q, testing::ElementsAre(-127, -64, 0, 32, 127));
  float back[5];
  ASSERT_EQ(prism_dequantize_f32(q, shape, 1, &o, &s, &z, back), 0);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(back[i], static_cast<float>(q[i] * (1.0 / 127)));
}

TEST(Quantize, AsymmetricPerTensor) {
  // alpha = min(0, 0) = 0, beta = 3, s = 3/255, z = -128 - rne(0) = -128.
  const double x[] = {0.0, 1.0, 2.0, 3.0};
  const size_t shape[] = {4};
  prism_quant_options o = qopts(8, false);
  int32_t q[4];
  double s;
  int32_t z;
  ASSERT_EQ(prism_quantize_f64(x, shape, 1, &o, q, &s, &z), 0);
  EXPECT_EQ(s, 3.0 / 255);
  EXPECT_EQ(z, -128);
  EXPECT_THAT(q, testing::ElementsAre(-128, -43, 42, 127));
  // With negatives: alpha = -1, beta = 3, s = 4/255, alpha/s = -63.75 -> -64,
  // z = -128 + 64 = -64; q(-1) = rne(-63.75) - 64 = -128, q(3) = 191 - 64.
  const double y[] = {-1.0, 3.0, 0.0};
  const size_t shape3[] = {3};
  int32_t qy[3];
  ASSERT_EQ(prism_quantize_f64(y, shape3, 1, &o, qy, &s, &z), 0);
  EXPECT_EQ(s, 4.0 / 255);
  EXPECT_EQ(z, -64);
  EXPECT_THAT(qy, testing::ElementsAre(-128, 127, -64));
  double back[3];
  ASSERT_EQ(prism_dequantize_f64(qy, shape3, 1, &o, &s, &z, back), 0);
  EXPECT_EQ(back[2], 0.0); // zero is exact
  EXPECT_EQ(back[0], (4.0 / 255) * -64);
}

// Per channel along every axis of a 3-D tensor, against per-tensor
// quantization of each channel's elements gathered by hand.
TEST(Quantize, PerChannelEveryAxis) {
  const size_t shape[] = {3, 4, 5};
  std::vector<float> x(60);
  std::mt19937_64 gen(1);
  std::normal_distribution<float> dist(0.5f, 2.0f);
  for (auto &v : x)
    v = dist(gen);
  for (bool sym : {false, true})
    for (int axis : {0, 1, 2, -1, -3}) {
      prism_quant_options o = qopts(6, sym, true, axis);
      const int ax = axis < 0 ? axis + 3 : axis;
      const size_t ch = prism_quant_channels(shape, 3, &o);
      ASSERT_EQ(ch, shape[ax]);
      std::vector<int32_t> q(60), zp(ch);
      std::vector<double> sc(ch);
      ASSERT_EQ(prism_quantize_f32(x.data(), shape, 3, &o, q.data(), sc.data(),
                                   zp.data()),
                0);
      size_t idx[3];
      for (size_t c = 0; c < ch; ++c) {
        std::vector<float> xs;
        std::vector<int32_t> qs;
        for (idx[0] = 0; idx[0] < 3; ++idx[0])
          for (idx[1] = 0; idx[1] < 4; ++idx[1])
            for (idx[2] = 0; idx[2] < 5; ++idx[2])
              if (idx[ax] == c) {
                const size_t flat = (idx[0] * 4 + idx[1]) * 5 + idx[2];
                xs.push_back(x[flat]);
                qs.push_back(q[flat]);
              }
        prism_quant_options t = qopts(6, sym);
        const size_t n = xs.size();
        std::vector<int32_t> expect(n);
        double s1;
        int32_t z1;
        ASSERT_EQ(
            prism_quantize_f32(xs.data(), &n, 1, &t, expect.data(), &s1, &z1),
            0);
        EXPECT_EQ(sc[c], s1) << "axis " << axis << " channel " << c;
        EXPECT_EQ(zp[c], z1) << "axis " << axis << " channel " << c;
        EXPECT_EQ(qs, expect) << "axis " << axis << " channel " << c;
      }
    }
}

// Every width: q in [qmin, qmax], the extremes are hit, and dequantization
// is within half a step of x (RNE).
TEST(Quantize, EveryBitWidthRoundTrip) {
  std::vector<double> x(2000);
  std::mt19937_64 gen(2);
  std::uniform_real_distribution<double> dist(-3.0, 5.0);
  for (auto &v : x)
    v = dist(gen);
  x[0] = -3.0;
  x[1] = 5.0;
  const size_t n = x.size();
  for (int bits = 2; bits <= 32; ++bits)
    for (bool sym : {false, true}) {
      prism_quant_options o = qopts(bits, sym);
      std::vector<int32_t> q(n);
      double s;
      int32_t z;
      ASSERT_EQ(prism_quantize_f64(x.data(), &n, 1, &o, q.data(), &s, &z), 0);
      const int64_t qmin = -(int64_t(1) << (bits - 1));
      const int64_t qmax = (int64_t(1) << (bits - 1)) - 1;
      const auto [mn, mx] = std::minmax_element(q.begin(), q.end());
      EXPECT_GE(*mn, qmin);
      EXPECT_LE(*mx, qmax);
      EXPECT_EQ(*mx, qmax) << bits << (sym ? " sym" : " asym");
      if (!sym)
        EXPECT_EQ(*mn, qmin) << bits;
      std::vector<double> back(n);
      ASSERT_EQ(prism_dequantize_f64(q.data(), &n, 1, &o, &s, &z, back.data()),
                0);
      for (size_t i = 0; i < n; ++i)
        ASSERT_LE(std::fabs(back[i] - x[i]), s * (0.5 + 1e-6) + 1e-12)
            << bits << " x=" << x[i];
    }
}

TEST(Quantize, SpecialValuesAndDegenerateRanges) {
  const float inf = std::numeric_limits<float>::infinity();
  const float x[] = {std::nanf(""), inf, -inf, 1.0f, -2.0f};
  const size_t shape[] = {5};
  prism_quant_options o = qopts(8, false);
  int32_t q[5];
  double s;
  int32_t z;
  ASSERT_EQ(prism_quantize_f32(x, shape, 1, &o, q, &s, &z), 0);
  EXPECT_EQ(s, 3.0 / 255); // non-finite values are ignored by calibration
  EXPECT_EQ(q[0], z);
  EXPECT_EQ(q[1], 127);
  EXPECT_EQ(q[2], -128);
  // All zeros: s = 1; symmetric z = 0, asymmetric z = qmin.
  const float zeros[] = {0.0f, 0.0f};
  const size_t two[] = {2};
  int32_t qz[2];
  ASSERT_EQ(prism_quantize_f32(zeros, two, 1, &o, qz, &s, &z), 0);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(z, -128);
  EXPECT_THAT(qz, testing::ElementsAre(-128, -128));
  o.symmetric = 1;
  ASSERT_EQ(prism_quantize_f32(zeros, two, 1, &o, qz, &s, &z), 0);
  EXPECT_EQ(s, 1.0);
  EXPECT_EQ(z, 0);
  // A scalar (ndim = 0, shape may be NULL).
  const double one = 0.75;
  int32_t q1;
  o = qopts(4, true);
  ASSERT_EQ(prism_quantize_f64(&one, nullptr, 0, &o, &q1, &s, &z), 0);
  EXPECT_EQ(q1, 7);
  EXPECT_EQ(s, 0.75 / 7);
  // Huge ranges do not overflow the scale.
  const double big[] = {-1.5e308, 1.5e308};
  ASSERT_EQ(prism_quantize_f64(big, two, 1, &(o = qopts(8, false)), qz, &s, &z),
            0);
  EXPECT_TRUE(std::isfinite(s));
  EXPECT_EQ(qz[0], -128);
  EXPECT_EQ(qz[1], 127);
}

// Calibrate on one tensor, apply to another (activations): out-of-range
// values clamp.
TEST(Quantize, CalibrateThenApply) {
  const float calib[] = {-1.0f, 1.0f};
  const size_t two[] = {2};
  prism_quant_options o = qopts(8, true);
  double s;
  int32_t z;
  ASSERT_EQ(prism_quant_calibrate_f32(calib, two, 1, &o, &s, &z), 0);
  const float act[] = {0.5f, 3.0f, -3.0f};
  const size_t three[] = {3};
  int32_t q[3];
  ASSERT_EQ(prism_quant_apply_f32(act, three, 1, &o, &s, &z, q), 0);
  EXPECT_THAT(q, testing::ElementsAre(64, 127, -128));
}

TEST(Quantize, OtherRoundingModes) {
  const double x[] = {-1.0, 0.3 / 127, -0.3 / 127, 2.5 / 127, 1.0};
  const size_t shape[] = {5};
  int32_t q[5];
  double s;
  int32_t z;
  auto run = [&](const char *mode) {
    prism_quant_options o = qopts(8, true);
    o.rounding = mode;
    EXPECT_EQ(prism_quantize_f64(x, shape, 1, &o, q, &s, &z), 0) << mode;
    return std::vector<int32_t>(q + 1, q + 4);
  };
  EXPECT_THAT(run("rne"), testing::ElementsAre(0, 0, 2));
  EXPECT_THAT(run("ru"), testing::ElementsAre(1, 0, 3));
  EXPECT_THAT(run("rd"), testing::ElementsAre(0, -1, 2));
  EXPECT_THAT(run("rz"), testing::ElementsAre(0, 0, 2));
  EXPECT_THAT(run("rna"), testing::ElementsAre(0, 0, 3));
  EXPECT_THAT(run("ro"), testing::ElementsAre(1, -1, 3));
}

// sr: E[q] = x / s, within 6 sigma.
TEST(Quantize, StochasticRoundingIsUnbiased) {
  const size_t n = 100001;
  std::vector<float> x(n, 0.3f);
  x[0] = 1.0f; // sets s = 1/127 (symmetric)
  prism_quant_options o = qopts(8, true);
  o.rounding = "sr";
  o.seed = 5;
  std::vector<int32_t> q(n);
  double s;
  int32_t z;
  ASSERT_EQ(prism_quantize_f32(x.data(), &n, 1, &o, q.data(), &s, &z), 0);
  const double v = 0.3f * 127.0;
  const double p = v - std::floor(v);
  size_t up = 0;
  for (size_t i = 1; i < n; ++i) {
    ASSERT_TRUE(q[i] == std::floor(v) || q[i] == std::floor(v) + 1);
    up += q[i] == std::floor(v) + 1;
  }
  EXPECT_LE(std::fabs(up - (n - 1) * p), 6 * std::sqrt((n - 1) * p * (1 - p)));
}

TEST(Quantize, Errors) {
  const float x[] = {1.0f, 2.0f};
  const size_t shape[] = {2};
  int32_t q[2];
  double s[2];
  int32_t z[2];
  prism_quant_options o = qopts(1, true);
  EXPECT_EQ(prism_quantize_f32(x, shape, 1, &o, q, s, z), PRISM_CHOP_E_BITS);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("bits=1"));
  o = qopts(33, true);
  EXPECT_EQ(prism_quantize_f32(x, shape, 1, &o, q, s, z), PRISM_CHOP_E_BITS);
  o = qopts(8, true, true, 1);
  EXPECT_EQ(prism_quantize_f32(x, shape, 1, &o, q, s, z), PRISM_CHOP_E_SHAPE);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("axis=1"));
  EXPECT_EQ(prism_quant_channels(shape, 1, &o), 0u);
  o = qopts(8, true, true, -2);
  EXPECT_EQ(prism_quantize_f32(x, shape, 1, &o, q, s, z), PRISM_CHOP_E_SHAPE);
  o = qopts(8, true, true, 0);
  EXPECT_EQ(prism_quantize_f32(x, nullptr, 0, &o, q, s, z), PRISM_CHOP_E_SHAPE);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("per_channel"));
  o = qopts(8, false);
  o.rounding = "floor";
  EXPECT_EQ(prism_quantize_f32(x, shape, 1, &o, q, s, z),
            PRISM_CHOP_E_ROUNDING);
  o = qopts(8, false);
  EXPECT_EQ(prism_quantize_f32(x, shape, 1, nullptr, q, s, z),
            PRISM_CHOP_E_NULL);
  EXPECT_EQ(prism_quantize_f32(x, nullptr, 1, &o, q, s, z), PRISM_CHOP_E_NULL);
  double bad_s = 0;
  int32_t good_z = 0;
  EXPECT_EQ(prism_quant_apply_f32(x, shape, 1, &o, &bad_s, &good_z, q),
            PRISM_CHOP_E_RANGE);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("scale[0]=0"));
  double good_s = 1;
  int32_t bad_z = 300;
  EXPECT_EQ(prism_dequantize_f32(q, shape, 1, &o, &good_s, &bad_z,
                                 const_cast<float *>(x)),
            PRISM_CHOP_E_RANGE);
  EXPECT_THAT(prism_chop_last_error(), HasSubstr("zero_point[0]=300"));
  o.symmetric = 1;
  int32_t nz = 3;
  EXPECT_EQ(prism_quant_apply_f32(x, shape, 1, &o, &good_s, &nz, q),
            PRISM_CHOP_E_RANGE);
}

TEST(Quantize, CppLayer) {
  std::vector<float> w = {-1.0f, 0.5f, 0.0f, 2.0f, 4.0f, -4.0f};
  prism_quant_options o = qopts(8, true, true, 0);
  prism::QuantizedTensor t = prism::quantize(w, {2, 3}, o);
  EXPECT_EQ(t.values.size(), 6u);
  ASSERT_EQ(t.scales.size(), 2u);
  EXPECT_EQ(t.scales[0], 1.0 / 127);
  EXPECT_EQ(t.scales[1], 4.0 / 127);
  std::vector<float> back = t.dequantize<float>();
  for (size_t i = 0; i < w.size(); ++i)
    EXPECT_NEAR(back[i], w[i], t.scales[i / 3] / 2);
  std::vector<double> backd = t.dequantize<double>();
  EXPECT_EQ(backd.size(), 6u);
  // Default options: Chopi(bits=8, symmetric=False), per tensor, 1-D.
  prism::QuantizedTensor d = prism::quantize(w);
  EXPECT_EQ(d.shape, std::vector<size_t>{6});
  EXPECT_EQ(d.zero_points.size(), 1u);
  EXPECT_THROW(prism::quantize(w, {4, 2}, o), prism::ChopError);
}

} // namespace
} // namespace chop_bulk_test
