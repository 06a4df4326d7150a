// test_init.cpp - the runtime initializes exactly once, early enough for
// floating-point work in static constructors, in several instrumented shared
// libraries, and in a library dlopen()ed later (also from a native program).
// Under sr every instrumented piece is perturbed; under ieee all is exact.
#include "e2e.h"

using namespace e2e;

namespace {

const char *kZeroSig = "sig=0000000000000000";

// Each output line is "label sig=... [sum=...]".
void expectAllPerturbed(const std::string &out,
                        const std::vector<std::string> &labels) {
  auto m = labelled(out);
  for (auto &l : labels) {
    ASSERT_TRUE(m.count(l)) << "missing line " << l << " in\n" << out;
    EXPECT_EQ(m[l].rfind("sig=", 0), 0u) << m[l];
    EXPECT_NE(m[l].substr(0, 20), kZeroSig) << l << " is not perturbed:\n"
                                            << out;
  }
}

// Runs under ieee (also unset) and sr; checks init-once with PRISM_VERBOSE.
void checkProgram(const std::vector<std::string> &prism_cmd,
                  const std::vector<std::string> &native_cmd,
                  const std::vector<std::string> &perturbed_labels,
                  const std::vector<std::string> &exact_labels = {}) {
  Result native = run(native_cmd);
  ASSERT_EQ(native.status, 0) << native.describe();

  Result unset = run(prism_cmd);
  EXPECT_EQ(unset.status, 0) << unset.describe();
  EXPECT_EQ(unset.out, native.out);
  Result ieee =
      run(prism_cmd, {{"PRISM_BACKEND", "ieee"}, {"PRISM_VERBOSE", "1"}});
  EXPECT_EQ(ieee.status, 0) << ieee.describe();
  EXPECT_EQ(ieee.out, native.out);
  EXPECT_EQ(countOccurrences(ieee.err, "backend="), 1u)
      << "runtime initialized once\n"
      << ieee.describe();

  Result sr = run(
      prism_cmd,
      {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "5"}, {"PRISM_VERBOSE", "1"}});
  ASSERT_EQ(sr.status, 0) << sr.describe();
  EXPECT_EQ(countOccurrences(sr.err, "backend=sr"), 1u)
      << "runtime initialized once\n"
      << sr.describe();
  EXPECT_EQ(lines(sr.err).size(), 1u) << sr.describe();
  expectAllPerturbed(sr.out, perturbed_labels);
  auto s = labelled(sr.out), n = labelled(native.out);
  for (auto &l : perturbed_labels)
    EXPECT_NE(s[l], n[l]) << l;
  for (auto &l : exact_labels)
    EXPECT_EQ(s[l], n[l]) << l << " is native code and must stay exact";

  Result again = run(prism_cmd, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "5"}});
  EXPECT_EQ(again.out, sr.out) << "same seed reproduces";
}

TEST(InitOnce, StaticConstructorBeforeMain) {
  std::string src = programsDir() + "/static_ctor.cpp";
  std::string p = build("static_ctor", {prismCXX(), "-O2", src});
  std::string n = build("static_ctor_native", {clangCXX(), "-O2", src});
  ASSERT_FALSE(p.empty() || n.empty());
  checkProgram({p}, {n}, {"ctor", "main"});
}

TEST(InitOnce, StaticConstructorBeforeMainAtO0) {
  std::string src = programsDir() + "/static_ctor.cpp";
  std::string p = build("static_ctor_O0", {prismCXX(), "-O0", src});
  std::string n = build("static_ctor_native_O0", {clangCXX(), "-O0", src});
  ASSERT_FALSE(p.empty() || n.empty());
  checkProgram({p}, {n}, {"ctor", "main"});
}

struct Libs {
  std::string a, b;
};

Libs buildLibs(const std::string &cc, const std::string &tag) {
  std::string src = programsDir() + "/sharedlib.c";
  return {build("liba" + tag + ".so",
                {cc, "-O2", "-shared", "-fPIC", "-DLIB=a", src}),
          build("libb" + tag + ".so",
                {cc, "-O2", "-shared", "-fPIC", "-DLIB=b", src})};
}

TEST(InitOnce, TwoInstrumentedSharedLibraries) {
  Libs pl = buildLibs(prismCC(), "");
  Libs nl = buildLibs(clangC(), "_native");
  ASSERT_FALSE(pl.a.empty() || pl.b.empty() || nl.a.empty() || nl.b.empty());
  std::string src = programsDir() + "/libs_main.c";
  std::string p = build("libs_main", {prismCC(), "-O2", src, pl.a, pl.b});
  std::string n = build("libs_main_native", {clangC(), "-O2", src, nl.a, nl.b});
  ASSERT_FALSE(p.empty() || n.empty());
  checkProgram({p}, {n}, {"main", "a_ctor", "b_ctor", "a", "b"});
}

TEST(InitOnce, InstrumentedLibrariesUnderNativeMain) {
  // Only the libraries are instrumented; libprism comes in as their
  // dependency and still initializes once, before the libraries' constructors.
  Libs pl = buildLibs(prismCC(), "");
  Libs nl = buildLibs(clangC(), "_native");
  ASSERT_FALSE(pl.a.empty() || pl.b.empty() || nl.a.empty() || nl.b.empty());
  std::string src = programsDir() + "/libs_main.c";
  std::string p =
      build("libs_main_native_main", {clangC(), "-O2", src, pl.a, pl.b});
  std::string n = build("libs_main_native", {clangC(), "-O2", src, nl.a, nl.b});
  ASSERT_FALSE(p.empty() || n.empty());
  checkProgram({p}, {n}, {"a_ctor", "b_ctor", "a", "b"}, {"main"});
}

TEST(InitOnce, LibraryDlopenedLater) {
  std::string lsrc = programsDir() + "/sharedlib.c",
              msrc = programsDir() + "/dl_main.c";
  std::string plib = build(
      "libdl.so", {prismCC(), "-O2", "-shared", "-fPIC", "-DLIB=dl", lsrc});
  std::string nlib = build("libdl_native.so", {clangC(), "-O2", "-shared",
                                               "-fPIC", "-DLIB=dl", lsrc});
  std::string p = build("dl_main", {prismCC(), "-O2", msrc, "-ldl"});
  std::string n = build("dl_main_native", {clangC(), "-O2", msrc, "-ldl"});
  ASSERT_FALSE(plib.empty() || nlib.empty() || p.empty() || n.empty());
  checkProgram({p, plib}, {n, nlib}, {"main", "dl_ctor", "dl"});
}

TEST(InitOnce, LibraryDlopenedByNativeProgram) {
  // The program knows nothing of prism: libprism is loaded by dlopen().
  std::string lsrc = programsDir() + "/sharedlib.c",
              msrc = programsDir() + "/dl_main.c";
  std::string plib = build(
      "libdl.so", {prismCC(), "-O2", "-shared", "-fPIC", "-DLIB=dl", lsrc});
  std::string nlib = build("libdl_native.so", {clangC(), "-O2", "-shared",
                                               "-fPIC", "-DLIB=dl", lsrc});
  std::string n = build("dl_main_native", {clangC(), "-O2", msrc, "-ldl"});
  ASSERT_FALSE(plib.empty() || nlib.empty() || n.empty());
  checkProgram({n, plib}, {n, nlib}, {"dl_ctor", "dl"}, {"main"});
}

} // namespace
