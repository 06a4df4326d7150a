// test_fortran.cpp - prism-fc, the flang-new-19 wrapper. Fortran programs
// built natively (flang-new-19) and with prism-fc at -O0/-O2/-O3: under ieee
// the output is byte-identical to native (values printed as hex images); under
// sr two seeds differ from native and from each other, and every value stays
// close to the native one. Also: separate compilation, and an instrumented
// Fortran shared library called from a native C program (the BLAS use).
#include "e2e.h"

#include <cmath>
#include <cstdlib>
#include <sstream>

using namespace e2e;

namespace {

std::string flang() { return PRISM_E2E_FLANG; }
std::string prismFC() { return binDir() + "/prism-fc"; }
std::string fsrc(const std::string &f) {
  return programsDir() + "/fortran/" + f;
}

// Skips without flang-19 installed; fails if flang is there but prism-fc was
// not generated (it is whenever CMake found flang-new-19).
#define REQUIRE_FLANG()                                                        \
  do {                                                                         \
    if (flang().empty() || !exists(flang()))                                   \
      GTEST_SKIP() << "flang-new-19 not installed (scripts/setup.sh)";         \
    ASSERT_TRUE(exists(prismFC())) << prismFC();                               \
  } while (0)

// One output line of the programs: "name kind hex value".
struct Value {
  std::string name, hex;
  int kind = 0;
  double value = 0;
};

std::vector<Value> parse(const std::string &out) {
  std::vector<Value> v;
  for (auto &l : lines(out)) {
    std::istringstream in(l);
    Value x;
    std::string num;
    if (in >> x.name >> x.kind >> x.hex >> num) {
      x.value = std::strtod(num.c_str(), nullptr);
      v.push_back(x);
    }
  }
  return v;
}

// Every value of `sr` is within a few hundred ulps of native (relative 1e-10
// for real(8), 1e-4 for real(4)): perturbed, not broken.
void expectClose(const std::string &sr, const std::string &native) {
  auto s = parse(sr), n = parse(native);
  ASSERT_EQ(s.size(), n.size()) << sr << "\nvs native\n" << native;
  ASSERT_FALSE(n.empty()) << native;
  for (size_t i = 0; i < n.size(); i++) {
    EXPECT_EQ(s[i].name, n[i].name);
    double tol = n[i].kind == 8 ? 1e-10 : 1e-4;
    EXPECT_LE(std::fabs(s[i].value - n[i].value), tol * std::fabs(n[i].value))
        << n[i].name << ": sr " << s[i].value << " native " << n[i].value;
  }
}

// ieee (named, unset, by path) equals native; sr seeds 1 and 2 differ from
// native and from each other and stay close; a seed reproduces.
void expectIeeeNativeSrPerturbed(const std::string &prism,
                                 const std::string &native_out) {
  Result unset = run({prism});
  ASSERT_EQ(unset.status, 0) << unset.describe();
  EXPECT_EQ(unset.out, native_out) << "PRISM_BACKEND unset";
  Result ieee = run({prism}, {{"PRISM_BACKEND", "ieee"}});
  ASSERT_EQ(ieee.status, 0) << ieee.describe();
  EXPECT_EQ(ieee.out, native_out) << "PRISM_BACKEND=ieee";
  // By path every operation goes through the instrumented code.
  Result path = run(
      {prism}, {{"PRISM_BACKEND", pkgLibDir() + "/libprism-backend-ieee.so"}});
  ASSERT_EQ(path.status, 0) << path.describe();
  EXPECT_EQ(path.out, native_out) << "ieee backend loaded by path";

  Result sr1 = run({prism}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "1"}});
  Result sr2 = run({prism}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "2"}});
  ASSERT_EQ(sr1.status, 0) << sr1.describe();
  ASSERT_EQ(sr2.status, 0) << sr2.describe();
  EXPECT_NE(sr1.out, native_out) << "sr seed 1 not perturbed";
  EXPECT_NE(sr2.out, native_out) << "sr seed 2 not perturbed";
  EXPECT_NE(sr1.out, sr2.out) << "two seeds, one result";
  expectClose(sr1.out, native_out);
  expectClose(sr2.out, native_out);
  Result again = run({prism}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "1"}});
  EXPECT_EQ(again.out, sr1.out) << "same seed must reproduce";
}

class FortranLevels : public ::testing::TestWithParam<const char *> {};

TEST_P(FortranLevels, IeeeIsNativeAndSrIsPerturbed) {
  REQUIRE_FLANG();
  std::string level = GetParam();
  std::string tag = "fortran_numerics" + level;
  std::string native = build(tag + "_native", {flang(), level, fsrc("numerics.f90")});
  std::string prism = build(tag + "_prism", {prismFC(), level, fsrc("numerics.f90")});
  ASSERT_FALSE(native.empty() || prism.empty());
  Result n = run({native});
  ASSERT_EQ(n.status, 0) << n.describe();
  ASSERT_EQ(parse(n.out).size(), 10u) << n.out;
  expectIeeeNativeSrPerturbed(prism, n.out);
}

INSTANTIATE_TEST_SUITE_P(Fortran, FortranLevels,
                         ::testing::Values("-O0", "-O2", "-O3"),
                         [](const ::testing::TestParamInfo<const char *> &i) {
                           return std::string(i.param + 1);
                         });

TEST(Fortran, CompileOnlyThenLink) {
  REQUIRE_FLANG();
  std::string d = freshDir("fortran_c");
  // -c: no link arguments (flang would warn they are unused).
  Result c = run({prismFC(), "-O2", "-c", fsrc("numerics.f90"), "-o",
                  d + "/numerics.o"}, {}, d);
  ASSERT_EQ(c.status, 0) << c.describe();
  EXPECT_EQ(c.err, "");
  Result nm = run({"nm", d + "/numerics.o"});
  EXPECT_TRUE(contains(nm.out, "U __prism_f64_add")) << nm.out;
  EXPECT_TRUE(contains(nm.out, "U __prism_f32_div")) << nm.out;
  EXPECT_TRUE(contains(nm.out, "U __prism_init")) << nm.out;
  Result l = run({prismFC(), d + "/numerics.o", "-o", d + "/prog"});
  ASSERT_EQ(l.status, 0) << l.describe();
  Result re = run({"readelf", "-d", d + "/prog"});
  EXPECT_TRUE(contains(re.out, "libprism.so")) << re.out;
  EXPECT_TRUE(contains(re.out, libDir())) << "RUNPATH to the runtime\n" << re.out;
  std::string native =
      build("fortran_numerics-O2_native", {flang(), "-O2", fsrc("numerics.f90")});
  ASSERT_FALSE(native.empty());
  expectIeeeNativeSrPerturbed(d + "/prog", run({native}).out);
}

TEST(Fortran, SharedLibraryCalledFromC) {
  REQUIRE_FLANG();
  auto lib = [&](const std::string &fc) {
    return build("libkernels.so",
                 {fc, "-O2", "-shared", "-fPIC", fsrc("kernels.f90")});
  };
  std::string nlib = lib(flang()), plib = lib(prismFC());
  ASSERT_FALSE(nlib.empty() || plib.empty());
  Result re = run({"readelf", "-d", plib});
  EXPECT_TRUE(contains(re.out, "libprism.so")) << re.out;
  // The same native C program linked against each library.
  auto prog = [&](const std::string &tag, const std::string &so) {
    return build("kernels_main_" + tag,
                 {clangC(), "-O2", fsrc("kernels_main.c"), so,
                  "-Wl,-rpath," + so.substr(0, so.rfind('/'))});
  };
  std::string nexe = prog("native", nlib), pexe = prog("prism", plib);
  ASSERT_FALSE(nexe.empty() || pexe.empty());
  Result n = run({nexe});
  ASSERT_EQ(n.status, 0) << n.describe();
  ASSERT_EQ(parse(n.out).size(), 2u) << n.out;
  expectIeeeNativeSrPerturbed(pexe, n.out);
}

TEST(Fortran, WrapperFlags) {
  REQUIRE_FLANG();
  std::string d = freshDir("fortran_flags");
  Result v = run({prismFC(), "--version"});
  EXPECT_EQ(v.status, 0) << v.describe();
  EXPECT_TRUE(contains(v.out, "flang")) << v.out;
  EXPECT_EQ(run({binDir() + "/prism-config", "--fc"}).out, prismFC() + "\n");
  Result h = run({prismFC(), "--prism-help"});
  EXPECT_EQ(h.status, 0);
  EXPECT_TRUE(contains(h.out, "--prism-report")) << h.out;
  Result fs = run({prismFC(), "-fsyntax-only", fsrc("kernels.f90")}, {}, d);
  EXPECT_EQ(fs.status, 0) << fs.describe();
  EXPECT_EQ(fs.err, "");
  Result rep = run({prismFC(), "-O2", "--prism-report", "-c",
                    fsrc("kernels.f90"), "-o", d + "/k.o"});
  ASSERT_EQ(rep.status, 0) << rep.describe();
  EXPECT_TRUE(contains(rep.err, "prism-report:")) << rep.err;
  EXPECT_TRUE(contains(rep.err, "fdot_")) << rep.err;
  Result bad = run({prismFC(), "--prism-frobnicate", "-c", fsrc("kernels.f90")});
  EXPECT_EQ(bad.status, 2) << bad.describe();
  EXPECT_TRUE(contains(bad.err, "--prism-frobnicate")) << bad.err;
  // A compile error comes back with flang's status.
  writeFile(d + "/bad.f90", "program bad\n  x = undeclared(\nend program\n");
  Result err = run({prismFC(), "-c", d + "/bad.f90", "-o", d + "/bad.o"});
  EXPECT_NE(err.status, 0) << err.describe();
  EXPECT_NE(err.status, 2) << "flang's error, not the wrapper's";
}

} // namespace
