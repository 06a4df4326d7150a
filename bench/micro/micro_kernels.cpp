// micro_kernels.cpp - one loop per operation x type x width (see
// micro_kernels.h). Compiled natively and by prism-c++ with the same flags.
//
// Vector widths use clang's ext_vector_type, so a <W x T> IR operation is
// emitted whatever the target's register width (on AVX2 a 16 x float add is
// one IR fadd, legalized into two ymm adds natively, and one
// __prism_v_f32_add(..., 16) call when instrumented). The scalar loops have
// vectorization, interleaving and unrolling disabled, so each element is one
// scalar IR operation (one runtime call when instrumented).
#include "micro_kernels.h"

#include <cstring>

#ifndef PRISM_MICRO_NS
#error "define PRISM_MICRO_NS (native, instrumented or noclone)"
#endif

// The helpers below take and return 512- and 1024-bit vectors; they are
// internal and inlined, so the AVX-512 ABI note does not apply.
#pragma clang diagnostic ignored "-Wpsabi"

namespace prism_micro::PRISM_MICRO_NS {

namespace {

template <class T, int W> struct Vec;
#define PRISM_MICRO_VEC(T, W)                                                  \
  template <> struct Vec<T, W> {                                               \
    typedef T type __attribute__((ext_vector_type(W)));                        \
  };
PRISM_MICRO_VEC(float, 4)
PRISM_MICRO_VEC(float, 8)
PRISM_MICRO_VEC(float, 16)
PRISM_MICRO_VEC(double, 4)
PRISM_MICRO_VEC(double, 8)
PRISM_MICRO_VEC(double, 16)
#undef PRISM_MICRO_VEC

template <class V, class T> inline V load(const T *p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class V, class T> inline void store(T *p, V v) {
  std::memcpy(p, &v, sizeof v);
}

// The operations, on scalars and on ext vectors alike. fma and sqrt use the
// elementwise builtins: they become llvm.fma / llvm.sqrt on both (no libm
// call, no errno).
struct Add { template <class X> static X f(X a, X b, X) { return a + b; } };
struct Sub { template <class X> static X f(X a, X b, X) { return a - b; } };
struct Mul { template <class X> static X f(X a, X b, X) { return a * b; } };
struct Div { template <class X> static X f(X a, X b, X) { return a / b; } };
struct Fma {
  template <class X> static X f(X a, X b, X c) {
    return __builtin_elementwise_fma(a, b, c);
  }
};
struct Sqrt {
  template <class X> static X f(X a, X, X) {
    return __builtin_elementwise_sqrt(a);
  }
};

template <class OpT, class T>
void scalarLoop(const void *pa, const void *pb, const void *pc, void *pr,
                std::size_t n) {
  const T *__restrict a = static_cast<const T *>(pa);
  const T *__restrict b = static_cast<const T *>(pb);
  const T *__restrict c = static_cast<const T *>(pc);
  T *__restrict r = static_cast<T *>(pr);
#pragma clang loop vectorize(disable) interleave(disable) unroll(disable)
  for (std::size_t i = 0; i < n; ++i)
    r[i] = OpT::f(a[i], b[i], c[i]);
}

template <class OpT, class T, int W>
void vectorLoop(const void *pa, const void *pb, const void *pc, void *pr,
                std::size_t n) {
  using V = typename Vec<T, W>::type;
  const T *__restrict a = static_cast<const T *>(pa);
  const T *__restrict b = static_cast<const T *>(pb);
  const T *__restrict c = static_cast<const T *>(pc);
  T *__restrict r = static_cast<T *>(pr);
#pragma clang loop unroll(disable)
  for (std::size_t i = 0; i < n; i += W)
    store(r + i, OpT::f(load<V>(a + i), load<V>(b + i), load<V>(c + i)));
}

void truncScalar(const void *pa, const void *, const void *, void *pr,
                 std::size_t n) {
  const double *__restrict a = static_cast<const double *>(pa);
  float *__restrict r = static_cast<float *>(pr);
#pragma clang loop vectorize(disable) interleave(disable) unroll(disable)
  for (std::size_t i = 0; i < n; ++i)
    r[i] = static_cast<float>(a[i]);
}

template <int W>
void truncVector(const void *pa, const void *, const void *, void *pr,
                 std::size_t n) {
  using VD = typename Vec<double, W>::type;
  using VF = typename Vec<float, W>::type;
  const double *__restrict a = static_cast<const double *>(pa);
  float *__restrict r = static_cast<float *>(pr);
#pragma clang loop unroll(disable)
  for (std::size_t i = 0; i < n; i += W)
    store(r + i, __builtin_convertvector(load<VD>(a + i), VF));
}

#define PRISM_MICRO_ROW(OP, OPT, TY, T)                                        \
  {Op::OP, Type::TY, 1, &scalarLoop<OPT, T>},                                  \
      {Op::OP, Type::TY, 4, &vectorLoop<OPT, T, 4>},                           \
      {Op::OP, Type::TY, 8, &vectorLoop<OPT, T, 8>},                           \
      {Op::OP, Type::TY, 16, &vectorLoop<OPT, T, 16>}
#define PRISM_MICRO_OP(OP, OPT)                                                \
  PRISM_MICRO_ROW(OP, OPT, f32, float), PRISM_MICRO_ROW(OP, OPT, f64, double)

const Kernel kKernels[] = {
    PRISM_MICRO_OP(add, Add),   PRISM_MICRO_OP(sub, Sub),
    PRISM_MICRO_OP(mul, Mul),   PRISM_MICRO_OP(div, Div),
    PRISM_MICRO_OP(fma, Fma),   PRISM_MICRO_OP(sqrt, Sqrt),
    {Op::fptrunc, Type::f64_to_f32, 1, &truncScalar},
    {Op::fptrunc, Type::f64_to_f32, 4, &truncVector<4>},
    {Op::fptrunc, Type::f64_to_f32, 8, &truncVector<8>},
    {Op::fptrunc, Type::f64_to_f32, 16, &truncVector<16>},
};

} // namespace

const Kernel *kernels(std::size_t *count) {
  *count = sizeof kKernels / sizeof kKernels[0];
  return kKernels;
}

void axpy(float a, const float *x, float *y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    y[i] = a * x[i] + y[i];
}

double dot(const double *x, const double *y, std::size_t n) {
  // 16 partial sums so that strict-IEEE code vectorizes (as in the kernel
  // suite).
  double acc[16] = {};
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16)
    for (int j = 0; j < 16; ++j)
      acc[j] += x[i + j] * y[i + j];
  for (; i < n; ++i)
    acc[0] += x[i] * y[i];
  double s = acc[0];
  for (int j = 1; j < 16; ++j)
    s += acc[j];
  return s;
}

} // namespace prism_micro::PRISM_MICRO_NS
