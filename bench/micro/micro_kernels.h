// micro_kernels.h - the per-operation kernels of the prism microbenchmarks.
//
// micro_kernels.cpp is compiled three times from the same source with the same
// flags (-O2 -march=native, see bench/CMakeLists.txt):
//   clang++-19                                 -> prism_micro::native
//   prism-c++                                  -> prism_micro::instrumented
//   prism-c++ -mllvm -prism-native-clone=false -> prism_micro::noclone
// The last one never takes the native clone, so under PRISM_BACKEND=ieee it
// times the instrumented path (runtime call + IEEE backend) rather than the
// clone that ieee normally dispatches to.
//
// Every kernel computes r[i] = op(a[i], b[i], c[i]) for i < n, n a multiple
// of 16, with one IR operation per element (scalar, width 1) or per group of
// 4, 8 or 16 elements (one <W x T> IR vector operation).
#ifndef PRISM_BENCH_MICRO_KERNELS_H
#define PRISM_BENCH_MICRO_KERNELS_H

#include <cstddef>

namespace prism_micro {

enum class Op { add, sub, mul, div, fma, sqrt, fptrunc };
enum class Type { f32, f64, f64_to_f32 };

// a, b, c point to n elements of the source type (float for f32, double for
// f64 and f64_to_f32); r to n elements of the result type.
using KernelFn = void (*)(const void *a, const void *b, const void *c,
                          void *r, std::size_t n);

struct Kernel {
  Op op;
  Type type;
  int width; // 1 = scalar loop, else lanes of the IR vector operation
  KernelFn fn;
};

inline const char *opName(Op op) {
  constexpr const char *names[] = {"add", "sub",  "mul",    "div",
                                   "fma", "sqrt", "fptrunc"};
  return names[static_cast<int>(op)];
}
inline const char *typeName(Type t) {
  constexpr const char *names[] = {"f32", "f64", "f64->f32"};
  return names[static_cast<int>(t)];
}

// Alignment and multiple of the kernels' n.
inline constexpr std::size_t kMaxWidth = 16;

} // namespace prism_micro

#define PRISM_MICRO_DECLARE(NS)                                                \
  namespace prism_micro::NS {                                                  \
  /* all kernels, in a fixed order shared by the three builds */               \
  const Kernel *kernels(std::size_t *count);                                   \
  /* whole-array kernels for the two-thread benchmark (auto-vectorized) */     \
  void axpy(float a, const float *x, float *y, std::size_t n);                 \
  double dot(const double *x, const double *y, std::size_t n);                 \
  }

PRISM_MICRO_DECLARE(native)
PRISM_MICRO_DECLARE(instrumented)
PRISM_MICRO_DECLARE(noclone)

#endif
