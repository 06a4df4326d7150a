// cli_test.cpp - prism-sample end to end: the fixture program (fixture.cpp)
// prints prepared values per PRISM_SAMPLE_INDEX, so every statistic is known;
// then a real program built with prism-cc runs under sr and ud.
#include "json_mini.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using json_mini::Value;

extern char **environ;

namespace {

const std::string kSample = PRISM_SAMPLE_EXE;
const std::string kFixture = SAMPLE_FIXTURE;

struct Result {
  int status = -1; // exit status, or 128 + signal
  std::string out, err;
};

std::string slurp(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

class TempDir {
public:
  TempDir() {
    std::string t = (fs::temp_directory_path() / "prism-sample-test.XXXXXX").string();
    if (!mkdtemp(t.data()))
      throw std::runtime_error("mkdtemp failed");
    path_ = t;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string operator/(const std::string &name) const { return path_ + "/" + name; }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

// Starts argv with stdout/stderr to files; env entries "K=V" are added
// (replacing K), "K" alone is removed.
pid_t start(const std::vector<std::string> &argv, const std::vector<std::string> &env,
            const std::string &out, const std::string &err) {
  std::vector<std::string> e;
  for (char **p = environ; *p; p++) {
    std::string kv = *p, key = kv.substr(0, kv.find('='));
    bool drop = false;
    for (const auto &x : env)
      drop = drop || x.substr(0, x.find('=')) == key;
    if (!drop)
      e.push_back(kv);
  }
  for (const auto &x : env)
    if (x.find('=') != std::string::npos)
      e.push_back(x);
  std::vector<char *> av, ev;
  std::vector<std::string> args = argv;
  for (auto &a : args)
    av.push_back(a.data());
  av.push_back(nullptr);
  for (auto &x : e)
    ev.push_back(x.data());
  ev.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(fo, 1);
    dup2(fe, 2);
    execve(av[0], av.data(), ev.data());
    _exit(127);
  }
  return pid;
}

int wait_for(pid_t pid, double timeout_s = 60) {
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(long(timeout_s * 1000));
  int st = 0;
  while (true) {
    pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == pid)
      break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &st, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

Result run(std::vector<std::string> argv, const std::vector<std::string> &env = {}) {
  TempDir t;
  pid_t pid = start(argv, env, t / "out", t / "err");
  Result r;
  r.status = wait_for(pid);
  r.out = slurp(t / "out");
  r.err = slurp(t / "err");
  return r;
}

// prism-sample ARGS... -- fixture FIXTURE_ARGS...
Result sample(std::vector<std::string> args, std::vector<std::string> fixture_args,
              const std::vector<std::string> &env = {}) {
  std::vector<std::string> argv = {kSample, "--quiet"};
  argv.insert(argv.end(), args.begin(), args.end());
  argv.push_back("--");
  argv.push_back(kFixture);
  argv.insert(argv.end(), fixture_args.begin(), fixture_args.end());
  return run(argv, env);
}

Value read_json(const std::string &path) { return json_mini::parse(slurp(path)); }

std::vector<int> general_bits(const Value &j) {
  std::vector<int> r;
  for (const auto &o : j["outputs"].arr)
    r.push_back(int(o["sig_bits_general"].number()));
  return r;
}

std::size_t count_lines(const std::string &s) {
  std::size_t n = 0;
  for (char c : s)
    n += c == '\n';
  return n;
}

#define EXPECT_CONTAINS(hay, needle)                                                  \
  EXPECT_NE(std::string(hay).find(needle), std::string::npos)                        \
      << "missing: " << (needle) << "\nin:\n"                                        \
      << (hay)

} // namespace

// ---- statistics through the command line ------------------------------------------
TEST(SampleCli, SpecVectorReproduced) {
  TempDir t;
  Result r = sample({"-n", "4", "--json", t / "r.json"}, {"spec"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  const Value &o = j["outputs"][0];
  EXPECT_NEAR(o["sig_bits_cnh"].number(), 17.469595174139, 1e-9);
  EXPECT_EQ(o["sig_bits_general"].number(), 20);
  EXPECT_NEAR(o["sig_bits_parker"].number(), 20.339035952556, 1e-9);
  EXPECT_NEAR(o["contributing_bits"].number(), 22.75853044341421, 1e-9);
  EXPECT_EQ(o["reference"].number(), 1.0);
  EXPECT_EQ(o["mean"].number(), 1.0);
  EXPECT_EQ(o["min"].number(), 1 - 0x1p-20);
  EXPECT_EQ(o["max"].number(), 1 + 0x1p-20);
  EXPECT_EQ(j["settings"]["samples"].number(), 4);
  EXPECT_EQ(j["settings"]["backend"].str, "sr");
  EXPECT_EQ(j["settings"]["probability"].number(), 0.95);
  EXPECT_NEAR(j["summary"]["sig_bits_cnh"]["median"].number(), 17.469595174139, 1e-9);
  EXPECT_EQ(j["summary"]["worst"][0]["index"].number(), 0);
  // The stdout table has the same numbers.
  EXPECT_CONTAINS(r.out, "17.5");
  EXPECT_CONTAINS(r.out, "reference ieee");
}

TEST(SampleCli, AbsoluteError) {
  TempDir t;
  Result r = sample({"-n", "4", "--error", "absolute", "--json", t / "r.json"}, {"abs"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  const Value &o = j["outputs"][0];
  EXPECT_NEAR(o["sig_bits_cnh"].number(), 10.130559221582338, 1e-9); // stats_test
  EXPECT_EQ(o["sig_bits_general"].number(), 13);
}

TEST(SampleCli, ReferenceMeanSkipsTheIeeeRun) {
  TempDir t;
  fs::create_directory(t / "env");
  Result r = sample({"-n", "4", "--reference", "mean", "--json", t / "r.json"},
                    {"spec"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  // mean(X) = 1 exactly, so the SPEC numbers come back.
  EXPECT_NEAR(j["outputs"][0]["sig_bits_cnh"].number(), 17.469595174139, 1e-9);
  EXPECT_TRUE(j["timings"]["reference_seconds"].is_null());
  Result e = sample({"-n", "2", "--reference", "mean"}, {"env", t / "env"});
  ASSERT_EQ(e.status, 0) << e.err;
  EXPECT_FALSE(fs::exists(t / "env/env-ref"));
  EXPECT_TRUE(fs::exists(t / "env/env-1"));
}

TEST(SampleCli, SeedsIndicesAndEnvironment) {
  TempDir t;
  Result r = sample({"-n", "3", "--seed", "100", "--backend", "ud", "--json",
                     t / "r.json"},
                    {"env", t.path()}, {"PRISM_PRECISION_BINARY64=30",
                                        "PRISM_SEED=7", "PRISM_SAMPLE_INDEX=9"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (int i = 0; i < 3; i++) {
    std::string env = slurp(t / ("env-" + std::to_string(i)));
    EXPECT_CONTAINS(env, "PRISM_BACKEND=ud\n");
    EXPECT_CONTAINS(env, "PRISM_SEED=" + std::to_string(100 + i) + "\n");
    EXPECT_CONTAINS(env, "PRISM_SAMPLE_INDEX=" + std::to_string(i) + "\n");
    EXPECT_CONTAINS(env, "PRISM_PRECISION_BINARY64=30\n"); // passed through
  }
  std::string ref = slurp(t / "env-ref");
  EXPECT_CONTAINS(ref, "PRISM_BACKEND=ieee\n");
  EXPECT_CONTAINS(ref, "PRISM_SAMPLE_INDEX=(unset)\n");
  Value j = read_json(t / "r.json");
  EXPECT_EQ(j["settings"]["seed"].number(), 100);
  EXPECT_EQ(j["runs"][2]["seed"].number(), 102);
  EXPECT_EQ(j["settings"]["environment"]["PRISM_PRECISION_BINARY64"].str, "30");
  // Each run printed its own index.
  EXPECT_EQ(j["outputs"][0]["min"].number(), 0);
  EXPECT_EQ(j["outputs"][0]["max"].number(), 2);
  EXPECT_EQ(j["outputs"][0]["reference"].number(), -1);
}

// ---- input formats ------------------------------------------------------------
// The fixture's "vec" mode: output j deviates by +-2^-(10+5j) relatively, so
// the general method gives 10, 15, 20, 25, 30 bits; as float (24 bits) the two
// last deviations round away and those outputs are exact (24).
const std::vector<int> kVecBits = {10, 15, 20, 25, 30};
const std::vector<int> kVecBitsF32 = {10, 15, 20, 24, 24};

TEST(SampleCli, InputText) {
  TempDir t;
  Result r = sample({"-n", "4", "--json", t / "r.json"}, {"vec"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  EXPECT_EQ(general_bits(j), kVecBits);
  EXPECT_EQ(j["settings"]["input"].str, "text");
  EXPECT_EQ(j["settings"]["precision"].number(), 53);
}

TEST(SampleCli, InputCsv) {
  TempDir t;
  Result r = sample({"-n", "4", "--json", t / "r.json"}, {"--format", "csv", "vec"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  EXPECT_EQ(general_bits(j), kVecBits);
  EXPECT_EQ(j["settings"]["input"].str, "csv");
}

TEST(SampleCli, InputNpy) {
  TempDir t;
  Result r = sample({"-n", "4", "--json", t / "r.json"}, {"--format", "npy", "vec"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  EXPECT_EQ(general_bits(j), kVecBits);
  EXPECT_EQ(j["settings"]["input"].str, "npy");
  Result f = sample({"-n", "4", "--json", t / "f.json"}, {"--format", "npy32", "vec"});
  ASSERT_EQ(f.status, 0) << f.err;
  Value k = read_json(t / "f.json");
  EXPECT_EQ(general_bits(k), kVecBitsF32);
  EXPECT_EQ(k["settings"]["precision"].number(), 24);
  Result i = sample({"-n", "2", "--categorical", "--input", "npy", "--json",
                     t / "i.json"},
                    {"--format", "npyi", "labels"});
  ASSERT_EQ(i.status, 0) << i.err;
  EXPECT_NEAR(read_json(t / "i.json")["categorical"]["mean_dice"].number(), 41.0 / 45,
              1e-12);
}

TEST(SampleCli, InputRawF32OnStdout) {
  TempDir t;
  Result r = sample({"-n", "4", "--input", "f32", "--json", t / "r.json"},
                    {"--format", "f32", "vec"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  EXPECT_EQ(general_bits(j), kVecBitsF32);
  EXPECT_EQ(j["settings"]["precision"].number(), 24);
  // Binary data without --input: one line, status 2.
  Result b = sample({"-n", "4"}, {"--format", "f32", "vec"});
  EXPECT_EQ(b.status, 2);
  EXPECT_CONTAINS(b.err, "--input");
}

TEST(SampleCli, InputRawF64CaptureByExtension) {
  TempDir t;
  // No {}: one path that each run overwrites (-j 1); .f64 selects the format.
  Result r = sample({"-n", "4", "--capture", t / "out.f64", "--json", t / "r.json"},
                    {"--out", t / "out.f64", "--format", "f64", "vec"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  EXPECT_EQ(general_bits(j), kVecBits);
  EXPECT_EQ(j["settings"]["input"].str, "f64");
  EXPECT_EQ(j["settings"]["capture"].str, t / "out.f64");
}

TEST(SampleCli, CapturePerRunDirectoryInParallel) {
  TempDir t;
  Result r = sample({"-n", "6", "-j", "3", "--capture", "{}/result.npy", "--json",
                     t / "r.json"},
                    {"--out", "{}/result.npy", "--format", "npy", "vec"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(general_bits(read_json(t / "r.json")), kVecBits);
  // Without {} parallel runs would overwrite one file: refused.
  Result bad = sample({"-n", "6", "-j", "3", "--capture", t / "x.npy"},
                      {"--out", t / "x.npy", "vec"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(count_lines(bad.err), 1u) << bad.err;
}

TEST(SampleCli, ParallelRuns) {
  // Every run waits until all 4 are running at once: passes only with -j 4.
  TempDir t;
  fs::create_directory(t / "barrier");
  Result r = sample({"-n", "4", "-j", "4", "--json", t / "r.json"},
                    {"barrier", "4", t / "barrier"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  EXPECT_EQ(j["settings"]["jobs"].number(), 4);
  EXPECT_EQ(j["used_samples"].number(), 4);
}

// ---- failures ------------------------------------------------------------------
TEST(SampleCli, FailingRunStopsTheStudy) {
  TempDir t;
  Result r = sample({"-n", "4", "--json", t / "r.json"}, {"fail", "2"});
  EXPECT_EQ(r.status, 1);
  EXPECT_CONTAINS(r.err, "run 2 (PRISM_SEED=3) failed: exit status 3");
  EXPECT_CONTAINS(r.err, "boom from run 2"); // the tail of its stderr
  EXPECT_CONTAINS(r.err, "some diagnostics");
  EXPECT_FALSE(fs::exists(t / "r.json"));
}

TEST(SampleCli, CrashingRun) {
  Result r = sample({"-n", "3", "--seed", "10"}, {"crash", "1"});
  EXPECT_EQ(r.status, 1);
  EXPECT_CONTAINS(r.err, "run 1 (PRISM_SEED=11) failed: killed by signal 6");
  EXPECT_CONTAINS(r.err, "about to abort");
}

TEST(SampleCli, KeepGoingLeavesFailedRunsOut) {
  TempDir t;
  Result r = sample({"-n", "5", "--keep-going", "--json", t / "r.json"},
                    {"fail", "2"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_CONTAINS(r.err, "run 2 (PRISM_SEED=3) failed: exit status 3");
  Value j = read_json(t / "r.json");
  EXPECT_EQ(j["used_samples"].number(), 4);
  EXPECT_EQ(j["runs"][2]["status"].str, "failed");
  EXPECT_EQ(j["runs"][1]["status"].str, "ok");
  EXPECT_GE(j["notes"].size(), 1u);
}

TEST(SampleCli, MismatchedLengthsNameBothRuns) {
  Result r = sample({"-n", "4"}, {"len", "2"});
  EXPECT_EQ(r.status, 1);
  EXPECT_CONTAINS(r.err, "outputs of different lengths");
  EXPECT_CONTAINS(r.err, "the reference run (PRISM_BACKEND=ieee) gave 2 values");
  EXPECT_CONTAINS(r.err, "run 2 (PRISM_SEED=3) gave 3");
  // With the mean as reference, two sample runs are named.
  Result m = sample({"-n", "4", "--reference", "mean"}, {"len", "2"});
  EXPECT_EQ(m.status, 1);
  EXPECT_CONTAINS(m.err, "run 0 (PRISM_SEED=1) gave 2 values");
  EXPECT_CONTAINS(m.err, "run 2 (PRISM_SEED=3) gave 3");
}

TEST(SampleCli, NanHandledPerElement) {
  TempDir t;
  Result r = sample({"-n", "4", "--json", t / "r.json"}, {"nan", "1"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  const Value &o = j["outputs"];
  EXPECT_EQ(o[0]["status"].str, "ok");
  EXPECT_EQ(o[0]["sig_bits_general"].number(), 30);
  EXPECT_EQ(o[1]["status"].str, "nan-in-some-runs");
  EXPECT_EQ(o[1]["nan_runs"].number(), 1);
  EXPECT_EQ(o[1]["sig_bits_cnh"].number(), 0);
  EXPECT_EQ(o[2]["status"].str, "nan");
  EXPECT_TRUE(o[2]["sig_bits_cnh"].is_null());
  EXPECT_EQ(o[2]["reference"].str, "NaN");
  EXPECT_EQ(o[3]["status"].str, "exact"); // inf in every run and the reference
  EXPECT_EQ(o[3]["reference"].str, "Infinity");
  EXPECT_EQ(j["summary"]["defined"].number(), 3);
  EXPECT_CONTAINS(r.err, "NaN or infinite in some runs");
}

TEST(SampleCli, ZeroReferenceSuggestsAbsoluteError) {
  TempDir t;
  Result r = sample({"-n", "4", "--json", t / "r.json"}, {"zero"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_CONTAINS(r.err, "--error absolute");
  Value j = read_json(t / "r.json");
  EXPECT_EQ(j["outputs"][0]["status"].str, "exact");
  EXPECT_EQ(j["outputs"][1]["status"].str, "zero-reference");
  EXPECT_TRUE(j["outputs"][1]["sig_bits_cnh"].is_null());
  Result a = sample({"-n", "4", "--error", "absolute", "--json", t / "a.json"},
                    {"zero"});
  ASSERT_EQ(a.status, 0) << a.err;
  // |Z| = 1e-3 <= 2^-k for k <= 9 (2^-10 < 1e-3 < 2^-9).
  EXPECT_EQ(read_json(t / "a.json")["outputs"][1]["sig_bits_general"].number(), 9);
}

// ---- probes -------------------------------------------------------------------
TEST(SampleCli, Probes) {
  TempDir t;
  Result r = sample({"-n", "4", "--probes", "--json", t / "r.json", "--html",
                     t / "r.html"},
                    {"probes"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  const Value &o = j["outputs"];
  ASSERT_EQ(o.size(), 5u); // stdout value, energy, residual x 3
  EXPECT_FALSE(o[0].has("name"));
  EXPECT_EQ(o[1]["name"].str, "energy");
  EXPECT_EQ(o[2]["name"].str, "residual[0]");
  EXPECT_EQ(o[4]["name"].str, "residual[2]");
  EXPECT_EQ(o[1]["sig_bits_general"].number(), 20); // 2(1 +- 2^-20)
  EXPECT_EQ(j["probes"].size(), 2u);
  EXPECT_EQ(j["probes"][1]["name"].str, "residual");
  EXPECT_EQ(j["probes"][1]["outputs"].size(), 3u);
  std::string html = slurp(t / "r.html");
  EXPECT_CONTAINS(html, "id=\"chart-probe-0\"");
  EXPECT_CONTAINS(html, "id=\"chart-probe-1\"");
  EXPECT_CONTAINS(html, "probe energy");
  // Probes alone: the program's stdout is ignored.
  Result p = sample({"-n", "3", "--probes", "--input", "none", "--json", t / "p.json"},
                    {"probes"});
  ASSERT_EQ(p.status, 0) << p.err;
  EXPECT_EQ(read_json(t / "p.json")["outputs"].size(), 4u);
}

TEST(SampleCli, Categorical) {
  TempDir t;
  Result r = sample({"-n", "2", "--categorical", "--json", t / "r.json", "--html",
                     t / "r.html"},
                    {"labels"});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "r.json");
  const Value &c = j["categorical"];
  EXPECT_NEAR(c["mean_dice"].number(), 41.0 / 45, 1e-12); // stats_test derivation
  EXPECT_NEAR(c["labels"][0]["dice_mean"].number(), 5.0 / 6, 1e-12);
  EXPECT_NEAR(c["per_run_dice"][0].number(), 37.0 / 45, 1e-12);
  EXPECT_EQ(j["outputs"][1]["agreement"].number(), 0.5);
  EXPECT_CONTAINS(r.out, "mean Dice 0.911111");
  EXPECT_CONTAINS(slurp(t / "r.html"), "id=\"chart-dice\"");
}

// ---- usage -----------------------------------------------------------------------
TEST(SampleCli, BadFlagsGiveOneLineAndStatus2) {
  TempDir t;
  const std::vector<std::vector<std::string>> cases = {
      {"--frobnicate", "--", kFixture},
      {"-n", "1", "--", kFixture},
      {"-n", "ten", "--", kFixture},
      {"-j", "-2", "--", kFixture},
      {"--backend", "fast", "--", kFixture},
      {"--seed", "-1", "--", kFixture},
      {"--reference", "median", "--", kFixture},
      {"--input", "xml", "--", kFixture},
      {"--error", "squared", "--", kFixture},
      {"--precision", "32", "--", kFixture},
      {"--probability", "1.5", "--", kFixture},
      {"--confidence", "0", "--", kFixture},
      {"--contributing-probability", "0.4", "--", kFixture},
      {"--input", "none", "--", kFixture},
      {"--json", t / "no/such/dir/r.json", "--", kFixture},
      {"--html", t.path(), "--", kFixture},
      {"--samples"},
      {"-n", "3"},
      {"--", t / "no-such-program"},
      {"--", "no-such-program-in-path-xyz"},
  };
  for (const auto &c : cases) {
    std::vector<std::string> argv = {kSample};
    argv.insert(argv.end(), c.begin(), c.end());
    Result r = run(argv);
    std::string shown;
    for (const auto &a : c)
      shown += a + " ";
    EXPECT_EQ(r.status, 2) << shown << "\n" << r.err;
    EXPECT_EQ(count_lines(r.err), 1u) << shown << "\n" << r.err;
    EXPECT_EQ(r.err.rfind("prism-sample: ", 0), 0u) << r.err;
  }
}

TEST(SampleCli, UnreadableOrUnparsableOutputs) {
  TempDir t;
  // The capture file is never written.
  Result r = sample({"-n", "2", "--capture", t / "never.txt"}, {"spec"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(count_lines(r.err), 1u) << r.err;
  EXPECT_CONTAINS(r.err, "cannot read capture file");
  // Stdout that is not numbers.
  Result b = run({kSample, "-q", "-n", "2", "--", "/bin/echo", "hello"});
  EXPECT_EQ(b.status, 2);
  EXPECT_EQ(count_lines(b.err), 1u) << b.err;
  EXPECT_CONTAINS(b.err, "'hello' is not a number");
}

TEST(SampleCli, Plan) {
  Result r = run({kSample, "plan", "--probability", "0.99", "--confidence", "0.95"});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "299\n");
  r = run({kSample, "plan", "--probability=0.9", "--confidence=0.95"});
  EXPECT_EQ(r.out, "29\n");
  r = run({kSample, "plan", "--probability", "2"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(count_lines(r.err), 1u);
}

TEST(SampleCli, HelpAndVersion) {
  Result h = run({kSample, "--help"});
  EXPECT_EQ(h.status, 0);
  EXPECT_CONTAINS(h.out, "usage: prism-sample");
  Result v = run({kSample, "--version"});
  EXPECT_EQ(v.status, 0);
  EXPECT_CONTAINS(v.out, "prism-sample ");
}

TEST(SampleCli, ProgressOnStderr) {
  // Not a TTY: plain progress lines; --quiet: none.
  Result r = run({kSample, "-n", "4", "--", kFixture, "spec"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_CONTAINS(r.err, "prism-sample: 5/5 runs done");
  EXPECT_EQ(r.err.find('\r'), std::string::npos);
  Result q = run({kSample, "-q", "-n", "4", "--", kFixture, "spec"});
  EXPECT_EQ(q.err, "");
}

TEST(SampleCli, CtrlCStopsRunsAndTheirChildren) {
  TempDir t;
  std::string base = t / "hang";
  pid_t pid = start({kSample, "-n", "3", "-j", "3", "--", kFixture, "hang", base}, {},
                    t / "out", t / "err");
  // Wait until the three runs (and their own children) are up.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!(fs::exists(base + "-0") && fs::exists(base + "-1") && fs::exists(base + "-2")) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_TRUE(fs::exists(base + "-2")) << slurp(t / "err");
  std::vector<int> pids;
  for (int i = 0; i < 3; i++) {
    std::istringstream in(slurp(base + "-" + std::to_string(i)));
    int a, b;
    in >> a >> b;
    pids.push_back(a);
    pids.push_back(b);
  }
  auto t0 = std::chrono::steady_clock::now();
  kill(pid, SIGINT);
  int status = wait_for(pid, 20);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(status, 130) << slurp(t / "err");
  EXPECT_LT(secs, 10.0);
  EXPECT_CONTAINS(slurp(t / "err"), "interrupted by SIGINT");
  // Every run and every child of a run is gone (or a zombie awaiting init).
  for (int p : pids) {
    bool gone = false;
    for (int k = 0; k < 300 && !gone; k++) {
      std::string stat = slurp("/proc/" + std::to_string(p) + "/stat");
      std::size_t rp = stat.rfind(')');
      gone = stat.empty() || (rp != std::string::npos && rp + 2 < stat.size() &&
                              stat[rp + 2] == 'Z');
      if (!gone)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(gone) << "process " << p << " survived Ctrl-C";
    if (!gone)
      kill(p, SIGKILL);
  }
}

// ---- reports ------------------------------------------------------------------
TEST(SampleCli, HtmlIsSelfContained) {
  TempDir t;
  Result r = sample({"-n", "4", "--html", t / "r.html"}, {"vec"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string html = slurp(t / "r.html");
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char *id : {"chart-histogram", "chart-by-index"})
    EXPECT_CONTAINS(html, std::string("<svg id=\"") + id + "\"");
  EXPECT_CONTAINS(html, "<table id=\"worst\"");
  EXPECT_CONTAINS(html, "<table id=\"runs\"");
  EXPECT_CONTAINS(html, "1..4");                  // seeds
  EXPECT_CONTAINS(html, "sample_fixture vec");    // the command
  EXPECT_CONTAINS(html, "timings");
  // No external assets: nothing to fetch, no scripts.
  for (const char *bad : {"src=", "href=", "<script", "<link", "@import", "url("})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad;
  EXPECT_CONTAINS(html, "</html>");
}

namespace {
// Builds tests/sample/programs/heat.c with prism-cc once.
class Instrumented : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    exe_ = *dir_ / "heat";
    Result r = run({PRISM_CC, "-O2", HEAT_SOURCE, "-o", exe_, "-lm"});
    build_ok_ = r.status == 0;
    build_log_ = r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static inline TempDir *dir_ = nullptr;
  static inline std::string exe_, build_log_;
  static inline bool build_ok_ = false;
};
} // namespace

TEST_F(Instrumented, StochasticRoundingReport) {
  ASSERT_TRUE(build_ok_) << build_log_;
  TempDir t;
  Result r = run({kSample, "-q", "-n", "6", "-j", "2", "--probes", "--json",
                  t / "sr.json", "--html", t / "sr.html", "--", exe_});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "sr.json");
  const Value &o = j["outputs"];
  ASSERT_EQ(o.size(), 24u); // 18 printed + energy x 4 + harmonic_float + cancellation
  std::map<std::string, const Value *> by_name;
  for (const auto &e : o.arr)
    if (e.has("name"))
      by_name[e["name"].str] = &e;
  ASSERT_TRUE(by_name.count("energy[3]"));
  ASSERT_TRUE(by_name.count("harmonic_float"));
  ASSERT_TRUE(by_name.count("cancellation"));
  double energy = (*by_name["energy[3]"])["sig_bits_cnh"].number();
  double harmonic = (*by_name["harmonic_float"])["sig_bits_cnh"].number();
  double cancel = (*by_name["cancellation"])["sig_bits_cnh"].number();
  // The heat equation keeps most of its 53 bits; the float sum stagnates
  // below float precision; the cancellation keeps about 30 bits of 53.
  EXPECT_GT(energy, 40) << energy;
  EXPECT_LT(harmonic, 24) << harmonic;
  EXPECT_LT(cancel, 40) << cancel;
  EXPECT_GT(cancel, 15) << cancel;
  EXPECT_EQ(o[0]["status"].str, "exact"); // the boundary stays 0
  // The reference is the ieee run: the printed value of u[3].
  EXPECT_EQ(j["settings"]["reference"].str, "ieee");
  EXPECT_FALSE(j["timings"]["reference_seconds"].is_null());
  std::string html = slurp(t / "sr.html");
  for (const char *id : {"chart-histogram", "chart-by-index", "chart-probe-0",
                         "chart-probe-1", "chart-probe-2"})
    EXPECT_CONTAINS(html, std::string("<svg id=\"") + id + "\"");
}

TEST_F(Instrumented, UpDownRoundingReport) {
  ASSERT_TRUE(build_ok_) << build_log_;
  TempDir t;
  Result r = run({kSample, "-q", "-n", "4", "-j", "2", "--backend", "ud", "--json",
                  t / "ud.json", "--", exe_});
  ASSERT_EQ(r.status, 0) << r.err;
  Value j = read_json(t / "ud.json");
  EXPECT_EQ(j["settings"]["backend"].str, "ud");
  EXPECT_EQ(j["outputs"].size(), 18u);
  EXPECT_LT(j["summary"]["sig_bits_cnh"]["min"].number(), 53);
}

TEST_F(Instrumented, HtmlRendersInChromium) {
  const char *browser = "/usr/bin/chromium";
  if (access(browser, X_OK) != 0)
    GTEST_SKIP() << "chromium is not installed (Debian package 'chromium')";
  ASSERT_TRUE(build_ok_) << build_log_;
  TempDir t;
  Result r = run({kSample, "-q", "-n", "4", "--probes", "--html", t / "r.html", "--",
                  exe_});
  ASSERT_EQ(r.status, 0) << r.err;
  std::string url = "file://" + t / "r.html";
  std::vector<std::string> common = {
      browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
      "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync",
      "--user-data-dir=" + t / "profile"};
  // The DOM as rendered: the charts are there.
  std::vector<std::string> dom = common;
  dom.push_back("--dump-dom");
  dom.push_back(url);
  Result d = run(dom, {"HOME=" + t.path()});
  ASSERT_EQ(d.status, 0) << d.err;
  for (const char *id : {"chart-histogram", "chart-by-index", "chart-probe-0"})
    EXPECT_CONTAINS(d.out, std::string("id=\"") + id + "\"");
  // A screenshot: a real PNG of the requested size with content.
  std::vector<std::string> shot = common;
  shot.push_back("--screenshot=" + t / "out.png");
  shot.push_back("--window-size=1200,1600");
  shot.push_back(url);
  Result s = run(shot, {"HOME=" + t.path()});
  ASSERT_EQ(s.status, 0) << s.err;
  std::string png = slurp(t / "out.png");
  ASSERT_GT(png.size(), 24u);
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto be32 = [&](std::size_t at) {
    return (unsigned(static_cast<unsigned char>(png[at])) << 24) |
           (unsigned(static_cast<unsigned char>(png[at + 1])) << 16) |
           (unsigned(static_cast<unsigned char>(png[at + 2])) << 8) |
           unsigned(static_cast<unsigned char>(png[at + 3]));
  };
  EXPECT_EQ(be32(16), 1200u); // IHDR width
  EXPECT_EQ(be32(20), 1600u); // IHDR height
  // A blank page compresses to a few KB; charts, tables and text do not.
  EXPECT_GT(png.size(), 20000u);
}
