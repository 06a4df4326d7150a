// test_wrapper.cpp - prism-cc / prism-c++ as drop-in clang-19: every mode of
// the driver (-c, -S, -E, -M*, -shared, response files, several sources,
// assembler inputs, -x), the wrapper's own flags, and prism-config.
#include "e2e.h"

#include <sstream>

using namespace e2e;

namespace {

std::string wsrc(const std::string &f) {
  return programsDir() + "/wrapper/" + f;
}

std::vector<std::string> words(const std::string &s) {
  std::istringstream in(s);
  std::vector<std::string> w;
  std::string x;
  while (in >> x)
    w.push_back(x);
  return w;
}

// The program of programs/wrapper/ prints "sig=... helper=... answer=...".
struct Output {
  std::string sig, helper, answer;
};
Output parse(const std::string &out) {
  Output o;
  for (auto &w : words(out)) {
    if (w.rfind("sig=", 0) == 0)
      o.sig = w.substr(4);
    if (w.rfind("helper=", 0) == 0)
      o.helper = w.substr(7);
    if (w.rfind("answer=", 0) == 0)
      o.answer = w.substr(7);
  }
  return o;
}

const std::string kZero = "0000000000000000";

// Checks that `exe` runs, is exact under ieee and that main's probe (and
// helper's sum, when `helper_instrumented`) are perturbed under sr.
void expectInstrumented(const std::string &exe, bool main_instrumented = true,
                        bool helper_instrumented = true) {
  Result ieee = run({exe});
  ASSERT_EQ(ieee.status, 0) << ieee.describe();
  Output i = parse(ieee.out);
  EXPECT_EQ(i.sig, kZero) << ieee.out;
  EXPECT_EQ(i.answer, "42");
  // One seed can land on the IEEE value by chance (a sum of 1000 terms has a
  // spread of ~30 ulps): the helper counts as perturbed if any of 3 seeds is.
  Result sr = run({exe}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "3"}});
  ASSERT_EQ(sr.status, 0) << sr.describe();
  Output s = parse(sr.out);
  EXPECT_EQ(s.answer, "42");
  for (const char *seed : {"4", "5"}) {
    if (s.helper != i.helper)
      break;
    Result more = run({exe}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", seed}});
    ASSERT_EQ(more.status, 0) << more.describe();
    s.helper = parse(more.out).helper;
  }
  if (main_instrumented)
    EXPECT_NE(s.sig, kZero) << "main.c not instrumented\n" << sr.out;
  else
    EXPECT_EQ(s.sig, kZero) << "main.c instrumented\n" << sr.out;
  if (helper_instrumented)
    EXPECT_NE(s.helper, i.helper) << "helper.c not instrumented\n" << sr.out;
  else
    EXPECT_EQ(s.helper, i.helper) << "helper.c instrumented\n" << sr.out;
}

TEST(Wrapper, CompileOnlyThenLink) {
  std::string d = freshDir("wrapper_c");
  Result a = run({prismCC(), "-O2", "-c", wsrc("main.c"), "-o", d + "/main.o"});
  Result b =
      run({prismCC(), "-O2", "-c", wsrc("helper.c"), "-o", d + "/helper.o"});
  ASSERT_EQ(a.status, 0) << a.describe();
  ASSERT_EQ(b.status, 0) << b.describe();
  EXPECT_EQ(a.err, "") << "no unused-argument warnings with -c";
  Result nm = run({"nm", d + "/helper.o"});
  EXPECT_TRUE(contains(nm.out, "U __prism_f64_add")) << nm.out;
  EXPECT_TRUE(contains(nm.out, "U __prism_init")) << nm.out;
  Result l =
      run({prismCC(), d + "/main.o", d + "/helper.o", "-o", d + "/prog"});
  ASSERT_EQ(l.status, 0) << l.describe();
  expectInstrumented(d + "/prog");
  // Linking instrumented objects with prism-c++ works as well.
  Result lx =
      run({prismCXX(), d + "/main.o", d + "/helper.o", "-o", d + "/progxx"});
  ASSERT_EQ(lx.status, 0) << lx.describe();
  expectInstrumented(d + "/progxx");
}

TEST(Wrapper, EmitAssemblyAndIr) {
  std::string d = freshDir("wrapper_S");
  Result s =
      run({prismCC(), "-O2", "-S", wsrc("helper.c"), "-o", d + "/helper.s"});
  ASSERT_EQ(s.status, 0) << s.describe();
  EXPECT_EQ(s.err, "");
  std::string as = readFile(d + "/helper.s");
  EXPECT_TRUE(contains(as, "__prism_f64_add")) << as.substr(0, 3000);
  EXPECT_TRUE(contains(as, "__prism_mode"))
      << "ieee dispatch to the native clone";
  Result ll = run({prismCC(), "-O2", "-S", "-emit-llvm", wsrc("helper.c"), "-o",
                   d + "/helper.ll"});
  ASSERT_EQ(ll.status, 0) << ll.describe();
  EXPECT_TRUE(contains(readFile(d + "/helper.ll"), "@__prism_f64_add"));
  // The assembly assembles and links.
  Result l =
      run({prismCC(), wsrc("main.c"), d + "/helper.s", "-o", d + "/prog"});
  ASSERT_EQ(l.status, 0) << l.describe();
  expectInstrumented(d + "/prog");
}

TEST(Wrapper, PreprocessOnly) {
  std::string d = freshDir("wrapper_E");
  Result e = run({prismCC(), "-E", "-DHELPER_SCALE=7", wsrc("helper.c")});
  ASSERT_EQ(e.status, 0) << e.describe();
  EXPECT_EQ(e.err, "");
  EXPECT_TRUE(contains(e.out, "scale = 7;")) << e.out;
  Result eo = run({prismCC(), "-E", wsrc("uses_prism_h.c"), "-o", d + "/x.i"});
  ASSERT_EQ(eo.status, 0) << eo.describe();
  EXPECT_TRUE(contains(readFile(d + "/x.i"), "prism_backend_name"))
      << "prism.h found";
  Result dm = run({prismCC(), "-E", "-dM", "-x", "c", "/dev/null"});
  ASSERT_EQ(dm.status, 0) << dm.describe();
  EXPECT_TRUE(contains(dm.out, "#define __clang_major__ 19"))
      << dm.out.substr(0, 500);
}

TEST(Wrapper, DependencyOutput) {
  std::string d = freshDir("wrapper_M");
  Result m = run({prismCC(), "-M", wsrc("main.c")});
  ASSERT_EQ(m.status, 0) << m.describe();
  EXPECT_TRUE(contains(m.out, "main.o:")) << m.out;
  EXPECT_TRUE(contains(m.out, "sig.h")) << m.out;
  EXPECT_TRUE(contains(m.out, "stdio.h")) << m.out;
  EXPECT_EQ(m.err, "");

  Result mm = run({prismCC(), "-MM", wsrc("main.c")});
  ASSERT_EQ(mm.status, 0) << mm.describe();
  EXPECT_TRUE(contains(mm.out, "sig.h")) << mm.out;
  EXPECT_FALSE(contains(mm.out, "stdio.h")) << "-MM leaves out system headers\n"
                                            << mm.out;

  Result md =
      run({prismCC(), "-MD", "-c", wsrc("main.c"), "-o", d + "/main.o"});
  ASSERT_EQ(md.status, 0) << md.describe();
  EXPECT_TRUE(exists(d + "/main.o"));
  EXPECT_TRUE(contains(readFile(d + "/main.d"), "sig.h"));

  Result mf = run({prismCC(), "-MMD", "-MF", d + "/custom.dep", "-MT", "target",
                   "-c", wsrc("helper.c"), "-o", d + "/helper.o"});
  ASSERT_EQ(mf.status, 0) << mf.describe();
  EXPECT_TRUE(contains(readFile(d + "/custom.dep"), "target:"));

  // -MD while compiling and linking in one call.
  Result ml = run(
      {prismCC(), "-MD", wsrc("main.c"), wsrc("helper.c"), "-o", d + "/prog"},
      {}, d);
  ASSERT_EQ(ml.status, 0) << ml.describe();
  expectInstrumented(d + "/prog");
}

TEST(Wrapper, SharedLibrary) {
  std::string d = freshDir("wrapper_shared");
  Result s = run({prismCC(), "-O2", "-shared", "-fPIC", wsrc("helper.c"), "-o",
                  d + "/libhelper.so"});
  ASSERT_EQ(s.status, 0) << s.describe();
  Result re = run({"readelf", "-d", d + "/libhelper.so"});
  EXPECT_TRUE(contains(re.out, "libprism.so")) << "NEEDED libprism\n" << re.out;
  EXPECT_TRUE(contains(re.out, libDir())) << "RUNPATH to the runtime\n"
                                          << re.out;
  // A native program using the instrumented library.
  Result l = run({clangC(), "-O2", wsrc("main.c"), d + "/libhelper.so", "-o",
                  d + "/prog"});
  ASSERT_EQ(l.status, 0) << l.describe();
  expectInstrumented(d + "/prog", /*main=*/false, /*helper=*/true);
}

TEST(Wrapper, ResponseFiles) {
  std::string d = freshDir("wrapper_rsp");
  writeFile(d + "/link.rsp", "-O2 -DHELPER_SCALE=2\n" + wsrc("main.c") + "\n" +
                                 wsrc("helper.c") + "\n-o " + d + "/prog\n");
  Result l = run({prismCC(), "@" + d + "/link.rsp"});
  ASSERT_EQ(l.status, 0) << l.describe();
  expectInstrumented(d + "/prog");

  // -c inside the response file: the wrapper must not add link arguments
  // (clang would warn they are unused, an error under -Werror).
  writeFile(d + "/compile.rsp",
            "-O2 -c " + wsrc("helper.c") + " -o " + d + "/helper.o\n");
  Result c = run({prismCC(), "-Werror", "@" + d + "/compile.rsp"});
  ASSERT_EQ(c.status, 0) << c.describe();
  EXPECT_EQ(c.err, "");
  EXPECT_TRUE(exists(d + "/helper.o"));

  // Mixed: some arguments on the command line, some in the file.
  writeFile(d + "/flags.rsp", "-O1 -DHELPER_SCALE=3\n");
  Result m = run({prismCC(), "@" + d + "/flags.rsp", wsrc("main.c"),
                  wsrc("helper.c"), "-o", d + "/prog2"});
  ASSERT_EQ(m.status, 0) << m.describe();
  expectInstrumented(d + "/prog2");
}

TEST(Wrapper, SeveralSourcesInOneCall) {
  std::string d = freshDir("wrapper_multi");
  Result l = run(
      {prismCC(), "-O2", wsrc("main.c"), wsrc("helper.c"), "-o", d + "/prog"});
  ASSERT_EQ(l.status, 0) << l.describe();
  expectInstrumented(d + "/prog");
  // -c with several sources and no -o: one object each, in the cwd.
  Result c =
      run({prismCC(), "-O2", "-c", wsrc("main.c"), wsrc("helper.c")}, {}, d);
  ASSERT_EQ(c.status, 0) << c.describe();
  EXPECT_EQ(c.err, "");
  EXPECT_TRUE(exists(d + "/main.o") && exists(d + "/helper.o"));
  // Mixed C and C++ through prism-c++ (-x resets per file).
  writeFile(d + "/extra.cpp",
            "#include <vector>\nextern \"C\" double helper(int n);\n"
            "double twice(int n) { std::vector<double> v{helper(n)};"
            " return v[0] * 2; }\n");
  Result x =
      run({prismCXX(), "-O2", "-x", "c", wsrc("main.c"), wsrc("helper.c"), "-x",
           "none", d + "/extra.cpp", "-o", d + "/progxx"});
  ASSERT_EQ(x.status, 0) << x.describe();
  expectInstrumented(d + "/progxx");
}

TEST(Wrapper, AssemblerInputsPassThrough) {
  std::string d = freshDir("wrapper_asm");
  Result s = run({prismCC(), "-c", wsrc("answer.s"), "-o", d + "/answer.o"});
  ASSERT_EQ(s.status, 0) << s.describe();
  EXPECT_EQ(s.err, "");
  Result nm = run({"nm", d + "/answer.o"});
  EXPECT_TRUE(contains(nm.out, "T asm_answer")) << nm.out;
  Result S = run({prismCC(), "-c", wsrc("answer.S"), "-o", d + "/answerS.o"});
  ASSERT_EQ(S.status, 0) << S.describe();
  for (const std::string &asm_src :
       {wsrc("answer.s"), wsrc("answer.S"), d + "/answer.o"}) {
    Result l = run({prismCC(), "-O2", "-DWITH_ASM", wsrc("main.c"),
                    wsrc("helper.c"), asm_src, "-o", d + "/prog"});
    ASSERT_EQ(l.status, 0) << asm_src << "\n" << l.describe();
    expectInstrumented(d + "/prog");
  }
}

TEST(Wrapper, LanguageOverride) {
  std::string d = freshDir("wrapper_x");
  writeFile(d + "/main.txt", readFile(wsrc("main.c")));
  // main.c includes "../sig.h": found through -I from the copy.
  Result l =
      run({prismCC(), "-O2", "-I" + programsDir() + "/wrapper", "-x", "c",
           d + "/main.txt", "-x", "none", wsrc("helper.c"), "-o", d + "/prog"});
  ASSERT_EQ(l.status, 0) << l.describe();
  expectInstrumented(d + "/prog");
  // Source on stdin.
  Result in = sh("'" + prismCC() + "' -O2 -x c -c - -o '" + d +
                 "/stdin.o' < '" + wsrc("helper.c") + "'");
  ASSERT_EQ(in.status, 0) << in.describe();
  Result nm = run({"nm", d + "/stdin.o"});
  EXPECT_TRUE(contains(nm.out, "U __prism_f64_add")) << nm.out;
}

TEST(Wrapper, OtherDriverModes) {
  std::string d = freshDir("wrapper_modes");
  Result v = run({prismCC(), "--version"});
  EXPECT_EQ(v.status, 0) << v.describe();
  EXPECT_TRUE(contains(v.out, "clang version 19")) << v.out;
  Result fs = run({prismCC(), "-fsyntax-only", "-Wall", wsrc("helper.c")});
  EXPECT_EQ(fs.status, 0) << fs.describe();
  EXPECT_EQ(fs.err, "");
  Result pf = run({prismCC(), "-print-file-name=libc.so"});
  EXPECT_EQ(pf.status, 0) << pf.describe();
  Result h = run({prismCC(), "--prism-help"});
  EXPECT_EQ(h.status, 0) << h.describe();
  EXPECT_TRUE(contains(h.out, "--prism-exclude")) << h.out;
  Result ph = run({prismCC(), "-O2", wsrc("uses_prism_h.c"), "-o", d + "/ph"});
  ASSERT_EQ(ph.status, 0) << ph.describe();
  EXPECT_EQ(run({d + "/ph"}, {{"PRISM_BACKEND", "sr"}}).out, "sr\n");
  // A compile error is reported with clang's status.
  writeFile(d + "/bad.c", "int main(void) { return undeclared; }\n");
  Result bad = run({prismCC(), "-c", d + "/bad.c", "-o", d + "/bad.o"});
  EXPECT_EQ(bad.status, 1) << bad.describe();
  EXPECT_TRUE(contains(bad.err, "undeclared")) << bad.describe();
}

TEST(Wrapper, ShowCmdAndVerbose) {
  std::string d = freshDir("wrapper_show");
  Result c = run({prismCC(), "--prism-show-cmd", "-c", wsrc("helper.c"), "-o",
                  d + "/h.o"});
  ASSERT_EQ(c.status, 0) << c.describe();
  std::string plugin = pkgLibDir() + "/PrismPass.so";
  EXPECT_TRUE(contains(c.err, "clang")) << c.err;
  EXPECT_TRUE(contains(c.err, "-fpass-plugin=" + plugin)) << c.err;
  EXPECT_TRUE(contains(c.err, "helper.c")) << c.err;
  EXPECT_FALSE(contains(c.err, "-lprism")) << "no link arguments with -c\n"
                                           << c.err;
  EXPECT_TRUE(exists(d + "/h.o"));
  Result l = run({prismCC(), "--prism-show-cmd", d + "/h.o", wsrc("main.c"),
                  "-o", d + "/prog"});
  ASSERT_EQ(l.status, 0) << l.describe();
  EXPECT_TRUE(contains(l.err, "-lprism")) << l.err;
  expectInstrumented(d + "/prog");
  Result x = run({prismCXX(), "--prism-show-cmd", "-c", wsrc("helper.c"), "-o",
                  d + "/hx.o"});
  EXPECT_TRUE(contains(x.err, "clang++")) << "prism-c++ runs clang++\n"
                                          << x.err;
  Result v = run({prismCC(), "--prism-verbose", "-c", wsrc("helper.c"), "-o",
                  d + "/h2.o"});
  ASSERT_EQ(v.status, 0) << v.describe();
  EXPECT_TRUE(contains(v.err, plugin)) << v.err;
  EXPECT_TRUE(contains(v.err, libDir() + "/libprism.so")) << v.err;
}

TEST(Wrapper, NoInstrumentReportAndScopeFiles) {
  std::string d = freshDir("wrapper_scope");
  Result n = run({prismCC(), "-O2", "--prism-no-instrument", wsrc("main.c"),
                  wsrc("helper.c"), "-o", d + "/noinst"});
  ASSERT_EQ(n.status, 0) << n.describe();
  expectInstrumented(d + "/noinst", false, false);

  Result rep = run({prismCC(), "-O2", "--prism-report", "-c", wsrc("helper.c"),
                    "-o", d + "/h.o"});
  ASSERT_EQ(rep.status, 0) << rep.describe();
  EXPECT_TRUE(contains(rep.err, "prism-report:")) << rep.err;
  EXPECT_TRUE(contains(rep.err, "helper")) << rep.err;

  writeFile(d + "/helper.scope", "# helper only\n* helper\n");
  Result ex = run({prismCC(), "-O2", "--prism-exclude=" + d + "/helper.scope",
                   wsrc("main.c"), wsrc("helper.c"), "-o", d + "/excl"});
  ASSERT_EQ(ex.status, 0) << ex.describe();
  expectInstrumented(d + "/excl", true, false);
  Result in = run({prismCC(), "-O2", "--prism-include=" + d + "/helper.scope",
                   wsrc("main.c"), wsrc("helper.c"), "-o", d + "/incl"});
  ASSERT_EQ(in.status, 0) << in.describe();
  expectInstrumented(d + "/incl", false, true);

  Result missing = run(
      {prismCC(), "--prism-exclude=" + d + "/nope", "-c", wsrc("helper.c")});
  EXPECT_EQ(missing.status, 2) << missing.describe();
  EXPECT_TRUE(contains(missing.err, "nope")) << missing.err;
}

TEST(Wrapper, UnknownPrismOption) {
  Result r = run({prismCC(), "--prism-frobnicate", "-c", wsrc("helper.c")});
  EXPECT_EQ(r.status, 2) << r.describe();
  EXPECT_TRUE(contains(r.err, "--prism-frobnicate")) << r.err;
  EXPECT_TRUE(contains(r.err, "--prism-show-cmd")) << "lists what is accepted\n"
                                                   << r.err;
}

TEST(PrismConfig, Queries) {
  std::string cfg = binDir() + "/prism-config";
  Result p = run({cfg, "--prefix"});
  ASSERT_EQ(p.status, 0) << p.describe();
  EXPECT_EQ(p.out, prefixDir() + "\n");
  Result pl = run({cfg, "--plugin"});
  EXPECT_EQ(pl.out, pkgLibDir() + "/PrismPass.so\n");
  EXPECT_TRUE(exists(pkgLibDir() + "/PrismPass.so"));
  EXPECT_EQ(run({cfg, "--cc"}).out, prismCC() + "\n");
  EXPECT_EQ(run({cfg, "--cxx"}).out, prismCXX() + "\n");
  Result v = run({cfg, "--version"});
  EXPECT_EQ(v.status, 0);
  EXPECT_FALSE(lines(v.out).empty());
  Result c = run({cfg, "--cflags"});
  EXPECT_TRUE(contains(c.out, "-I" + includeDir())) << c.out;
  EXPECT_TRUE(contains(c.out, "-fpass-plugin=")) << c.out;
  Result l = run({cfg, "--libs"});
  EXPECT_TRUE(contains(l.out, "-lprism")) << l.out;
  Result both = run({cfg, "--cflags", "--libs"});
  EXPECT_EQ(words(both.out).size(), words(c.out).size() + words(l.out).size());
  Result none = run({cfg});
  EXPECT_EQ(none.status, 2) << none.describe();
  Result bad = run({cfg, "--bogus"});
  EXPECT_EQ(bad.status, 2) << bad.describe();
  EXPECT_TRUE(contains(bad.err, "--bogus"));
}

TEST(PrismConfig, BuildByHandWithClang) {
  std::string d = freshDir("prism_config_build");
  std::string cfg = binDir() + "/prism-config";
  std::vector<std::string> cmd{clangC(), "-O2"};
  for (auto &w : words(run({cfg, "--cflags"}).out))
    cmd.push_back(w);
  cmd.push_back(wsrc("main.c"));
  cmd.push_back(wsrc("helper.c"));
  for (auto &w : words(run({cfg, "--libs"}).out))
    cmd.push_back(w);
  cmd.push_back("-o");
  cmd.push_back(d + "/prog");
  Result b = run(cmd);
  ASSERT_EQ(b.status, 0) << b.describe();
  expectInstrumented(d + "/prog");
  // $(prism-config --cc) is a usable compiler.
  std::string cc_path = words(run({cfg, "--cc"}).out).at(0);
  Result cc = run(
      {cc_path, "-O2", wsrc("main.c"), wsrc("helper.c"), "-o", d + "/prog2"});
  ASSERT_EQ(cc.status, 0) << cc.describe();
  expectInstrumented(d + "/prog2");
}

} // namespace
