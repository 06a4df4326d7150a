// formats_test.cpp - reading run outputs (tools/sample/formats.h): text, CSV,
// NPY, raw f32/f64, auto-detection and PRISM_PROBES files.
#include "formats.h"
#include "report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

using namespace prism::sample;

namespace {

std::string npy(const std::string &descr, const std::string &shape,
                const void *data, std::size_t bytes, int version = 1,
                const std::string &fortran = "False") {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + fortran +
                       ", 'shape': " + shape + ", }";
  std::size_t pre = version == 1 ? 10 : 12;
  header.append((64 - (pre + header.size() + 1) % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY", 6);
  out += char(version);
  out += char(0);
  std::size_t len = header.size();
  for (std::size_t b = 0; b < (version == 1 ? 2u : 4u); b++)
    out += char((len >> (8 * b)) & 0xff);
  out += header;
  out.append(static_cast<const char *>(data), bytes);
  return out;
}

template <class T> std::string raw(const std::vector<T> &v) {
  return std::string(reinterpret_cast<const char *>(v.data()), v.size() * sizeof(T));
}

} // namespace

TEST(SampleFormats, TextDecimalHexNanInf) {
  Values v = parse_text("1.5 -2e-3\n0x1.8p+1\t nan -inf INF\n\n  1e400 -0\n");
  ASSERT_EQ(v.values.size(), 8u);
  EXPECT_EQ(v.values[0], 1.5);
  EXPECT_EQ(v.values[1], -2e-3);
  EXPECT_EQ(v.values[2], 3.0);
  EXPECT_TRUE(std::isnan(v.values[3]));
  EXPECT_EQ(v.values[4], -INFINITY);
  EXPECT_EQ(v.values[5], INFINITY);
  EXPECT_EQ(v.values[6], INFINITY); // beyond binary64: the nearest value
  EXPECT_TRUE(std::signbit(v.values[7]));
  EXPECT_EQ(v.precision, 53);
  EXPECT_TRUE(parse_text("").values.empty());
}

TEST(SampleFormats, TextErrorNamesLine) {
  try {
    parse_text("1\n2\nthree\n");
    FAIL() << "no error";
  } catch (const FormatError &e) {
    EXPECT_NE(std::string(e.what()).find("line 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'three'"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse_text("1,2"), FormatError);
}

TEST(SampleFormats, Csv) {
  Values v = parse_csv("x,y,z\n1, 2 ,3\n\"4\",5,\n6,,7\r\n");
  EXPECT_EQ(v.values, (std::vector<double>{1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(v.format, InputFormat::Csv);
  // No header: the first row is data.
  EXPECT_EQ(parse_csv("1,2\n3,4").values, (std::vector<double>{1, 2, 3, 4}));
  try {
    parse_csv("a,b\n1,2\n3,oops\n");
    FAIL() << "no error";
  } catch (const FormatError &e) {
    EXPECT_NE(std::string(e.what()).find("line 3, column 2"), std::string::npos)
        << e.what();
  }
}

TEST(SampleFormats, NpyFloat64And32) {
  std::vector<double> d = {1.5, -2.25, 1 + 0x1p-40};
  Values v = parse_npy(npy("<f8", "(3,)", d.data(), 24));
  EXPECT_EQ(v.values, d);
  EXPECT_EQ(v.precision, 53);
  std::vector<float> f = {1.5f, -2.25f, 1 + 0x1p-20f, 7.0f, 8.0f, 9.0f};
  Values w = parse_npy(npy("<f4", "(2, 3)", f.data(), 24));
  ASSERT_EQ(w.values.size(), 6u);
  EXPECT_EQ(w.values[2], double(1 + 0x1p-20f));
  EXPECT_EQ(w.precision, 24);
  // Scalar (shape ()), version 2 header.
  double one = 42;
  EXPECT_EQ(parse_npy(npy("<f8", "()", &one, 8, 2)).values,
            (std::vector<double>{42}));
}

TEST(SampleFormats, NpyIntegersBoolBigEndian) {
  std::vector<int32_t> i = {-3, 0, 7};
  EXPECT_EQ(parse_npy(npy("<i4", "(3,)", i.data(), 12)).values,
            (std::vector<double>{-3, 0, 7}));
  std::vector<uint8_t> u = {0, 255, 1};
  EXPECT_EQ(parse_npy(npy("|u1", "(3,)", u.data(), 3)).values,
            (std::vector<double>{0, 255, 1}));
  EXPECT_EQ(parse_npy(npy("|b1", "(3,)", u.data(), 3)).values,
            (std::vector<double>{0, 255, 1}));
  std::vector<int64_t> l = {int64_t(1) << 40};
  EXPECT_EQ(parse_npy(npy("<i8", "(1,)", l.data(), 8)).values,
            (std::vector<double>{0x1p40}));
  // 1.0 as a big-endian double: 3f f0 00 .. 00.
  const unsigned char be[8] = {0x3f, 0xf0, 0, 0, 0, 0, 0, 0};
  EXPECT_EQ(parse_npy(npy(">f8", "(1,)", be, 8)).values, (std::vector<double>{1.0}));
}

TEST(SampleFormats, NpyErrors) {
  std::vector<double> d = {1, 2};
  EXPECT_THROW(parse_npy(npy("<f8", "(3,)", d.data(), 16)), FormatError); // truncated
  EXPECT_THROW(parse_npy(npy("<f8", "(2,)", d.data(), 16, 1, "True")), FormatError);
  EXPECT_THROW(parse_npy(npy("<c16", "(1,)", d.data(), 16)), FormatError);
  EXPECT_THROW(parse_npy(npy("<f2", "(1,)", d.data(), 2)), FormatError);
  EXPECT_THROW(parse_npy("not an npy file"), FormatError);
}

TEST(SampleFormats, RawF32F64) {
  std::vector<float> f = {1.0f, 0.1f, -3.5f};
  Values v = parse_raw(raw(f), InputFormat::F32);
  ASSERT_EQ(v.values.size(), 3u);
  EXPECT_EQ(v.values[1], double(0.1f));
  EXPECT_EQ(v.precision, 24);
  std::vector<double> d = {0.1, -0.0};
  EXPECT_EQ(parse_raw(raw(d), InputFormat::F64).values[0], 0.1);
  EXPECT_THROW(parse_raw(std::string(7, '\0'), InputFormat::F64), FormatError);
  EXPECT_THROW(parse_raw(std::string(5, '\0'), InputFormat::F32), FormatError);
}

TEST(SampleFormats, AutoDetect) {
  std::vector<double> d = {1};
  EXPECT_EQ(detect_format(npy("<f8", "(1,)", d.data(), 8), "out"), InputFormat::Npy);
  EXPECT_EQ(detect_format("", "x.npy"), InputFormat::Npy);
  EXPECT_EQ(detect_format("", "x.f32"), InputFormat::F32);
  EXPECT_EQ(detect_format("", "x.F64"), InputFormat::F64);
  EXPECT_EQ(detect_format("1 2", "x.csv"), InputFormat::Csv);
  EXPECT_EQ(detect_format("1,2\n", ""), InputFormat::Csv);
  EXPECT_EQ(detect_format("1 2\n0x1p-3\n", ""), InputFormat::Text);
  EXPECT_THROW(detect_format(raw(std::vector<double>{0.1}), ""), FormatError);
  // parse_values dispatches on the detected format.
  EXPECT_EQ(parse_values("a,b\n1,2\n", InputFormat::Auto, "").values,
            (std::vector<double>{1, 2}));
  EXPECT_EQ(parse_values(raw(std::vector<double>{0.5}), InputFormat::Auto, "o.f64")
                .values,
            (std::vector<double>{0.5}));
  EXPECT_TRUE(parse_values("anything", InputFormat::None).values.empty());
}

TEST(SampleFormats, FormatNames) {
  for (const char *n : {"auto", "text", "csv", "npy", "f32", "f64", "none"}) {
    auto f = parse_format_name(n);
    ASSERT_TRUE(f) << n;
    EXPECT_STREQ(format_name(*f), n);
  }
  EXPECT_FALSE(parse_format_name("xml"));
}

TEST(SampleFormats, Probes) {
  auto p = parse_probes("energy 1.5\nloss total 0x1p-3\n\nenergy -2\nx nan\n");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].first, "energy");
  EXPECT_EQ(p[0].second, 1.5);
  EXPECT_EQ(p[1].first, "loss total"); // the name is all before the last blank
  EXPECT_EQ(p[1].second, 0.125);
  EXPECT_EQ(p[2].second, -2);
  EXPECT_TRUE(std::isnan(p[3].second));
  EXPECT_THROW(parse_probes("energy\n"), FormatError);
  EXPECT_THROW(parse_probes("energy high\n"), FormatError);
  EXPECT_TRUE(parse_probes("").empty());
}

TEST(SampleFormats, JsonAndHtmlEscapes) {
  EXPECT_EQ(json_string("a\"b\\c\n\x01"), "\"a\\\"b\\\\c\\n\\u0001\"");
  EXPECT_EQ(json_number(0.95), "0.95");
  EXPECT_EQ(json_number(1 + 0x1p-52), "1.0000000000000002");
  EXPECT_EQ(json_number(std::nan("")), "\"NaN\"");
  EXPECT_EQ(json_number(-INFINITY), "\"-Infinity\"");
  EXPECT_EQ(html_escape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
}
