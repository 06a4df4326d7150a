// e2e.cpp - helpers of the end-to-end suite (see e2e.h).
#include "e2e.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <signal.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char **environ;

namespace fs = std::filesystem;

namespace e2e {

// ---- paths -----------------------------------------------------------------
std::string binDir() { return PRISM_BIN_DIR; }
std::string prefixDir() { return PRISM_PREFIX_DIR; }
std::string libDir() { return prefixDir() + "/lib"; }
std::string pkgLibDir() { return prefixDir() + "/lib/prism"; }
std::string includeDir() { return prefixDir() + "/include"; }
std::string sourceDir() { return PRISM_SOURCE_DIR; }
std::string e2eSrcDir() { return PRISM_E2E_SRC_DIR; }
std::string programsDir() { return e2eSrcDir() + "/programs"; }
std::string prismCC() { return binDir() + "/prism-cc"; }
std::string prismCXX() { return binDir() + "/prism-c++"; }
std::string clangC() { return PRISM_E2E_CLANG; }
std::string clangCXX() { return PRISM_E2E_CLANGXX; }

static std::string scratchRoot() { return PRISM_E2E_SCRATCH_DIR; }

std::string freshDir(const std::string &name) {
  fs::path p = fs::path(scratchRoot()) / "tests" / name;
  std::error_code ec;
  fs::remove_all(p, ec);
  fs::create_directories(p);
  return p.string();
}

std::string keptDir(const std::string &name) {
  fs::path p = fs::path(scratchRoot()) / name;
  fs::create_directories(p);
  return p.string();
}

// ---- files -----------------------------------------------------------------
bool exists(const std::string &path) {
  std::error_code ec;
  return fs::exists(path, ec);
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const std::string &path, const std::string &text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

void copyTree(const std::string &from, const std::string &to) {
  fs::create_directories(to);
  fs::copy(from, to,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
}

// ---- processes -------------------------------------------------------------
std::string Result::describe() const {
  std::ostringstream os;
  os << "status " << status << (signaled ? " (signal)" : "")
     << (timed_out ? " (timed out)" : "") << "\n--- stdout ---\n"
     << out.substr(0, 4000) << "\n--- stderr ---\n"
     << err.substr(0, 4000);
  return os.str();
}

static bool dropped(const std::string &name) {
  static const char *kDrop[] = {
      "MAKEFLAGS", "MFLAGS",  "MAKELEVEL", "CFLAGS", "CXXFLAGS",
      "CPPFLAGS",  "LDFLAGS", "CC",        "CXX",    "OMP_NUM_THREADS"};
  if (name.rfind("PRISM_", 0) == 0 || name.rfind("CMAKE_", 0) == 0)
    return true;
  for (const char *d : kDrop)
    if (name == d)
      return true;
  return false;
}

Result run(const std::vector<std::string> &argv, const Env &env,
           const std::string &cwd, int timeout_s) {
  Result r;
  std::vector<std::string> envs;
  for (char **e = environ; e && *e; ++e) {
    std::string kv = *e;
    std::string name = kv.substr(0, kv.find('='));
    bool overridden = false;
    for (auto &[k, v] : env)
      overridden |= k == name;
    if (!dropped(name) && !overridden)
      envs.push_back(kv);
  }
  for (auto &[k, v] : env)
    envs.push_back(k + "=" + v);
  std::vector<char *> cargv, cenv;
  for (auto &a : argv)
    cargv.push_back(const_cast<char *>(a.c_str()));
  cargv.push_back(nullptr);
  for (auto &e : envs)
    cenv.push_back(const_cast<char *>(e.c_str()));
  cenv.push_back(nullptr);

  int outp[2], errp[2];
  if (pipe2(outp, O_CLOEXEC) != 0 || pipe2(errp, O_CLOEXEC) != 0) {
    r.err = "pipe failed";
    return r;
  }
  pid_t pid = fork();
  if (pid < 0) {
    r.err = "fork failed";
    return r;
  }
  if (pid == 0) {
    setpgid(0, 0);
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(outp[1], 1);
    dup2(errp[1], 2);
    if (!cwd.empty() && chdir(cwd.c_str()) != 0)
      _exit(126);
    execvpe(cargv[0], cargv.data(), cenv.data());
    dprintf(2, "exec %s: %s\n", cargv[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid, pid);
  close(outp[1]);
  close(errp[1]);
  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
  struct pollfd fds[2] = {{outp[0], POLLIN, 0}, {errp[0], POLLIN, 0}};
  std::string *sinks[2] = {&r.out, &r.err};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0 && !r.timed_out) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
    }
    int n =
        poll(fds, 2, r.timed_out ? 1000 : (int)std::min<long long>(left, 1000));
    if (n < 0 && errno != EINTR)
      break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, (size_t)got);
      } else if (got == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto &f : fds)
    if (f.fd >= 0)
      close(f.fd);
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(st)) {
    r.status = WEXITSTATUS(st);
  } else if (WIFSIGNALED(st)) {
    r.signaled = true;
    r.status = 128 + WTERMSIG(st);
  }
  return r;
}

Result sh(const std::string &command, const Env &env, const std::string &cwd,
          int timeout_s) {
  return run({"/bin/sh", "-c", command}, env, cwd, timeout_s);
}

// ---- building --------------------------------------------------------------
namespace {

struct Hasher {
  uint64_t h = 0xcbf29ce484222325ull;
  void add(const std::string &s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ull;
    }
    h ^= 0xff;
    h *= 0x100000001b3ull;
  }
};

std::string stamp(const std::string &path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return path + ":missing";
  return path + ":" + std::to_string(st.st_size) + ":" +
         std::to_string(st.st_mtim.tv_sec) + "." +
         std::to_string(st.st_mtim.tv_nsec);
}

// What a compiled program depends on besides its sources: the wrapper, the
// plugin and the public headers. (The runtime and backends are shared
// libraries found at run time: rebuilding them needs no relink.)
const std::string &toolchainStamp() {
  static const std::string s = [] {
    std::string r;
    for (const char *rel : {"/bin/prism-cc", "/bin/prism-config",
                            "/lib/prism/PrismPass.so", "/include/prism.h",
                            "/include/prism/backend.h", "/include/prism/rng.h"})
      r += stamp(prefixDir() + rel) + ";";
    // Headers shared by the test programs.
    for (const auto &dir : {programsDir(), programsDir() + "/backends"}) {
      std::error_code ec;
      for (auto &e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".h")
          r += e.path().string() + "=" + readFile(e.path().string()) + ";";
    }
    return r;
  }();
  return s;
}

std::string hex16(uint64_t v) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", (unsigned long long)v);
  return b;
}

} // namespace

std::string tryBuild(const std::string &name,
                     const std::vector<std::string> &argv, Result *result,
                     const std::vector<std::string> &extra_deps) {
  Hasher h;
  h.add(toolchainStamp());
  for (auto &a : argv) {
    h.add(a);
    std::error_code ec;
    if (fs::is_regular_file(a, ec))
      h.add(readFile(a));
  }
  for (auto &d : extra_deps)
    h.add(d + "=" + readFile(d));
  std::string cache = keptDir("cache");
  std::string dir = cache + "/" + hex16(h.h);
  std::string out = dir + "/" + name;
  if (exists(out)) {
    if (result)
      *result = Result{0, false, false, "", "(cached)"};
    return out;
  }
  std::string tmp =
      cache + "/tmp-" + hex16(h.h) + "-" + std::to_string(getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp);
  std::vector<std::string> cmd = argv;
  cmd.push_back("-o");
  cmd.push_back(tmp + "/" + name);
  Result r = run(cmd, {}, tmp, 900);
  if (result)
    *result = r;
  if (r.status != 0 || !exists(tmp + "/" + name)) {
    fs::remove_all(tmp, ec);
    return "";
  }
  fs::rename(tmp, dir, ec); // atomic; loses harmlessly to a concurrent build
  if (ec)
    fs::remove_all(tmp, ec);
  return out;
}

std::string build(const std::string &name, const std::vector<std::string> &argv,
                  const std::vector<std::string> &extra_deps) {
  Result r;
  std::string out = tryBuild(name, argv, &r, extra_deps);
  if (out.empty()) {
    std::string cmd;
    for (auto &a : argv)
      cmd += a + " ";
    ADD_FAILURE() << "build of " << name << " failed: " << cmd << "\n"
                  << r.describe();
  }
  return out;
}

void buildAll(const std::vector<std::function<std::string()>> &jobs) {
  std::vector<std::string> out(jobs.size());
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < jobs.size();)
      out[i] = jobs[i]();
  };
  std::thread t(worker);
  worker();
  t.join();
  for (const std::string &o : out)
    EXPECT_FALSE(o.empty());
}

std::string buildBackend(const std::string &stem) {
  return build("lib" + stem + ".so",
               {clangC(), "-shared", "-fPIC", "-O2", "-ffp-contract=off",
                "-I" + includeDir(), programsDir() + "/backends/" + stem + ".c",
                "-lm"});
}

void compileAndCompare(const std::string &name, const std::string &source,
                       const std::vector<std::string> &flags) {
  std::string d = keptDir("sources");
  std::string src = d + "/" + name + ".c";
  if (readFile(src) != source)
    writeFile(src, source);
  std::vector<std::string> n{clangC(), "-Wno-psabi"},
      p{prismCC(), "-Wno-psabi"};
  n.insert(n.end(), flags.begin(), flags.end());
  p.insert(p.end(), flags.begin(), flags.end());
  n.push_back(src);
  p.push_back(src);
  std::string native = build(name + "_native", n);
  Result r;
  std::string prism = tryBuild(name + "_prism", p, &r);
  ASSERT_FALSE(prism.empty()) << "prism-cc failed to compile:\n"
                              << r.describe();
  ASSERT_FALSE(native.empty());
  Result a = run({native});
  Result b = run(
      {prism}, {{"PRISM_BACKEND", pkgLibDir() + "/libprism-backend-ieee.so"}});
  Result c = run({prism}, {{"PRISM_BACKEND", "sr"}, {"PRISM_SEED", "1"}});
  ASSERT_EQ(a.status, 0) << a.describe();
  EXPECT_EQ(b.status, 0) << b.describe();
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(c.status, 0) << c.describe();
}

// ---- text ------------------------------------------------------------------
std::vector<std::string> lines(const std::string &text) {
  std::vector<std::string> r;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l))
    r.push_back(l);
  return r;
}

size_t countOccurrences(const std::string &text, const std::string &needle) {
  size_t n = 0;
  for (size_t p = text.find(needle); p != std::string::npos;
       p = text.find(needle, p + needle.size()))
    ++n;
  return n;
}

bool contains(const std::string &text, const std::string &needle) {
  return text.find(needle) != std::string::npos;
}

std::map<std::string, std::string> labelled(const std::string &text) {
  std::map<std::string, std::string> m;
  for (auto &l : lines(text)) {
    size_t sp = l.find(' ');
    if (sp == std::string::npos)
      m[l] = "";
    else
      m[l.substr(0, sp)] = l.substr(sp + 1);
  }
  return m;
}

bool cpuHasAvx512() { return __builtin_cpu_supports("avx512f"); }


} // namespace e2e
