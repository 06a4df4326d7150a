// e2e.h - helpers of the end-to-end suite: run a command with a controlled
// environment, build programs with the prism wrappers (cached on disk so that
// tests running in separate processes share binaries), compare outputs.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace e2e {

// ---- paths (compile definitions from CMakeLists.txt) -----------------------
std::string binDir();      // build/bin: prism-cc, prism-c++, prism-config
std::string prefixDir();   // build tree root (= install prefix layout)
std::string libDir();      // build/lib
std::string pkgLibDir();   // build/lib/prism
std::string includeDir();  // build/include
std::string sourceDir();   // project source root
std::string e2eSrcDir();   // tests/e2e
std::string programsDir(); // tests/e2e/programs
std::string prismCC();
std::string prismCXX();
std::string clangC();   // clang-19
std::string clangCXX(); // clang++-19

// A fresh (emptied) scratch directory for one test: <scratch>/<name>.
std::string freshDir(const std::string &name);
// A scratch directory that is kept between tests.
std::string keptDir(const std::string &name);

// ---- files -----------------------------------------------------------------
bool exists(const std::string &path);
std::string readFile(const std::string &path);
void writeFile(const std::string &path, const std::string &text);
void copyTree(const std::string &from, const std::string &to);

// ---- processes -------------------------------------------------------------
using Env = std::vector<std::pair<std::string, std::string>>;

struct Result {
  int status = -1; // exit status, or 128 + signal number
  bool signaled = false;
  bool timed_out = false;
  std::string out, err;
  std::string describe() const; // for failure messages
};

// Runs argv[0] (looked up in PATH) with the inherited environment minus every
// PRISM_* variable, plus `env`. stdin is /dev/null. Killed after `timeout_s`.
Result run(const std::vector<std::string> &argv, const Env &env = {},
           const std::string &cwd = "", int timeout_s = 120);
// Runs a shell command line with /bin/sh -c.
Result sh(const std::string &command, const Env &env = {},
          const std::string &cwd = "", int timeout_s = 300);

// ---- building --------------------------------------------------------------
// Runs `argv + {"-o", OUT}` unless an output built from the same command,
// the same input files (every argument naming an existing file, plus
// `extra_deps`) and the same prism build (wrapper, plugin, headers, runtime)
// exists already; returns OUT (empty after a failure, which is reported).
std::string build(const std::string &name, const std::vector<std::string> &argv,
                  const std::vector<std::string> &extra_deps = {});
// The same, returning the compiler's result instead of failing the test.
std::string tryBuild(const std::string &name,
                     const std::vector<std::string> &argv, Result *result,
                     const std::vector<std::string> &extra_deps = {});

// Writes `source` (C) to the scratch directory, builds it with clang-19 and
// with prism-cc using `flags`; the prism build must compile and print under
// the ieee backend loaded by path (the instrumented path) exactly what the
// native build prints, and run under sr.
void compileAndCompare(const std::string &name, const std::string &source,
                       const std::vector<std::string> &flags);

// Runs every job, two at a time (the CI machine has two cores), and expects
// each to return a non-empty path: the setup fixtures build their programs
// with this so that the tests after them find build()'s cache filled.
void buildAll(const std::vector<std::function<std::string()>> &jobs);

// Third-party backend from programs/backends/<stem>.c, built with clang-19.
std::string buildBackend(const std::string &stem);

// ---- text ------------------------------------------------------------------
std::vector<std::string> lines(const std::string &text);
size_t countOccurrences(const std::string &text, const std::string &needle);
bool contains(const std::string &text, const std::string &needle);
// "label rest..." lines -> {label: rest}
std::map<std::string, std::string> labelled(const std::string &text);

bool cpuHasAvx512();

} // namespace e2e

