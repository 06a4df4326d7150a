// prism-sample - run a program N times under a prism backend and report, per
// output, how many significant bits survive. See docs/SAMPLING.md.
//
//   prism-sample [options] -- COMMAND [ARGS...]
//   prism-sample plan --probability P --confidence C
//
// Runs are started with fork/exec (no shell), each in its own process group so
// that Ctrl-C, a failing run or a mismatch stops every run and its children.
#include "formats.h"
#include "report.h"
#include "stats.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PRISM_VERSION
#define PRISM_VERSION "0.1.0"
#endif

extern char **environ;

namespace fs = std::filesystem;
using namespace prism::sample;

namespace {

using Clock = std::chrono::steady_clock;

// ---- errors ------------------------------------------------------------------
// Usage errors and unreadable files: one line, exit status 2. Study failures
// (a failing run, mismatched outputs): exit status 1.
struct Exit {
  int status;
};

std::string g_workdir_to_remove;
bool g_progress_line_open = false;

void end_progress_line() {
  if (g_progress_line_open) {
    std::fputs("\r\033[K", stderr);
    g_progress_line_open = false;
  }
}

[[noreturn]] __attribute__((format(printf, 2, 3))) void die(int status,
                                                            const char *f, ...) {
  end_progress_line();
  std::fputs("prism-sample: ", stderr);
  va_list ap;
  va_start(ap, f);
  std::vfprintf(stderr, f, ap);
  va_end(ap);
  std::fputc('\n', stderr);
  throw Exit{status};
}

__attribute__((format(printf, 1, 2))) void warn(const char *f, ...) {
  end_progress_line();
  std::fputs("prism-sample: warning: ", stderr);
  va_list ap;
  va_start(ap, f);
  std::vfprintf(stderr, f, ap);
  va_end(ap);
  std::fputc('\n', stderr);
}

// ---- options -----------------------------------------------------------------
struct Options {
  std::size_t samples = 10, jobs = 1;
  std::string backend = "sr";
  uint64_t seed = 1;
  std::string reference = "ieee";
  std::string capture;
  InputFormat input = InputFormat::Auto;
  bool probes = false, categorical = false, keep_going = false, quiet = false;
  Settings stats;
  std::optional<int> precision;
  std::string json, html, workdir;
  std::vector<std::string> command;
};

const char *kUsage =
    "usage: prism-sample [options] -- COMMAND [ARGS...]\n"
    "       prism-sample plan --probability P --confidence C\n"
    "\n"
    "Runs COMMAND n times under a prism backend (run i gets PRISM_SEED=S+i and\n"
    "PRISM_SAMPLE_INDEX=i), reads the numbers each run outputs and reports, per\n"
    "output, how many significant bits survive.\n"
    "\n"
    "runs\n"
    "  -n, --samples N        number of runs (default 10, at least 2)\n"
    "  -j, --jobs J           runs in parallel (default 1; 0 = one per CPU)\n"
    "      --backend NAME     PRISM_BACKEND of the runs (default sr); other\n"
    "                         PRISM_* variables pass through the environment\n"
    "      --seed S           run i gets PRISM_SEED=S+i (default 1)\n"
    "      --reference R      ieee (default: one more run with PRISM_BACKEND=ieee)\n"
    "                         or mean (the sample mean; majority label with\n"
    "                         --categorical)\n"
    "      --keep-going       a failing run is reported and left out instead of\n"
    "                         stopping the study\n"
    "      --workdir DIR      keep the per-run directories in DIR (default: a\n"
    "                         temporary directory, removed at the end)\n"
    "      --quiet            no progress on stderr\n"
    "outputs\n"
    "      --capture PATH     read the file PATH each run writes instead of its\n"
    "                         stdout; {} in PATH or ARGS is a per-run directory\n"
    "      --input FMT        text, csv, npy, f32, f64 or none (default: detect)\n"
    "      --probes           also read prism_probe(name, value) records\n"
    "                         (PRISM_PROBES is set to a per-run file)\n"
    "statistics\n"
    "      --error E          relative (default) or absolute\n"
    "      --precision P      24 (float) or 53 (double) significand bits\n"
    "                         (default: 24 for f32 and float32 npy, else 53)\n"
    "      --probability P    CNH probability (default 0.95)\n"
    "      --confidence C     confidence level (default 0.95)\n"
    "      --contributing-probability P\n"
    "                         probability of the contributing bits (default 0.51)\n"
    "      --categorical      outputs are labels: Sorensen-Dice per label\n"
    "reports\n"
    "      --json FILE        settings, per-output statistics and a summary\n"
    "      --html FILE        self-contained report with charts\n"
    "  -h, --help             this text\n"
    "      --version          the version\n";

[[noreturn]] void usage_error(const std::string &msg) {
  die(2, "%s (see prism-sample --help)", msg.c_str());
}

bool parse_u64(const std::string &s, uint64_t &out) {
  if (s.empty() || s[0] == '-' || s[0] == '+')
    return false;
  char *end;
  errno = 0;
  unsigned long long v = std::strtoull(s.c_str(), &end, 0);
  if (errno || *end)
    return false;
  out = v;
  return true;
}

bool parse_unit(const std::string &s, double &out) {
  char *end;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || errno || *end || !(v > 0 && v < 1))
    return false;
  out = v;
  return true;
}

// Walks argv: "--opt value", "--opt=value", "-n 10", "-n10".
class ArgReader {
public:
  ArgReader(int argc, char **argv, int first) : argc_(argc), argv_(argv), i_(first) {}
  bool done() const { return i_ >= argc_; }
  std::string peek() const { return argv_[i_]; }
  void skip() { i_++; }
  int index() const { return i_; }
  // If argv[i] is option `name` (long or short), consume it (and its value).
  bool take(const char *lng, const char *shrt, std::string *value) {
    std::string a = argv_[i_];
    std::string l = std::string("--") + lng;
    if (a == l || (shrt && a == std::string("-") + shrt)) {
      if (!value) {
        i_++;
        return true;
      }
      if (i_ + 1 >= argc_)
        usage_error("option '" + a + "' needs a value");
      *value = argv_[i_ + 1];
      i_ += 2;
      return true;
    }
    if (value && a.rfind(l + "=", 0) == 0) {
      *value = a.substr(l.size() + 1);
      i_++;
      return true;
    }
    if (value && shrt && a.size() > 2 && a[0] == '-' && a[1] == shrt[0] &&
        a[1] != '-') {
      *value = a.substr(2);
      i_++;
      return true;
    }
    if (!value && a.rfind(l + "=", 0) == 0)
      usage_error("option '" + l + "' takes no value");
    return false;
  }

private:
  int argc_;
  char **argv_;
  int i_;
};

int plan_main(int argc, char **argv) {
  double p = 0.95, c = 0.95;
  ArgReader r(argc, argv, 2);
  std::string v;
  while (!r.done()) {
    if (r.take("probability", "p", &v)) {
      if (!parse_unit(v, p))
        usage_error("invalid --probability '" + v + "' (a number in (0, 1))");
    } else if (r.take("confidence", "c", &v)) {
      if (!parse_unit(v, c))
        usage_error("invalid --confidence '" + v + "' (a number in (0, 1))");
    } else if (r.take("help", "h", nullptr)) {
      std::printf("usage: prism-sample plan --probability P --confidence C\n"
                  "Prints the number of runs after which the general method's\n"
                  "significant bits hold with probability P at confidence C:\n"
                  "ceil(ln(1 - C) / ln P).\n");
      return 0;
    } else {
      usage_error("unknown plan option '" + r.peek() + "'");
    }
  }
  std::printf("%zu\n", plan_samples(p, c));
  return 0;
}

Options parse_options(int argc, char **argv) {
  Options o;
  ArgReader r(argc, argv, 1);
  std::string v;
  while (!r.done()) {
    std::string a = r.peek();
    if (a == "--") {
      r.skip();
      break;
    }
    if (a.empty() || a[0] != '-' || a == "-")
      break; // the command starts
    if (r.take("samples", "n", &v)) {
      uint64_t n;
      if (!parse_u64(v, n) || n < 2 || n > 1000000)
        usage_error("invalid --samples '" + v + "' (an integer from 2 to 1000000)");
      o.samples = n;
    } else if (r.take("jobs", "j", &v)) {
      uint64_t n;
      if (!parse_u64(v, n) || n > 4096)
        usage_error("invalid --jobs '" + v + "' (an integer from 0 to 4096)");
      o.jobs = n ? n : std::max<long>(1, sysconf(_SC_NPROCESSORS_ONLN));
    } else if (r.take("backend", nullptr, &v)) {
      bool known = v == "ieee" || v == "sr" || v == "ud" || v == "chop" ||
                   v.find('/') != std::string::npos;
      if (!known)
        usage_error("invalid --backend '" + v +
                    "' (accepted: ieee, sr, ud, chop, or a path to a backend .so)");
      o.backend = v;
    } else if (r.take("seed", nullptr, &v)) {
      if (!parse_u64(v, o.seed))
        usage_error("invalid --seed '" + v + "' (an unsigned 64-bit integer)");
    } else if (r.take("reference", nullptr, &v)) {
      if (v != "ieee" && v != "mean")
        usage_error("invalid --reference '" + v + "' (accepted: ieee, mean)");
      o.reference = v;
    } else if (r.take("capture", nullptr, &v)) {
      if (v.empty())
        usage_error("--capture needs a path");
      o.capture = v;
    } else if (r.take("input", nullptr, &v)) {
      auto f = parse_format_name(v);
      if (!f)
        usage_error("invalid --input '" + v +
                    "' (accepted: text, csv, npy, f32, f64, none)");
      o.input = *f;
    } else if (r.take("probes", nullptr, nullptr)) {
      o.probes = true;
    } else if (r.take("probability", nullptr, &v)) {
      if (!parse_unit(v, o.stats.probability))
        usage_error("invalid --probability '" + v + "' (a number in (0, 1))");
    } else if (r.take("confidence", nullptr, &v)) {
      if (!parse_unit(v, o.stats.confidence))
        usage_error("invalid --confidence '" + v + "' (a number in (0, 1))");
    } else if (r.take("contributing-probability", nullptr, &v)) {
      if (!parse_unit(v, o.stats.contributing_probability) ||
          o.stats.contributing_probability <= 0.5)
        usage_error("invalid --contributing-probability '" + v +
                    "' (a number in (0.5, 1))");
    } else if (r.take("error", nullptr, &v)) {
      if (v == "relative")
        o.stats.error = ErrorMode::Relative;
      else if (v == "absolute")
        o.stats.error = ErrorMode::Absolute;
      else
        usage_error("invalid --error '" + v + "' (accepted: relative, absolute)");
    } else if (r.take("precision", nullptr, &v)) {
      if (v != "24" && v != "53")
        usage_error("invalid --precision '" + v + "' (accepted: 24, 53)");
      o.precision = std::atoi(v.c_str());
    } else if (r.take("categorical", nullptr, nullptr)) {
      o.categorical = true;
    } else if (r.take("json", nullptr, &v)) {
      o.json = v;
    } else if (r.take("html", nullptr, &v)) {
      o.html = v;
    } else if (r.take("workdir", nullptr, &v)) {
      o.workdir = v;
    } else if (r.take("keep-going", nullptr, nullptr)) {
      o.keep_going = true;
    } else if (r.take("quiet", "q", nullptr)) {
      o.quiet = true;
    } else if (r.take("help", "h", nullptr)) {
      std::fputs(kUsage, stdout);
      throw Exit{0};
    } else if (r.take("version", nullptr, nullptr)) {
      std::printf("prism-sample %s\n", PRISM_VERSION);
      throw Exit{0};
    } else {
      usage_error("unknown option '" + a + "'");
    }
  }
  for (int i = r.index(); i < argc; i++)
    o.command.push_back(argv[i]);
  if (o.command.empty())
    usage_error("no command to run (prism-sample [options] -- COMMAND [ARGS...])");
  if (o.input == InputFormat::None && !o.probes)
    usage_error("--input none reads no outputs: add --probes");
  if (o.jobs > o.samples + 1)
    o.jobs = o.samples + 1;
  if (!o.capture.empty() && o.jobs > 1 &&
      o.capture.find("{}") == std::string::npos)
    usage_error("with --jobs > 1, the --capture path needs {} (a per-run "
                "directory) so that runs do not overwrite each other's file");
  return o;
}

// A report file must be writable before hours of runs are spent.
void check_writable(const std::string &path, const char *what) {
  if (path.empty())
    return;
  fs::path p(path);
  fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (fs::is_directory(p, ec))
    die(2, "cannot write %s file '%s': it is a directory", what, path.c_str());
  if (access(path.c_str(), F_OK) == 0 ? access(path.c_str(), W_OK) != 0
                                      : access(dir.c_str(), W_OK) != 0)
    die(2, "cannot write %s file '%s': %s", what, path.c_str(), std::strerror(errno));
}

// The executable execve() runs for argv[0], searched in PATH like a shell would.
std::string resolve_command(const std::string &cmd) {
  if (cmd.find('/') != std::string::npos) {
    if (access(cmd.c_str(), X_OK) != 0)
      die(2, "cannot run '%s': %s", cmd.c_str(), std::strerror(errno));
    return cmd;
  }
  const char *path = std::getenv("PATH");
  std::string p = path ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= p.size()) {
    std::size_t colon = p.find(':', start);
    if (colon == std::string::npos)
      colon = p.size();
    std::string dir = p.substr(start, colon - start);
    std::string full = (dir.empty() ? "." : dir) + "/" + cmd;
    struct stat st;
    if (stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        access(full.c_str(), X_OK) == 0)
      return full;
    start = colon + 1;
  }
  die(2, "cannot run '%s': command not found in PATH", cmd.c_str());
}

std::string substitute(const std::string &s, const std::string &dir) {
  std::string r;
  std::size_t i = 0;
  while (true) {
    std::size_t k = s.find("{}", i);
    if (k == std::string::npos)
      break;
    r += s.substr(i, k - i) + dir;
    i = k + 2;
  }
  return r + s.substr(i);
}

bool read_file(const std::string &path, std::string &out, std::string &err) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    err = std::strerror(errno);
    return false;
  }
  out.clear();
  char buf[1 << 16];
  while (true) {
    ssize_t k = read(fd, buf, sizeof buf);
    if (k < 0) {
      if (errno == EINTR)
        continue;
      err = std::strerror(errno);
      close(fd);
      return false;
    }
    if (k == 0)
      break;
    out.append(buf, std::size_t(k));
  }
  close(fd);
  return true;
}

// Last lines of a run's stderr, indented, for failure messages.
std::string stderr_tail(const std::string &path, std::size_t lines = 12) {
  std::string data, err;
  if (!read_file(path, data, err) || data.empty())
    return "  (its stderr was empty)\n";
  if (data.size() > 8192)
    data = data.substr(data.size() - 8192);
  std::vector<std::string> ls;
  std::istringstream in(data);
  std::string l;
  while (std::getline(in, l))
    ls.push_back(l);
  std::size_t from = ls.size() > lines ? ls.size() - lines : 0;
  std::string r;
  for (std::size_t i = from; i < ls.size(); i++)
    r += "  | " + ls[i] + "\n";
  return r;
}

// ---- signals -------------------------------------------------------------------
volatile sig_atomic_t g_signal = 0;
extern "C" void on_signal(int sig) { g_signal = sig; }
extern "C" void on_child(int) {}

void install_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP})
    sigaction(s, &sa, nullptr);
  sa.sa_handler = on_child; // only to wake nanosleep early
  sa.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

// ---- runs ----------------------------------------------------------------------
struct Job {
  long index = 0;    // -1: reference
  uint64_t seed = 0;
  std::string dir;   // per-run directory
  pid_t pid = -1;
  Clock::time_point start;
};

std::string run_name(long index, uint64_t seed) {
  if (index < 0)
    return "the reference run (PRISM_BACKEND=ieee)";
  return "run " + std::to_string(index) + " (PRISM_SEED=" + std::to_string(seed) + ")";
}

std::string describe_status(int status) {
  if (WIFEXITED(status))
    return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    int s = WTERMSIG(status);
    const char *d = strsignal(s);
    return "killed by signal " + std::to_string(s) + (d ? std::string(" (") + d + ")" : "");
  }
  return "status " + std::to_string(status);
}

class Runner {
public:
  Runner(const Options &o, std::string workdir) : o_(o), workdir_(std::move(workdir)) {
    exe_ = resolve_command(o.command[0]);
    // The environment every run starts from: ours minus what we set per run.
    for (char **e = environ; *e; e++) {
      std::string kv = *e;
      std::string key = kv.substr(0, kv.find('='));
      if (key == "PRISM_BACKEND" || key == "PRISM_SEED" ||
          key == "PRISM_SAMPLE_INDEX" || (o.probes && key == "PRISM_PROBES"))
        continue;
      base_env_.push_back(kv);
      if (key.rfind("PRISM_", 0) == 0)
        passed_.emplace_back(key, kv.substr(key.size() + 1));
    }
    std::sort(passed_.begin(), passed_.end());
  }

  const std::vector<std::pair<std::string, std::string>> &passed() const { return passed_; }

  // Starts the job; its process group id is its pid.
  void spawn(Job &job) {
    fs::create_directories(job.dir);
    std::vector<std::string> args;
    for (const auto &a : o_.command)
      args.push_back(substitute(a, job.dir));
    std::vector<std::string> env = base_env_;
    if (job.index >= 0) {
      env.push_back("PRISM_BACKEND=" + o_.backend);
      env.push_back("PRISM_SEED=" + std::to_string(job.seed));
      env.push_back("PRISM_SAMPLE_INDEX=" + std::to_string(job.index));
    } else {
      env.push_back("PRISM_BACKEND=ieee");
    }
    if (o_.probes)
      env.push_back("PRISM_PROBES=" + job.dir + "/probes.txt");
    if (!o_.capture.empty() && o_.capture.find("{}") == std::string::npos)
      unlink(o_.capture.c_str()); // never read a previous run's file
    std::vector<char *> argv, envp;
    for (auto &a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto &e : env)
      envp.push_back(e.data());
    envp.push_back(nullptr);
    std::string out = job.dir + "/stdout", err = job.dir + "/stderr";
    std::string exe = exe_;
    pid_t parent = getpid();
    job.start = Clock::now();
    pid_t pid = fork();
    if (pid < 0)
      die(1, "cannot start %s: fork: %s", run_name(job.index, job.seed).c_str(),
          std::strerror(errno));
    if (pid == 0) {
      // Child: only async-signal-safe calls from here on.
      setpgid(0, 0);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent)
        _exit(127);
      struct sigaction sa {};
      sa.sa_handler = SIG_DFL;
      for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD, SIGPIPE})
        sigaction(s, &sa, nullptr);
      int in = open("/dev/null", O_RDONLY);
      int fo = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int fe = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (in < 0 || fo < 0 || fe < 0)
        _exit(126);
      dup2(in, 0);
      dup2(fo, 1);
      dup2(fe, 2);
      execve(exe.c_str(), argv.data(), envp.data());
      const char msg[] = "prism-sample: execve failed\n";
      (void)!write(2, msg, sizeof msg - 1);
      _exit(127);
    }
    setpgid(pid, pid); // also from the parent: no race with kill(-pid)
    job.pid = pid;
  }

private:
  const Options &o_;
  std::string workdir_, exe_;
  std::vector<std::string> base_env_;
  std::vector<std::pair<std::string, std::string>> passed_;
};

// ---- progress ------------------------------------------------------------------
class Progress {
public:
  Progress(bool quiet, std::size_t total)
      : on_(!quiet), tty_(isatty(2)), total_(total), t0_(Clock::now()) {}
  void update(std::size_t done, std::size_t running, bool force = false) {
    if (!on_)
      return;
    auto now = Clock::now();
    double secs = std::chrono::duration<double>(now - t0_).count();
    if (tty_) {
      if (!force && now - last_ < std::chrono::milliseconds(100))
        return;
      last_ = now;
      const int W = 30;
      int fill = total_ ? int(W * done / total_) : W;
      std::string bar(std::size_t(fill), '#');
      bar.resize(W, '.');
      std::fprintf(stderr, "\r\033[K[%s] %zu/%zu runs, %zu running, %.1f s",
                   bar.c_str(), done, total_, running, secs);
      std::fflush(stderr);
      g_progress_line_open = true;
    } else {
      std::size_t decile = total_ ? 10 * done / total_ : 10;
      if (done == 0 || (decile == last_decile_ && done != total_) ||
          done == last_done_)
        return;
      last_decile_ = decile;
      last_done_ = done;
      std::fprintf(stderr, "prism-sample: %zu/%zu runs done (%.1f s)\n", done,
                   total_, secs);
    }
  }
  void finish() { end_progress_line(); }

private:
  bool on_, tty_;
  std::size_t total_, last_decile_ = 0, last_done_ = 0;
  Clock::time_point t0_, last_{};
};

// ---- one run's outputs -----------------------------------------------------------
struct RunOutput {
  std::vector<double> values; // the program's outputs (stdout or capture)
  std::vector<std::pair<std::string, std::vector<double>>> probes; // first-use order
};

// Stops every running job: SIGTERM to its process group, SIGKILL after 1 s.
void stop_all(std::map<pid_t, Job> &running) {
  for (auto &[pid, job] : running)
    kill(-pid, SIGTERM);
  auto deadline = Clock::now() + std::chrono::seconds(1);
  std::map<pid_t, bool> reaped;
  while (Clock::now() < deadline) {
    bool all = true;
    for (auto &[pid, job] : running) {
      if (reaped[pid])
        continue;
      int st;
      pid_t r = waitpid(pid, &st, WNOHANG);
      if (r == pid || (r < 0 && errno == ECHILD))
        reaped[pid] = true;
      else
        all = false;
    }
    if (all)
      break;
    struct timespec ts {0, 10 * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
  // Whatever is left of each group (the leader or children it started).
  for (auto &[pid, job] : running) {
    kill(-pid, SIGKILL);
    if (!reaped[pid])
      waitpid(pid, nullptr, 0);
  }
  running.clear();
}

std::string local_time_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", &tm);
  return buf;
}

int sample_main(int argc, char **argv) {
  Options o = parse_options(argc, argv);
  check_writable(o.json, "--json");
  check_writable(o.html, "--html");

  // Working directory: per-run subdirectories (stdout, stderr, probes, {}).
  std::string workdir;
  if (!o.workdir.empty()) {
    std::error_code ec;
    fs::create_directories(o.workdir, ec);
    if (ec || access(o.workdir.c_str(), W_OK) != 0)
      die(2, "cannot use --workdir '%s': %s", o.workdir.c_str(),
          ec ? ec.message().c_str() : std::strerror(errno));
    workdir = fs::absolute(o.workdir).lexically_normal().string();
  } else {
    const char *tmp = std::getenv("TMPDIR");
    std::string tmpl = std::string(tmp && *tmp ? tmp : "/tmp") + "/prism-sample.XXXXXX";
    if (!mkdtemp(tmpl.data()))
      die(2, "cannot create a temporary directory '%s': %s", tmpl.c_str(),
          std::strerror(errno));
    workdir = tmpl;
    g_workdir_to_remove = workdir;
  }

  Runner runner(o, workdir);
  Study study;
  study.command = o.command;
  study.backend = o.backend;
  study.samples = o.samples;
  study.jobs = o.jobs;
  study.seed = o.seed;
  study.reference = o.reference;
  study.capture = o.capture;
  study.probes = o.probes;
  study.categorical = o.categorical;
  study.keep_going = o.keep_going;
  study.environment = runner.passed();
  study.started = local_time_iso();
  study.runs.resize(o.samples);

  std::deque<Job> queue;
  bool with_ref = o.reference == "ieee";
  auto make_job = [](long index, uint64_t seed, std::string dir) {
    Job j;
    j.index = index;
    j.seed = seed;
    j.dir = std::move(dir);
    return j;
  };
  if (with_ref)
    queue.push_back(make_job(-1, 0, workdir + "/reference"));
  for (std::size_t i = 0; i < o.samples; i++) {
    char name[32];
    std::snprintf(name, sizeof name, "/run-%04zu", i);
    queue.push_back(make_job(long(i), o.seed + i, workdir + name));
  }
  const std::size_t total = queue.size();

  install_handlers();
  Progress progress(o.quiet, total);
  if (!o.quiet && !isatty(2))
    std::fprintf(stderr, "prism-sample: %zu runs of %s under %s%s, %zu at a time\n",
                 o.samples, o.command[0].c_str(), o.backend.c_str(),
                 with_ref ? " (+1 ieee reference run)" : "", o.jobs);

  std::map<pid_t, Job> running;
  std::vector<std::optional<RunOutput>> outputs(o.samples);
  std::optional<RunOutput> ref_output;
  InputFormat format = o.input;
  int data_precision = 53;
  // The first run whose outputs were read: every other run must match it.
  std::optional<long> base_index;
  uint64_t base_seed = 0;
  std::size_t done = 0, failed = 0, shown_done = 0;
  auto t0 = Clock::now();

  auto fail_study = [&](int status, const std::string &msg) {
    stop_all(running);
    die(status, "%s", msg.c_str());
  };

  // Reads and checks the outputs of a finished job; returns false to stop.
  auto collect = [&](const Job &job) {
    std::string who = run_name(job.index, job.seed);
    RunOutput ro;
    if (format != InputFormat::None) {
      std::string path = o.capture.empty() ? job.dir + "/stdout"
                                           : substitute(o.capture, job.dir);
      std::string data, err;
      if (!read_file(path, data, err))
        fail_study(2, who + ": cannot read " +
                          (o.capture.empty() ? std::string("its stdout")
                                             : "capture file '" + path + "'") +
                          ": " + err);
      try {
        if (format == InputFormat::Auto)
          format = detect_format(data, path);
        Values v = parse_values(data, format, path);
        data_precision = v.precision;
        ro.values = std::move(v.values);
      } catch (const FormatError &e) {
        fail_study(2, who + ": " +
                          (o.capture.empty() ? std::string("stdout")
                                             : "'" + path + "'") +
                          ": " + e.what());
      }
    }
    if (o.probes) {
      std::string data, err, path = job.dir + "/probes.txt";
      if (read_file(path, data, err)) {
        try {
          std::map<std::string, std::size_t> at;
          for (auto &[name, value] : parse_probes(data)) {
            auto it = at.find(name);
            if (it == at.end()) {
              it = at.emplace(name, ro.probes.size()).first;
              ro.probes.push_back({name, {}});
            }
            ro.probes[it->second].second.push_back(value);
          }
        } catch (const FormatError &e) {
          fail_study(2, who + ": probes file: " + e.what());
        }
      }
    }
    // Same shape as the first run read.
    const RunOutput *base = nullptr;
    if (base_index)
      base = *base_index < 0 ? &*ref_output : &*outputs[std::size_t(*base_index)];
    if (base) {
      std::string other = run_name(*base_index, base_seed);
      if (ro.values.size() != base->values.size())
        fail_study(1, "outputs of different lengths: " + other + " gave " +
                          std::to_string(base->values.size()) + " values, " + who +
                          " gave " + std::to_string(ro.values.size()));
      for (const auto &[name, vals] : base->probes) {
        std::size_t count = 0;
        for (const auto &[n2, v2] : ro.probes)
          if (n2 == name)
            count = v2.size();
        if (count != vals.size())
          fail_study(1, "probe '" + name + "' was written " +
                            std::to_string(vals.size()) + " times by " + other +
                            " and " + std::to_string(count) + " times by " + who);
      }
      for (const auto &[name, vals] : ro.probes) {
        bool known = false;
        for (const auto &b : base->probes)
          known = known || b.first == name;
        if (!known)
          fail_study(1, "probe '" + name + "' was written by " + who + " but not by " +
                            other);
      }
    } else {
      base_index = job.index;
      base_seed = job.seed;
    }
    if (job.index < 0)
      ref_output = std::move(ro);
    else
      outputs[std::size_t(job.index)] = std::move(ro);
  };

  while (!queue.empty() || !running.empty()) {
    if (g_signal) {
      int sig = g_signal;
      std::size_t n = running.size();
      stop_all(running);
      die(128 + sig, "interrupted by %s: stopped %zu running run%s",
          sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP", n,
          n == 1 ? "" : "s");
    }
    while (running.size() < o.jobs && !queue.empty()) {
      Job job = queue.front();
      queue.pop_front();
      runner.spawn(job);
      running.emplace(job.pid, job);
    }
    progress.update(done, running.size(), done != shown_done);
    shown_done = done;
    int status;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid == 0 || (pid < 0 && errno == EINTR)) {
      struct timespec ts {0, 20 * 1000 * 1000};
      nanosleep(&ts, nullptr); // SIGCHLD cuts it short
      continue;
    }
    if (pid < 0)
      die(1, "waitpid: %s", std::strerror(errno));
    auto it = running.find(pid);
    if (it == running.end())
      continue;
    Job job = it->second;
    running.erase(it);
    double secs = std::chrono::duration<double>(Clock::now() - job.start).count();
    done++;
    RunInfo info;
    info.index = job.index;
    info.seed = job.seed;
    info.seconds = secs;
    bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (!ok) {
      std::string who = run_name(job.index, job.seed);
      std::string what = describe_status(status);
      std::string tail = stderr_tail(job.dir + "/stderr");
      if (!o.keep_going || job.index < 0) {
        stop_all(running);
        end_progress_line();
        std::fprintf(stderr, "prism-sample: %s failed: %s; last lines of its stderr:\n%s",
                     who.c_str(), what.c_str(), tail.c_str());
        if (job.index >= 0)
          std::fprintf(stderr, "prism-sample: the study stopped (--keep-going "
                               "leaves failing runs out instead)\n");
        throw Exit{1};
      }
      if (!tail.empty() && tail.back() == '\n')
        tail.pop_back();
      warn("%s failed: %s; left out (--keep-going); last lines of its stderr:\n%s",
           who.c_str(), what.c_str(), tail.c_str());
      info.failed = true;
      info.failure = what;
      failed++;
    } else {
      collect(job);
    }
    if (job.index < 0)
      study.reference_run = info;
    else
      study.runs[std::size_t(job.index)] = info;
  }
  progress.update(done, 0, true);
  progress.finish();
  study.total_seconds = std::chrono::duration<double>(Clock::now() - t0).count();

  // ---- statistics ----
  std::vector<std::vector<double>> used;
  std::vector<std::string> names;
  const RunOutput *shape = nullptr;
  for (auto &out : outputs)
    if (out && !shape)
      shape = &*out;
  if (!shape)
    die(1, "no run succeeded");
  auto flatten = [&](const RunOutput &ro) {
    std::vector<double> v = ro.values;
    for (const auto &[name, _] : shape->probes)
      for (const auto &[n2, vals] : ro.probes)
        if (n2 == name)
          v.insert(v.end(), vals.begin(), vals.end());
    return v;
  };
  names.assign(shape->values.size(), "");
  for (const auto &[name, vals] : shape->probes) {
    Probe p;
    p.name = name;
    for (std::size_t k = 0; k < vals.size(); k++) {
      p.elements.push_back(names.size());
      names.push_back(vals.size() == 1 ? name : name + "[" + std::to_string(k) + "]");
    }
    study.probe_list.push_back(std::move(p));
  }
  for (auto &out : outputs)
    if (out)
      used.push_back(flatten(*out));
  study.used_samples = used.size();
  if (failed)
    study.notes.push_back(std::to_string(failed) + " of " + std::to_string(o.samples) +
                          " runs failed and were left out (--keep-going)");
  if (used.size() < 2)
    die(1, "only %zu run%s succeeded: the statistics need at least 2", used.size(),
        used.size() == 1 ? "" : "s");
  std::size_t m = names.size();
  if (m == 0)
    die(1, "the runs output no numbers (empty %s)",
        o.capture.empty() ? "stdout" : "capture file");

  study.input = format == InputFormat::Auto ? "text" : format_name(format);
  study.stats = o.stats;
  study.stats.precision = o.precision ? *o.precision : data_precision;
  std::vector<double> reference(m);
  if (with_ref) {
    reference = flatten(*ref_output);
  } else if (o.categorical) {
    std::vector<std::span<const double>> spans(used.begin(), used.end());
    reference = majority_labels(spans);
  } else {
    std::vector<double> col(used.size());
    for (std::size_t j = 0; j < m; j++) {
      for (std::size_t r = 0; r < used.size(); r++)
        col[r] = used[r][j];
      reference[j] = mean_reference(col);
    }
  }
  Analyzer analyze(used.size(), study.stats);
  study.elements.resize(m);
  {
    std::vector<double> col(used.size());
    for (std::size_t j = 0; j < m; j++) {
      for (std::size_t r = 0; r < used.size(); r++)
        col[r] = used[r][j];
      study.elements[j] = analyze(col, reference[j]);
    }
  }
  study.names = names;
  study.summary = summarize(study.elements);
  study.values = &used;
  if (o.categorical) {
    std::vector<std::span<const double>> spans(used.begin(), used.end());
    study.dice = dice(spans, reference);
  }
  std::size_t zero_ref = 0, nan_some = 0;
  for (const auto &e : study.elements) {
    zero_ref += e.status == Status::ZeroReference;
    nan_some += e.status == Status::NanSome;
  }
  if (zero_ref && !o.categorical) {
    std::string n = std::to_string(zero_ref) + " output" + (zero_ref > 1 ? "s have" : " has") +
                    " a zero reference: the relative error is undefined there "
                    "(no bits reported); --error absolute measures them";
    warn("%s", n.c_str());
    study.notes.push_back(n);
  }
  if (nan_some && !o.categorical) {
    std::string n = std::to_string(nan_some) + " output" + (nan_some > 1 ? "s are" : " is") +
                    " NaN or infinite in some runs but not all (0 significant bits)";
    warn("%s", n.c_str());
    study.notes.push_back(n);
  }

  // ---- reports ----
  write_table(stdout, study);
  std::fflush(stdout);
  auto write_to = [&](const std::string &path, const char *what, auto writer) {
    if (path.empty())
      return;
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    if (f)
      writer(f, study);
    f.flush();
    if (!f)
      die(2, "cannot write %s file '%s': %s", what, path.c_str(), std::strerror(errno));
  };
  write_to(o.json, "--json", [](std::ostream &f, const Study &s) { write_json(f, s); });
  write_to(o.html, "--html", [](std::ostream &f, const Study &s) { write_html(f, s); });
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  int status;
  try {
    if (argc >= 2 && std::strcmp(argv[1], "plan") == 0)
      status = plan_main(argc, argv);
    else
      status = sample_main(argc, argv);
  } catch (const Exit &e) {
    status = e.status;
  } catch (const std::exception &e) {
    end_progress_line();
    std::fprintf(stderr, "prism-sample: %s\n", e.what());
    status = 1;
  }
  if (!g_workdir_to_remove.empty()) {
    std::error_code ec;
    fs::remove_all(g_workdir_to_remove, ec);
  }
  std::fflush(stdout);
  return status;
}
