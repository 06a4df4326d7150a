// fixture.cpp - a stand-in program for the prism-sample CLI tests: it prints
// prepared values that depend on PRISM_SAMPLE_INDEX (unset = the reference
// run), so the expected statistics are known exactly.
//
//   sample_fixture [--out PATH] [--format FMT] MODE [K] [PATH]
//   FMT: text (default), csv, npy, npy32, npyi, f32, f64
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>
#include <unistd.h>

namespace {

long sample_index() {
  const char *s = std::getenv("PRISM_SAMPLE_INDEX");
  return s ? std::atol(s) : -1;
}

// The values of the modes, for run `i` (-1: reference).
std::vector<double> values(const std::string &mode, long i, long k) {
  if (mode == "spec") {
    // SPEC.md test vector: X = [1+2^-20, 1-2^-20, 1+2^-21, 1-2^-21], Y = 1.
    const double x[4] = {1 + 0x1p-20, 1 - 0x1p-20, 1 + 0x1p-21, 1 - 0x1p-21};
    return {i < 0 ? 1.0 : x[i % 4]};
  }
  if (mode == "abs") {
    // Y = 8 (e = 4), X = 8 +- 2^-10 alternately.
    return {i < 0 ? 8.0 : 8 + ((i % 2) ? -0x1p-10 : 0x1p-10)};
  }
  if (mode == "vec") {
    // Five outputs; output j deviates by +-2^-(10+5j) relatively.
    std::vector<double> v;
    for (int j = 0; j < 5; j++) {
      double d = i < 0 ? 0 : ((i % 2) ? -1 : 1) * std::ldexp(1.0, -(10 + 5 * j));
      v.push_back((j + 1) * (1 + d));
    }
    return v;
  }
  if (mode == "labels") {
    // Categorical: the reference and run 1 agree; run 0 moves element 1 from
    // label 0 to label 1.
    if (i == 0)
      return {0, 1, 1, 1, 2, 2};
    return {0, 0, 1, 1, 2, 2};
  }
  if (mode == "len") // run k prints one value more
    return i == k ? std::vector<double>{1, 2, 3} : std::vector<double>{1, 2};
  if (mode == "nan") {
    // Output 0: fine; 1: NaN in run k only; 2: NaN everywhere; 3: inf in all.
    double nan = std::nan("");
    return {1 + (i < 0 ? 0 : (i % 2 ? -1 : 1) * 0x1p-30), i == k ? nan : 2.0, nan,
            INFINITY};
  }
  if (mode == "zero") // output 0: always 0; output 1: reference 0, runs not
    return {0, i < 0 ? 0 : (i % 2 ? -1 : 1) * 1e-3};
  return {1};
}

void put_le(std::string &out, const void *p, std::size_t n) {
  out.append(static_cast<const char *>(p), n);
}

std::string npy(const std::vector<double> &v, const std::string &descr) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" +
                       std::to_string(v.size()) + ",), }";
  std::size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  uint16_t len = uint16_t(header.size());
  put_le(out, &len, 2);
  out += header;
  for (double x : v) {
    if (descr == "<f8")
      put_le(out, &x, 8);
    else if (descr == "<f4") {
      float f = float(x);
      put_le(out, &f, 4);
    } else {
      int32_t n = int32_t(x);
      put_le(out, &n, 4);
    }
  }
  return out;
}

std::string render(const std::vector<double> &v, const std::string &fmt) {
  std::string out;
  char buf[64];
  if (fmt == "text") {
    for (double x : v) {
      std::snprintf(buf, sizeof buf, "%a\n", x); // hex floats: exact
      out += buf;
    }
  } else if (fmt == "csv") {
    out = "a,b\n"; // header row, then two values per row
    for (std::size_t j = 0; j < v.size(); j++) {
      std::snprintf(buf, sizeof buf, "%.17g%s", v[j],
                    (j % 2 == 1 || j + 1 == v.size()) ? "\n" : ",");
      out += buf;
    }
  } else if (fmt == "npy") {
    out = npy(v, "<f8");
  } else if (fmt == "npy32") {
    out = npy(v, "<f4");
  } else if (fmt == "npyi") {
    out = npy(v, "<i4");
  } else if (fmt == "f32") {
    for (double x : v) {
      float f = float(x);
      put_le(out, &f, 4);
    }
  } else if (fmt == "f64") {
    for (double x : v)
      put_le(out, &x, 8);
  }
  return out;
}

} // namespace

int main(int argc, char **argv) {
  std::string out_path, fmt = "text", mode = "one";
  int a = 1;
  for (; a < argc; a++) {
    std::string s = argv[a];
    if (s == "--out" && a + 1 < argc)
      out_path = argv[++a];
    else if (s == "--format" && a + 1 < argc)
      fmt = argv[++a];
    else
      break;
  }
  if (a < argc)
    mode = argv[a++];
  long k = a < argc ? std::atol(argv[a]) : 0;
  long i = sample_index();

  if (mode == "fail" && i == k) {
    std::fprintf(stderr, "some diagnostics\nboom from run %ld\n", i);
    return 3;
  }
  if (mode == "crash" && i == k) {
    std::fprintf(stderr, "about to abort\n");
    std::fflush(stderr);
    std::abort();
  }
  if (mode == "probes") {
    // Stdout: one value; probes: 'energy' once, 'residual' three times.
    const char *path = std::getenv("PRISM_PROBES");
    if (!path) {
      std::fprintf(stderr, "PRISM_PROBES is not set\n");
      return 4;
    }
    std::FILE *f = std::fopen(path, "a");
    double d = i < 0 ? 0 : (i % 2 ? -1 : 1) * 0x1p-20;
    std::fprintf(f, "energy %.17g\n", 2 * (1 + d));
    for (int r = 0; r < 3; r++)
      std::fprintf(f, "residual %.17g\n", std::ldexp(1.0, -r) * (1 + d * (r + 1)));
    std::fclose(f);
    std::printf("%a\n", 1 + d);
    return 0;
  }
  if (mode == "barrier") {
    // barrier K DIR - parallel runs: every sample run waits (10 s at most)
    // until all K sample runs have announced themselves in DIR.
    std::string dir = a + 1 < argc ? argv[a + 1] : ".";
    if (i >= 0) {
      std::FILE *f = std::fopen((dir + "/" + std::to_string(i)).c_str(), "w");
      if (f)
        std::fclose(f);
      auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      while (true) {
        long n = 0;
        for (auto &e : std::filesystem::directory_iterator(dir))
          n += e.is_regular_file();
        if (n >= k)
          break;
        if (std::chrono::steady_clock::now() > deadline) {
          std::fprintf(stderr, "only %ld of %ld runs ran at the same time\n", n, k);
          return 5;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
    std::printf("1\n");
    return 0;
  }
  if (mode == "hang") {
    // hang PATH - writes "<pid> <grandchild pid>" to PATH-<i> and sleeps; the
    // grandchild sleeps too. Ctrl-C on prism-sample must end both.
    std::string base = a < argc ? argv[a] : "hang";
    if (i < 0) {
      std::printf("1\n");
      return 0;
    }
    pid_t g = fork();
    if (g == 0) {
      sleep(60);
      _exit(0);
    }
    std::string tmp = base + "-" + std::to_string(i) + ".tmp";
    std::FILE *f = std::fopen(tmp.c_str(), "w");
    std::fprintf(f, "%d %d\n", int(getpid()), int(g));
    std::fclose(f);
    std::rename(tmp.c_str(), (base + "-" + std::to_string(i)).c_str());
    sleep(60);
    return 0;
  }
  if (mode == "env") {
    // env DIR - writes the variables prism-sample sets to DIR/env-<i>
    // (env-ref for the reference run) and prints the sample index.
    std::string dir = a < argc ? argv[a] : ".";
    std::string path = dir + "/env-" + (i < 0 ? std::string("ref") : std::to_string(i));
    std::FILE *f = std::fopen(path.c_str(), "w");
    for (const char *v : {"PRISM_BACKEND", "PRISM_SEED", "PRISM_SAMPLE_INDEX",
                          "PRISM_PRECISION_BINARY64"}) {
      const char *s = std::getenv(v);
      std::fprintf(f, "%s=%s\n", v, s ? s : "(unset)");
    }
    std::fclose(f);
    std::printf("%ld\n", i);
    return 0;
  }
  std::string data = render(values(mode, i, k), fmt);
  if (out_path.empty()) {
    std::fwrite(data.data(), 1, data.size(), stdout);
  } else {
    std::FILE *f = std::fopen(out_path.c_str(), "wb");
    if (!f) {
      std::fprintf(stderr, "cannot write %s: %s\n", out_path.c_str(),
                   std::strerror(errno));
      return 6;
    }
    std::fwrite(data.data(), 1, data.size(), f);
    std::fclose(f);
  }
  return 0;
}
