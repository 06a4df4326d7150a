// Fashion-MNIST inference with OpenCV's dnn module, for prism-sample: the
// OpenCV counterpart of examples/dl/infer.py (same options, same outputs).
//
//   infer_opencv [-n N] [--threads T] [--model FILE] [--output logits|labels|none]
//                [--labels-out FILE] [--summary-out FILE] [--warmup W]
//                [--repeat R] [--min-seconds S] [-q]
//
// Runs model/fmnist_cnn.onnx (cv::dnn::readNetFromONNX, backend OpenCV,
// target CPU) on the first N test images of /usr/share/datasets/fashion-mnist
// ($FMNIST_DIR), one batch of N, scaled to [0, 1] as fmnist.py does
// (float32(u8) / 255.0f), so the input is bit-identical to infer.py's.
// Logits go to stdout one a line, image-major, as exact hex floats in
// Python's float.hex() format; labels, accuracy and time as infer.py.
// This program is built natively; only the OpenCV libraries it loads differ.
#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>
#include <opencv2/dnn.hpp>

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#ifndef PRISM_DL_DIR
#define PRISM_DL_DIR "."
#endif

namespace {

[[noreturn]] void usage_error(const std::string& msg) {
  std::fprintf(stderr, "infer_opencv: %s (see --help)\n", msg.c_str());
  std::exit(2);
}

struct Options {
  int images = 100, threads = 1, warmup = 0, repeat = 1;
  double min_seconds = 0.0;
  std::string model = PRISM_DL_DIR "/model/fmnist_cnn.onnx";
  std::string output = "logits", labels_out, summary_out;
  bool quiet = false;
};

long to_int(const std::string& opt, const char* s, long lo, long hi) {
  long v = 0;
  auto [p, ec] = std::from_chars(s, s + std::strlen(s), v);
  if (ec != std::errc() || *p != '\0' || v < lo || v > hi)
    usage_error(opt + " must be an integer in " + std::to_string(lo) + ".." +
                std::to_string(hi) + ", got '" + s + "'");
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") {
      std::puts("usage: infer_opencv [-n N] [--threads T] [--model FILE] "
                "[--output logits|labels|none] [--labels-out FILE] [--summary-out FILE] "
                "[--warmup W] [--repeat R] [--min-seconds S] [-q]");
      std::exit(0);
    }
    if (a == "-q" || a == "--quiet") { o.quiet = true; continue; }
    static const std::string_view takes_value[] = {
        "-n", "--images", "--threads", "--warmup", "--repeat", "--model",
        "--labels-out", "--summary-out", "--output", "--min-seconds"};
    if (std::find(std::begin(takes_value), std::end(takes_value), a) == std::end(takes_value))
      usage_error("unknown option '" + a + "'");
    if (i + 1 >= argc) usage_error("option " + a + " needs a value");
    const char* v = argv[++i];
    if (a == "-n" || a == "--images") o.images = int(to_int(a, v, 1, 10000));
    else if (a == "--threads") o.threads = int(to_int(a, v, 1, 1024));
    else if (a == "--warmup") o.warmup = int(to_int(a, v, 0, 1000000));
    else if (a == "--repeat") o.repeat = int(to_int(a, v, 1, 1000000));
    else if (a == "--model") o.model = v;
    else if (a == "--labels-out") o.labels_out = v;
    else if (a == "--summary-out") o.summary_out = v;
    else if (a == "--output") {
      o.output = v;
      if (o.output != "logits" && o.output != "labels" && o.output != "none")
        usage_error("--output must be logits, labels or none, got '" + o.output + "'");
    } else if (a == "--min-seconds") {
      char* end = nullptr;
      o.min_seconds = std::strtod(v, &end);
      if (*v == '\0' || *end != '\0' || !(o.min_seconds >= 0.0) || !std::isfinite(o.min_seconds))
        usage_error("--min-seconds must be a non-negative number, got '" + std::string(v) + "'");
    }
  }
  if (!std::ifstream(o.model)) usage_error("no model file " + o.model);
  return o;
}

// The payload of a gzip'd IDX file (after the magic and the dimensions).
std::vector<unsigned char> read_idx(const std::string& path, size_t count, size_t item) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) {
    std::fprintf(stderr, "infer_opencv: cannot read %s (install it: bash scripts/setup.sh dl)\n",
                 path.c_str());
    std::exit(1);
  }
  unsigned char magic[4];
  std::vector<unsigned char> data(count * item);
  bool ok = gzread(f, magic, 4) == 4;
  int ndim = magic[3];
  std::vector<unsigned char> dims(4 * size_t(ndim));
  ok = ok && gzread(f, dims.data(), unsigned(dims.size())) == int(dims.size()) &&
       gzread(f, data.data(), unsigned(data.size())) == int(data.size());
  gzclose(f);
  if (!ok) {
    std::fprintf(stderr, "infer_opencv: %s: truncated or not an IDX file\n", path.c_str());
    std::exit(1);
  }
  return data;
}

// Python's float.hex() of a float widened to double (what infer.py prints).
std::string hex(float x) {
  double d = x;
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
  const char* sign = std::signbit(d) ? "-" : "";
  if (d == 0) return std::string(sign) + "0x0.0p+0";
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  int e = int((bits >> 52) & 0x7ff) - 1023;  // no double subnormal comes from a float
  char buf[40];
  uint64_t frac = bits & ((uint64_t(1) << 52) - 1);
  std::snprintf(buf, sizeof buf, "%s0x1.%013" PRIx64 "p%+d", sign, frac, e);
  return buf;
}

std::string shortest(double x) {  // Python's repr for the summary lines
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

}  // namespace

int run(const Options& o);

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  try {
    return run(o);
  } catch (const cv::Exception& e) {
    std::fprintf(stderr, "infer_opencv: OpenCV error: %s\n", e.what());
    return 1;
  }
}

int run(const Options& o) {
  if (o.quiet) cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_ERROR);
  cv::setNumThreads(o.threads);

  const char* env_dir = std::getenv("FMNIST_DIR");
  std::string dir = env_dir ? env_dir : "/usr/share/datasets/fashion-mnist";
  const size_t n = size_t(o.images), px = 28 * 28;
  auto pixels = read_idx(dir + "/t10k-images-idx3-ubyte.gz", n, px);
  auto labels = read_idx(dir + "/t10k-labels-idx1-ubyte.gz", n, 1);

  int shape[] = {o.images, 1, 28, 28};
  cv::Mat blob(4, shape, CV_32F);
  float* x = blob.ptr<float>();
  for (size_t i = 0; i < n * px; ++i) x[i] = float(pixels[i]) / 255.0f;

  cv::dnn::Net net = cv::dnn::readNetFromONNX(o.model);
  net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
  net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
  cv::Mat logits;
  auto forward = [&] {
    net.setInput(blob);
    logits = net.forward().clone();
  };

  for (int i = 0; i < o.warmup; ++i) forward();
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(clock::now() - t0).count(); };
  int passes = 0;
  while (passes < o.repeat || elapsed() < o.min_seconds) {
    forward();
    ++passes;
  }
  double secs = elapsed() / passes;

  if (logits.type() != CV_32F || logits.total() != n * 10) {
    std::fprintf(stderr, "infer_opencv: unexpected output shape (%zu values, want %zu)\n",
                 logits.total(), n * 10);
    return 1;
  }
  const float* y = logits.ptr<float>();
  std::vector<int> pred(n);
  int correct = 0;
  for (size_t i = 0; i < n; ++i) {
    pred[i] = int(std::max_element(y + 10 * i, y + 10 * i + 10) - (y + 10 * i));
    correct += pred[i] == labels[i];
  }
  double acc = double(correct) / double(n);

  std::string out;
  if (o.output == "logits")
    for (size_t i = 0; i < n * 10; ++i) out += hex(y[i]) + "\n";
  else if (o.output == "labels")
    for (int p : pred) out += std::to_string(p) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);

  if (!o.labels_out.empty()) {
    std::ofstream f(o.labels_out);
    for (int p : pred) f << p << "\n";
    if (!f) usage_error("cannot write --labels-out " + o.labels_out);
  }
  if (!o.summary_out.empty()) {
    std::ofstream f(o.summary_out);
    f << "accuracy " << shortest(acc) << "\ncorrect " << correct << "\nimages " << n
      << "\ninfer_seconds " << shortest(secs) << "\n";
    if (!f) usage_error("cannot write --summary-out " + o.summary_out);
  }
  if (!o.quiet) {
    const char* be = std::getenv("PRISM_BACKEND");
    std::fprintf(stderr,
                 "infer_opencv: %zu images, %d thread(s), OpenCV %s, backend %s: "
                 "accuracy %.4f (%d/%zu), inference %.4f s\n",
                 n, o.threads, CV_VERSION, be ? be : "-", acc, correct, n, secs);
  }
  return 0;
}
