// e2e_test.cpp - the held-out program programs/chop_ops.c, built at build
// time with prism-cc twice (-O2, and -O3 -march=x86-64-v3 whose loops become
// AVX2 vector operations), run under PRISM_BACKEND=chop for formats x modes x
// subnormals x overflow settings; every printed result (scalar and vector
// add, sub, mul, div, fma, sqrt, fmuladd and the double->float cast) must
// equal the MPFR reference of chop_ref.h bit for bit. Also: stochastic
// rounding and soft errors end to end, and bad settings stop the program
// before main with one line and exit status 2.
#include "chop_ref.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <map>
#include <sstream>

extern char **environ;

namespace chop_test {
namespace {

// ------------------------------------------------------------- running

struct RunResult {
  int status = -1; // exit status; 128 + signal
  std::string out, err;
};

std::string slurp(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string scratch() {
  static const std::string dir = [] {
    std::string d = PRISM_CHOP_SCRATCH;
    mkdir(d.c_str(), 0755);
    return d;
  }();
  return dir;
}

// Runs exe with the environment minus every PRISM_* variable, plus env.
RunResult run(const std::string &exe, const std::vector<std::string> &args,
        const std::vector<std::pair<std::string, std::string>> &env) {
  std::vector<std::string> envs;
  for (char **e = environ; e && *e; ++e)
    if (std::string(*e).rfind("PRISM_", 0) != 0)
      envs.push_back(*e);
  for (auto &[k, v] : env)
    envs.push_back(k + "=" + v);
  std::vector<char *> argv{const_cast<char *>(exe.c_str())}, envp;
  for (auto &a : args)
    argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  for (auto &e : envs)
    envp.push_back(const_cast<char *>(e.c_str()));
  envp.push_back(nullptr);
  const std::string base = scratch() + "/run." + std::to_string(getpid());
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, (base + ".out").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, 2, (base + ".err").c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  RunResult r;
  pid_t pid;
  if (posix_spawn(&pid, exe.c_str(), &fa, nullptr, argv.data(), envp.data()) != 0) {
    r.err = "cannot run " + exe;
    posix_spawn_file_actions_destroy(&fa);
    return r;
  }
  posix_spawn_file_actions_destroy(&fa);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  unlink((base + ".out").c_str());
  unlink((base + ".err").c_str());
  return r;
}

struct Program {
  const char *name;
  std::string path;
  bool fusesMulAdd; // -march=x86-64-v3 has FMA: llvm.fmuladd rounds once
};

const Program kPrograms[] = {{"O2", PRISM_CHOP_PROGRAM_O2, false},
                             {"O3-x86-64-v3", PRISM_CHOP_PROGRAM_V3, true}};

// ------------------------------------------------------------- operands

template <class T> uint64_t bitsOf(T v) {
  if constexpr (sizeof(T) == 8) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return b;
  } else {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return b;
  }
}

// Writes the operand file of format f; 253 lines (not a multiple of any
// vector width: the loops' remainders run too).
std::string operandFile(const TFormat &f) {
  std::string path = scratch() + "/operands-";
  for (char c : f.name)
    path += (c == ':' || c == '.') ? '_' : c;
  path += ".txt";
  Gen gen(0xe2e0 + f.name.size() * 31 + static_cast<unsigned char>(f.name.back()));
  // Written under a private name and renamed: tests running in parallel
  // (ctest -j) write the same file, with the same content.
  const std::string tmp = path + "." + std::to_string(getpid()) + ".tmp";
  std::ofstream o(tmp);
  const double specials[][3] = {{0.0, -0.0, 0.0},  {-0.0, -0.0, -0.0},
                                {HUGE_VAL, 1, -HUGE_VAL}, {NAN, 2, 3},
                                {1.5, 1.5, -2.25}, {f.xmax, 2, f.xmax},
                                {-f.xmax, 1.0, 0x1p-30}, {1, 0, 1}};
  char line[128];
  int lines = 0;
  for (auto &s : specials) {
    std::snprintf(line, sizeof line, "%016llx %016llx %016llx %08llx %08llx %08llx\n",
                  (unsigned long long)bitsOf(s[0]), (unsigned long long)bitsOf(s[1]),
                  (unsigned long long)bitsOf(s[2]),
                  (unsigned long long)bitsOf(static_cast<float>(s[0])),
                  (unsigned long long)bitsOf(static_cast<float>(s[1])),
                  (unsigned long long)bitsOf(static_cast<float>(s[2])));
    o << line;
    lines++;
  }
  for (; lines < 253; lines++) {
    const Op opd = kAllOps[gen.uniform(0, 6)], opf = kAllOps[gen.uniform(0, 6)];
    const Inputs d = gen.forFormat<double>(opd, f);
    const Inputs s = storageInputs<float>(opf, gen.forFormat<float>(opf, f));
    std::snprintf(line, sizeof line, "%016llx %016llx %016llx %08llx %08llx %08llx\n",
                  (unsigned long long)bitsOf(d.a), (unsigned long long)bitsOf(d.b),
                  (unsigned long long)bitsOf(d.c),
                  (unsigned long long)bitsOf(static_cast<float>(s.a)),
                  (unsigned long long)bitsOf(static_cast<float>(s.b)),
                  (unsigned long long)bitsOf(static_cast<float>(s.c)));
    o << line;
  }
  o.close();
  std::rename(tmp.c_str(), path.c_str());
  return path;
}

// ------------------------------------------------------------- checking

struct Line {
  std::string kind, op, type;
  double a, b, c, r;
};

bool parseLine(const std::string &s, Line *l) {
  std::istringstream in(s);
  std::string a, b, c, r;
  if (!(in >> l->kind >> l->op >> l->type >> a >> b >> c >> r))
    return false;
  l->a = std::strtod(a.c_str(), nullptr);
  l->b = std::strtod(b.c_str(), nullptr);
  l->c = std::strtod(c.c_str(), nullptr);
  l->r = std::strtod(r.c_str(), nullptr);
  return true;
}

Op opByName(const std::string &s) {
  for (Op op : kAllOps)
    if (s == opName(op))
      return op;
  return Op::Fma; // muladd is handled by the caller
}

// The reference of one printed line under a deterministic setting.
template <class T>
T lineReference(const Line &l, const TFormat &f, const Setting &s, bool fuses) {
  const Inputs in{l.a, l.b, l.c};
  if (l.op == "muladd" && !fuses) { // mul then add, each rounded
    const T p = expected<T>(Op::Mul, in, f, s);
    return expected<T>(Op::Add, {static_cast<double>(p), l.c, 0}, f, s);
  }
  return expected<T>(opByName(l.op), in, f, s);
}

struct Outcome {
  long lines = 0, failed = 0;
  std::string report;
  void fail(const std::string &s) {
    if (failed++ < 10)
      report += "  " + s + "\n";
  }
};

// PRISM_BACKEND of the runs: "chop", or the path of another build of the chop
// backend given in PRISM_CHOP_TEST_BACKEND (to check a fix without touching
// the build tree).
std::string backend() {
  const char *b = std::getenv("PRISM_CHOP_TEST_BACKEND");
  return b && *b ? b : "chop";
}

std::vector<std::pair<std::string, std::string>>
envFor(const TFormat &f, const Setting &s) {
  return {{"PRISM_BACKEND", backend()},
          {"PRISM_FORMAT", f.name},
          {"PRISM_ROUNDING", modeName(s.mode)},
          {"PRISM_SUBNORMALS", s.subnormals ? "on" : "off"},
          {"PRISM_OVERFLOW", s.saturate ? "saturate" : "inf"}};
}

// Runs one program under one setting and checks every line with `check`.
template <class Check>
void runAndCheck(const Program &p, const std::string &operands, const TFormat &f,
                 const Setting &s,
                 const std::vector<std::pair<std::string, std::string>> &extraEnv,
                 Outcome &o, Check check) {
  auto env = envFor(f, s);
  env.insert(env.end(), extraEnv.begin(), extraEnv.end());
  // A format wider than float: the program's double operations only (its
  // float operations would stop it, see WiderThanFloat below).
  const bool floats = f.fitsFloat();
  std::vector<std::string> args{operands};
  if (!floats)
    args.push_back("double");
  const RunResult r = run(p.path, args, env);
  const std::string what = std::string(p.name) + " " + describe(f, s);
  if (r.status != 0) {
    o.fail(what + ": exit status " + std::to_string(r.status) + ": " + r.err);
    return;
  }
  // The operands as written: the program must print them unchanged (loads
  // and conversions for printing are not rounded).
  std::vector<std::array<uint64_t, 6>> written;
  {
    std::ifstream in(operands);
    std::array<uint64_t, 6> w;
    while (in >> std::hex >> w[0] >> w[1] >> w[2] >> w[3] >> w[4] >> w[5])
      written.push_back(w);
  }
  std::map<std::string, size_t> index; // per kind/op/type: the operand line
  std::istringstream lines(r.out);
  std::string text;
  long n = 0;
  while (std::getline(lines, text)) {
    Line l;
    if (!parseLine(text, &l)) {
      o.fail(what + ": unparsable line '" + text + "'");
      continue;
    }
    n++;
    o.lines++;
    const size_t i = index[l.kind + l.op + l.type]++;
    if (i >= written.size()) {
      o.fail(what + ": too many lines for " + l.op);
      continue;
    }
    const auto &w = written[i];
    bool same;
    if (l.op == "trunc")
      same = bitsOf(l.a) == w[0];
    else if (l.type == "d")
      same = bitsOf(l.a) == w[0] && bitsOf(l.b) == w[1] && bitsOf(l.c) == w[2];
    else
      same = bitsOf(static_cast<float>(l.a)) == w[3] &&
             bitsOf(static_cast<float>(l.b)) == w[4] &&
             bitsOf(static_cast<float>(l.c)) == w[5];
    if (!same && !(std::isnan(l.a) || std::isnan(l.b) || std::isnan(l.c))) {
      o.fail(what + ": " + text + ": operands differ from line " + std::to_string(i));
      continue;
    }
    const std::string why = check(l);
    if (!why.empty())
      o.fail(what + ": " + text + ": " + why);
  }
  // 253 operand lines x (7 double + 8 float results) x (scalar + vector).
  if (n != 253 * (floats ? 15 : 7) * 2)
    o.fail(what + ": " + std::to_string(n) + " result lines");
}

void checkDeterministic(const Program &p, const std::string &operands,
                        const TFormat &f, const Setting &s, Outcome &o) {
  runAndCheck(p, operands, f, s, {}, o, [&](const Line &l) -> std::string {
    if (l.type == "d") {
      const double want = lineReference<double>(l, f, s, p.fusesMulAdd);
      return sameBits(l.r, want) ? "" : "want " + hex(want);
    }
    const float want = lineReference<float>(l, f, s, p.fusesMulAdd);
    return sameBits(static_cast<float>(l.r), want) ? "" : "want " + hex(want);
  });
}

// Formats and the (subnormals, overflow) settings run for each mode: all
// four for the formats of the first list, one (rotating with the mode) for
// the others.
const std::vector<std::string> kAllSettings = {"binary16", "bfloat16", "e4m3",
                                               "e5m2",     "e2m1",     "fixed:8.8"};
const std::vector<std::string> kRotating = {"tf32",  "e3m2",   "e2m3",     "binary32",
                                            "binary64", "e3m4", "e6m9", "e11m40",
                                            "fixed:16.15", "fixed:4.20"};

class ChopEndToEnd : public ::testing::TestWithParam<std::string> {};

std::string testName(const ::testing::TestParamInfo<std::string> &i) {
  std::string s = i.param;
  for (char &c : s)
    if (c == ':' || c == '.')
      c = '_';
  return s;
}

TEST_P(ChopEndToEnd, EveryResultMatchesMpfr) {
  const TFormat f = formatByName(GetParam());
  const std::string operands = operandFile(f);
  const bool all = std::find(kAllSettings.begin(), kAllSettings.end(), f.name) !=
                   kAllSettings.end();
  Outcome o;
  int runs = 0, k = 0;
  for (RoundingMode m : kDeterministic) {
    for (int combo = 0; combo < 4; combo++) {
      if (!all && combo != k % 4)
        continue;
      const Setting s{m, combo / 2 == 0, combo % 2 == 1};
      for (const Program &p : kPrograms) {
        checkDeterministic(p, operands, f, s, o);
        runs++;
      }
    }
    k++;
  }
  EXPECT_GT(o.lines, 0);
  EXPECT_EQ(o.failed, 0) << f.name << ": " << o.failed << " of " << o.lines
                         << " results (" << runs << " runs) differ:\n"
                         << o.report;
}

INSTANTIATE_TEST_SUITE_P(Formats, ChopEndToEnd,
                         ::testing::ValuesIn([] {
                           std::vector<std::string> v = kAllSettings;
                           v.insert(v.end(), kRotating.begin(), kRotating.end());
                           return v;
                         }()),
                         testName);

// sr and sr-uniform: every result is one of the two neighbours.
TEST(ChopEndToEndRandom, StochasticResultsAreNeighbours) {
  for (const char *name : {"bfloat16", "e4m3", "fixed:8.8", "binary16"}) {
    const TFormat f = formatByName(name);
    const std::string operands = operandFile(f);
    Outcome o;
    for (RoundingMode m : {RoundingMode::SR, RoundingMode::SRUniform})
      for (const Program &p : kPrograms) {
        const Setting s{m, true, false};
        runAndCheck(p, operands, f, s, {{"PRISM_SEED", "17"}}, o,
                    [&](const Line &l) -> std::string {
                      if (l.op == "muladd" && !p.fusesMulAdd)
                        return ""; // two random roundings
                      const Op op = opByName(l.op);
                      const bool isF = l.type == "f";
                      Inputs in{l.a, l.b, l.c};
                      in = isF ? storageInputs<float>(op, in) : storageInputs<double>(op, in);
                      if (isF && !f.fitsFloat())
                        return ""; // binary32 RNE, checked by the other tests
                      const Neighbours nb = neighbours(exactOf(op, in), f, s);
                      const bool ok =
                          isF ? sameBits(static_cast<float>(l.r), static_cast<float>(nb.down)) ||
                                    sameBits(static_cast<float>(l.r), static_cast<float>(nb.up))
                              : sameBits(l.r, nb.down) || sameBits(l.r, nb.up);
                      return ok ? "" : "neighbours " + hex(nb.down) + " " + hex(nb.up);
                    });
      }
    EXPECT_EQ(o.failed, 0) << name << ": " << o.failed << " of " << o.lines
                           << " off the neighbours:\n"
                           << o.report;
  }
}

// The same seed gives the same run; another seed a different one.
TEST(ChopEndToEndRandom, SeedMakesStochasticRunsReproducible) {
  const TFormat f = formatByName("bfloat16");
  const std::string operands = operandFile(f);
  auto env = envFor(f, {RoundingMode::SR, true, false});
  auto with = [&](const char *seed) {
    auto e = env;
    e.push_back({"PRISM_SEED", seed});
    return run(kPrograms[1].path, {operands}, e);
  };
  const RunResult a = with("5"), b = with("5"), c = with("6");
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
}

// PRISM_FLIP_PROB=1: every finite result is its reference with exactly one
// stored fraction bit flipped; PRISM_FLIP_PROB=0 changes nothing.
TEST(ChopEndToEndRandom, SoftErrorsFlipOneFractionBit) {
  for (const char *name : {"bfloat16", "e4m3", "binary16", "fixed:8.8"}) {
    const TFormat f = formatByName(name);
    const std::string operands = operandFile(f);
    const Setting s{RoundingMode::RNE, true, false};
    for (const char *prob : {"1", "0"}) {
      Outcome o;
      for (const Program &p : kPrograms)
        runAndCheck(p, operands, f, s, {{"PRISM_FLIP_PROB", prob}}, o,
                    [&](const Line &l) -> std::string {
                      if (l.op == "muladd" && !p.fusesMulAdd)
                        return ""; // two flipped roundings
                      const bool isF = l.type == "f";
                      if (isF && !f.fitsFloat())
                        return "";
                      const double want = isF ? lineReference<float>(l, f, s, p.fusesMulAdd)
                                              : lineReference<double>(l, f, s, p.fusesMulAdd);
                      if (std::string(prob) == "0")
                        return sameBits(l.r, want) ? "" : "want " + hex(want);
                      int bit;
                      const std::string why = flipProblem(want, l.r, f, &bit);
                      return why.empty() ? "" : "unflipped " + hex(want) + ": " + why;
                    });
      EXPECT_EQ(o.failed, 0) << name << " p=" << prob << ": " << o.failed << " of "
                             << o.lines << " bad:\n"
                             << o.report;
    }
  }
}

// The instrumented builds really contain the vector operations.
TEST(ChopEndToEndBuild, VectorOperationsAreInstrumented) {
  const std::string v3 = slurp(std::string(PRISM_CHOP_PROGRAM_V3) + ".report");
  for (const char *op :
       {"[fadd double x4]", "[fadd float x8]", "[fsub double x4]", "[fmul float x8]",
        "[fdiv double x4]", "[fdiv float x8]", "[fma double x4]", "[fma float x8]",
        "[sqrt double x4]", "[sqrt float x8]", "[fmuladd double x4]",
        "[fmuladd float x8]", "[fptrunc double->float x4]"})
    EXPECT_NE(v3.find(op), std::string::npos) << op << " missing from\n" << v3;
  const std::string o2 = slurp(std::string(PRISM_CHOP_PROGRAM_O2) + ".report");
  for (const char *op : {"[fadd double x2]", "[fmul float x4]", "[fmuladd(mul+add) double]",
                         "[fptrunc double->float x2]", "[sqrt double]"})
    EXPECT_NE(o2.find(op), std::string::npos) << op << " missing from\n" << o2;
}

// ------------------------------------------------------------ bad settings

// A format wider than float (SPEC: "a target wider than the storage type" is
// an error): a program with float operations stops at the first one with one
// line naming PRISM_FORMAT, its value and float, and exit status 2; the same
// format runs a double-only program (checked against MPFR above).
TEST(ChopEndToEndSettings, WiderThanFloatStopsFloatPrograms) {
  for (const char *name : {"binary64", "e11m40", "e9m10", "e8m30", "fixed:16.15"}) {
    const TFormat f = formatByName(name);
    ASSERT_FALSE(f.fitsFloat()) << name;
    const std::string operands = operandFile(f);
    for (const Program &p : kPrograms) {
      const auto env = envFor(f, {RoundingMode::RNE, true, false});
      const std::string what = std::string(p.name) + " " + name;
      const RunResult bad = run(p.path, {operands}, env);
      EXPECT_EQ(bad.status, 2) << what << ": " << bad.err;
      ASSERT_FALSE(bad.err.empty()) << what;
      EXPECT_EQ(bad.err.find('\n'), bad.err.size() - 1) << what << ": not one line:\n"
                                                        << bad.err;
      EXPECT_NE(bad.err.find(std::string("PRISM_FORMAT='") + name + "'"), std::string::npos)
          << what << ": " << bad.err;
      EXPECT_NE(bad.err.find("wider than the float storage"), std::string::npos)
          << what << ": " << bad.err;
      const RunResult ok = run(p.path, {operands, "double"}, env);
      EXPECT_EQ(ok.status, 0) << what << " (double only): " << ok.err;
      EXPECT_EQ(std::count(ok.out.begin(), ok.out.end(), '\n'), 253 * 7 * 2) << what;
    }
  }
  // Formats that fit float run float programs.
  for (const char *name : {"binary32", "tf32", "e8m23", "fixed:4.20"}) {
    const TFormat f = formatByName(name);
    const RunResult r = run(kPrograms[1].path, {operandFile(f)},
                            envFor(f, {RoundingMode::RNE, true, false}));
    EXPECT_EQ(r.status, 0) << name << ": " << r.err;
  }
}

TEST(ChopEndToEndSettings, BadSettingsStopWithOneLineAndStatus2) {
  const std::string operands = operandFile(formatByName("bfloat16"));
  struct Bad {
    std::vector<std::pair<std::string, std::string>> env;
    const char *mentions; // the variable named in the line
  };
  const std::vector<Bad> bad = {
      {{{"PRISM_FORMAT", "binary8"}}, "PRISM_FORMAT"},
      {{{"PRISM_FORMAT", "e1m3"}}, "PRISM_FORMAT"},
      {{{"PRISM_FORMAT", "e5m53"}}, "PRISM_FORMAT"},
      {{{"PRISM_FORMAT", "e12m3"}}, "PRISM_FORMAT"},
      {{{"PRISM_FORMAT", "fixed:30.30"}}, "PRISM_FORMAT"}, // wider than double
      {{{"PRISM_FORMAT", "bf16"}, {"PRISM_FLIP_PROB", "2"}}, "PRISM_FLIP_PROB"},
      {{{"PRISM_FORMAT", "bf16"}, {"PRISM_FLIP_PROB", "-0.1"}}, "PRISM_FLIP_PROB"},
      {{{"PRISM_FORMAT", "bf16"}, {"PRISM_FLIP_PROB", "nan"}}, "PRISM_FLIP_PROB"},
      {{{"PRISM_FORMAT", "bf16"}, {"PRISM_ROUNDING", "nearest"}}, "PRISM_ROUNDING"},
      {{{"PRISM_FORMAT", "bf16"}, {"PRISM_SUBNORMALS", "yes"}}, "PRISM_SUBNORMALS"},
      {{{"PRISM_FORMAT", "bf16"}, {"PRISM_OVERFLOW", "wrap"}}, "PRISM_OVERFLOW"},
      {{}, "PRISM_FORMAT"}, // chop without a format
  };
  for (const Bad &b : bad) {
    auto env = b.env;
    env.push_back({"PRISM_BACKEND", backend()});
    std::string what;
    for (auto &[k, v] : env)
      what += k + "=" + v + " ";
    const RunResult r = run(kPrograms[0].path, {operands}, env);
    EXPECT_EQ(r.status, 2) << what << r.err;
    EXPECT_EQ(r.out, "") << what << ": main ran";
    ASSERT_FALSE(r.err.empty()) << what;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << what << ": not one line:\n" << r.err;
    EXPECT_NE(r.err.find(b.mentions), std::string::npos) << what << ": " << r.err;
    if (!b.env.empty())
      EXPECT_NE(r.err.find(b.env.back().second), std::string::npos)
          << what << ": the line does not name the value: " << r.err;
  }
  // And good settings run.
  const RunResult ok = run(kPrograms[0].path, {operands},
                     {{"PRISM_BACKEND", backend()}, {"PRISM_FORMAT", "e5m2"},
                      {"PRISM_ROUNDING", "sr-uniform"}, {"PRISM_FLIP_PROB", "0.5"},
                      {"PRISM_SUBNORMALS", "off"}, {"PRISM_OVERFLOW", "saturate"}});
  EXPECT_EQ(ok.status, 0) << ok.err;
}

} // namespace
} // namespace chop_test
