// test_backends.cpp - loading backends: built-in names, a path to a missing
// .so, a .so that is not a backend, a wrong ABI version or struct size, an
// init that refuses, and third-party backends built here and loaded by path.
#include "e2e.h"

#include <cstdio>

using namespace e2e;

namespace {

std::string envProbe() {
  static std::string exe =
      build("env_probe", {prismCC(), "-O0", programsDir() + "/env_probe.c"});
  return exe;
}

void expectOneLineExit2(const Result &r, const std::string &must_contain) {
  EXPECT_EQ(r.status, 2) << r.describe();
  EXPECT_FALSE(contains(r.out, "main ran")) << r.describe();
  EXPECT_EQ(lines(r.err).size(), 1u) << r.describe();
  EXPECT_TRUE(contains(r.err, must_contain))
      << "want '" << must_contain << "'\n"
      << r.describe();
  EXPECT_EQ(r.err.rfind("prism:", 0), 0u) << r.describe();
}

TEST(Backend, MissingSharedObject) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  std::string path = freshDir("backend_missing") + "/no-such-backend.so";
  Result r = run({exe}, {{"PRISM_BACKEND", path}});
  expectOneLineExit2(r, "cannot load");
  EXPECT_TRUE(contains(r.err, path)) << r.describe();
}

TEST(Backend, MissingRelativeSharedObject) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  Result r = run({exe}, {{"PRISM_BACKEND", "./nowhere/libnothing.so"}},
                 freshDir("backend_rel"));
  expectOneLineExit2(r, "cannot load");
}

TEST(Backend, NotABackend) {
  std::string exe = envProbe();
  std::string so = buildBackend("not_a_backend");
  ASSERT_FALSE(exe.empty() || so.empty());
  Result r = run({exe}, {{"PRISM_BACKEND", so}});
  expectOneLineExit2(r, "prism_backend_entry");
}

TEST(Backend, NotEvenASharedObject) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  std::string path = freshDir("backend_text") + "/text.so";
  writeFile(path, "this is not an ELF file\n");
  Result r = run({exe}, {{"PRISM_BACKEND", path}});
  expectOneLineExit2(r, "cannot load");
}

TEST(Backend, WrongAbiVersion) {
  std::string exe = envProbe();
  std::string so = buildBackend("wrong_abi");
  ASSERT_FALSE(exe.empty() || so.empty());
  Result r = run({exe}, {{"PRISM_BACKEND", so}});
  expectOneLineExit2(r, "ABI version");
  EXPECT_TRUE(contains(r.err, "99")) << "names the backend's version\n"
                                     << r.describe();
}

TEST(Backend, WrongStructSize) {
  std::string exe = envProbe();
  std::string so = buildBackend("wrong_size");
  ASSERT_FALSE(exe.empty() || so.empty());
  Result r = run({exe}, {{"PRISM_BACKEND", so}});
  EXPECT_EQ(r.status, 2) << r.describe();
  EXPECT_EQ(lines(r.err).size(), 1u) << r.describe();
  EXPECT_FALSE(contains(r.out, "main ran")) << r.describe();
}

TEST(Backend, InitFailureIsReported) {
  std::string exe = envProbe();
  std::string so = buildBackend("failing_init");
  ASSERT_FALSE(exe.empty() || so.empty());
  Result r = run({exe}, {{"PRISM_BACKEND", so}});
  expectOneLineExit2(r, "deliberate failure for the e2e test");
  EXPECT_TRUE(contains(r.err, "failing")) << r.describe();
}

TEST(Backend, ThirdPartyPlusOneByPath) {
  std::string exe = envProbe();
  std::string so = buildBackend("plus_one");
  ASSERT_FALSE(exe.empty() || so.empty());
  Result r = run({exe}, {{"PRISM_BACKEND", so}});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_EQ(r.err, "");
  // 1 + 2 (+1) = 4 in double and float.
  EXPECT_TRUE(contains(r.out, "add=0x1p+2 addf=0x1p+2\n")) << r.out;
  // Every addition of the sum gets +1: s = (s + 1/i) + 1.
  double s = 0;
  for (int i = 1; i <= 1000; i++) {
    volatile double q = 1.0 / i;
    volatile double t = s + q;
    s = t + 1.0;
  }
  char want[64];
  std::snprintf(want, sizeof want, "sum=%a\n", s);
  EXPECT_TRUE(contains(r.out, want)) << "want " << want << "got\n" << r.out;
  EXPECT_TRUE(contains(r.out, "backend=" + so + "\n")) << r.out;
}

TEST(Backend, ThirdPartyVectorEntryPoints) {
  // At -O3 -march=x86-64-v3 the loop of kernels.c-like code is vectorized:
  // the plus-one backend must see the vector additions too.
  std::string dir = freshDir("backend_vector");
  writeFile(dir + "/vadd.c",
            "#include <stdio.h>\n"
            "float a[64], b[64], c[64];\n"
            "__attribute__((noinline)) void vadd(void) {\n"
            "  for (int i = 0; i < 64; i++) c[i] = a[i] + b[i];\n}\n"
            "int main(void) {\n"
            "  for (int i = 0; i < 64; i++) { a[i] = i; b[i] = 2 * i; }\n"
            "  vadd();\n"
            "  double s = 0;\n"
            "  for (int i = 0; i < 64; i++) s = s - (double)c[i];\n"
            "  printf(\"%a\\n\", -s);\n  return 0;\n}\n");
  std::string exe =
      build("vadd", {prismCC(), "-O3", "-march=x86-64-v3", dir + "/vadd.c"});
  std::string so = buildBackend("plus_one");
  ASSERT_FALSE(exe.empty() || so.empty());
  Result rep = run({prismCC(), "-O3", "-march=x86-64-v3", "--prism-report",
                    "-c", dir + "/vadd.c", "-o", dir + "/vadd.o"});
  EXPECT_TRUE(contains(rep.err, "x8"))
      << "vector add instrumented as one call\n"
      << rep.describe();
  Result r = run({exe}, {{"PRISM_BACKEND", so}});
  ASSERT_EQ(r.status, 0) << r.describe();
  // sum over i of (3i + 1) = 3 * 2016 + 64 = 6112
  EXPECT_EQ(r.out, "0x1.7ep+12\n") << r.describe();
}

TEST(Backend, ThirdPartyCountingSeesEveryAdditionAndTheSettings) {
  std::string exe = envProbe();
  std::string so = buildBackend("counting");
  ASSERT_FALSE(exe.empty() || so.empty());
  Result r = run({exe}, {{"PRISM_BACKEND", so},
                         {"PRISM_SEED", "42"},
                         {"PRISM_PRECISION_BINARY32", "11"},
                         {"PRISM_PRECISION_BINARY64", "30"}});
  ASSERT_EQ(r.status, 0) << r.describe();
  EXPECT_EQ(countOccurrences(r.err, "counting-backend: init"), 1u)
      << r.describe();
  EXPECT_TRUE(contains(r.err, "init seed=42 p32=11 p64=30 rng=yes"))
      << r.describe();
  // env_probe.c at -O0: 1 + 1000 double additions, 1 float addition.
  EXPECT_TRUE(contains(r.err, "add_f32=1 add_f64=1001")) << r.describe();
  // Numbers are native: the counting backend does plain IEEE additions.
  Result native = run({exe});
  EXPECT_EQ(r.out.substr(r.out.find("add=")),
            native.out.substr(native.out.find("add=")));
}

TEST(Backend, BuiltinBackendByPathIsTheSame) {
  std::string exe = envProbe();
  ASSERT_FALSE(exe.empty());
  std::string ieee = pkgLibDir() + "/libprism-backend-ieee.so";
  std::string sr = pkgLibDir() + "/libprism-backend-sr.so";
  Result a = run({exe}, {{"PRISM_BACKEND", ieee}});
  Result b = run({exe}, {{"PRISM_BACKEND", "ieee"}});
  ASSERT_EQ(a.status, 0) << a.describe();
  EXPECT_EQ(a.out.substr(a.out.find("add=")), b.out.substr(b.out.find("add=")));
  Result c = run({exe}, {{"PRISM_BACKEND", sr}, {"PRISM_SEED", "9"}});
  Result d = run({exe}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "9"}});
  ASSERT_EQ(c.status, 0) << c.describe();
  EXPECT_EQ(c.out.substr(c.out.find("add=")), d.out.substr(d.out.find("add=")));
  EXPECT_NE(c.out.substr(c.out.find("sum=")), b.out.substr(b.out.find("sum=")));
}

} // namespace
