// jit_infer - runs a TorchScript model with libtorch's C++ API (docs/LIBTORCH.md).
//
//   jit_infer MODEL.pt INPUT.f32 N C H W
//
// INPUT.f32 holds N*C*H*W float32 values (NCHW, native byte order). The
// logits go to stdout, one a line, as exact hex floats (read by
// prism-sample); the predicted class of each row to stderr. MKL-DNN is
// switched off (a full prism rebuild has none), one intra-op thread unless
// OMP_NUM_THREADS says otherwise.
//
// Build against an installed libtorch (an instrumented one from
// docs/LIBTORCH.md, or Debian's libtorch-dev):
//   clang++-19 -std=c++17 -O2 jit_infer.cpp -o jit_infer \
//     -I$P/include -I$P/include/torch/csrc/api/include -L$P/lib -Wl,-rpath,$P/lib \
//     -ltorch -ltorch_cpu -lc10
#include <ATen/Parallel.h>
#include <torch/script.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

int main(int argc, char **argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: jit_infer MODEL.pt INPUT.f32 N C H W\n");
    return 2;
  }
  int64_t dims[4];
  for (int i = 0; i < 4; ++i) {
    char *end = nullptr;
    dims[i] = std::strtoll(argv[3 + i], &end, 10);
    if (*argv[3 + i] == '\0' || *end != '\0' || dims[i] < 1) {
      std::fprintf(stderr, "jit_infer: N, C, H, W must be positive integers, got '%s'\n", argv[3 + i]);
      return 2;
    }
  }
  const size_t count = size_t(dims[0] * dims[1] * dims[2] * dims[3]);
  std::vector<float> input(count);
  std::ifstream in(argv[2], std::ios::binary);
  if (!in.read(reinterpret_cast<char *>(input.data()), std::streamsize(count * sizeof(float)))) {
    std::fprintf(stderr, "jit_infer: cannot read %zu float32 values from '%s'\n", count, argv[2]);
    return 2;
  }
  if (!std::getenv("OMP_NUM_THREADS"))
    at::set_num_threads(1);
  at::globalContext().setUserEnabledMkldnn(false);
  c10::InferenceMode guard;

  torch::jit::Module model;
  try {
    model = torch::jit::load(argv[1]);
  } catch (const c10::Error &e) {
    std::fprintf(stderr, "jit_infer: cannot load '%s': %s\n", argv[1], e.what_without_backtrace());
    return 2;
  }
  model.eval();
  at::Tensor x = at::from_blob(input.data(), {dims[0], dims[1], dims[2], dims[3]}, at::kFloat);
  at::Tensor y = model.forward({x}).toTensor().contiguous().to(at::kFloat);
  const float *p = y.data_ptr<float>();
  for (int64_t i = 0; i < y.numel(); ++i)
    std::printf("%a\n", double(p[i]));
  at::Tensor labels = y.reshape({y.size(0), -1}).argmax(1); // excluded: stays exact
  for (int64_t i = 0; i < labels.size(0); ++i)
    std::fprintf(stderr, "%lld%c", (long long)labels[i].item<int64_t>(), i + 1 < labels.size(0) ? ' ' : '\n');
  return 0;
}
