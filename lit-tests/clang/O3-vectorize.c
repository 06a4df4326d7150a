// At -O3 the pass runs after the loop and SLP vectorizers: vectorized code
// stays vectorized, one runtime call per vector instruction on all its lanes,
// and the scalar remainder loop calls the scalar entries. The native clone
// keeps the plain vector code.
//
// RUN: %prism-cc -O3 -march=x86-64-v3 -fno-discard-value-names -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefixes=CHECK,AVX2
// RUN: %prism-cc -O3 -march=x86-64 -fno-discard-value-names -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefixes=CHECK,SSE2
// And it compiles down to code.
// RUN: %prism-cc -O3 -march=x86-64-v3 -c %s -o %t.o

// x86-64-v3 has FMA: the fmuladd of a*x+y is one fma call on 8 floats. Without
// FMA (baseline x86-64, 4 floats a vector) it is a mul call then an add call.
// CHECK-LABEL: define {{.*}} @saxpy(
// CHECK:       vector.body:
// CHECK-NOT:     call {{.*}} @__prism_f32_
// AVX2:          call void @__prism_v_f32_fma(ptr {{.*}}, i64 8)
// SSE2:          call void @__prism_v_f32_mul(ptr {{.*}}, i64 4)
// SSE2:          call void @__prism_v_f32_add(ptr {{.*}}, i64 4)
// CHECK-NOT:     call {{.*}} @__prism_f32_
// CHECK:       middle.block:
// CHECK:       for.body:
// AVX2:          call float @__prism_f32_fma(float %a,
// SSE2:          [[P:%.*]] = call float @__prism_f32_mul(float %a,
// SSE2-NEXT:     call float @__prism_f32_add(float [[P]],
void saxpy(float *restrict y, const float *restrict x, float a, int n) {
  for (int i = 0; i < n; ++i)
    y[i] = a * x[i] + y[i];
}

// CHECK-LABEL: define {{.*}} @ddiv(
// CHECK:       vector.body:
// AVX2:          call void @__prism_v_f64_div(ptr {{.*}}, i64 4)
// SSE2:          call void @__prism_v_f64_div(ptr {{.*}}, i64 2)
// CHECK-NOT:     call {{.*}} @__prism_f64_
// CHECK:       middle.block:
// CHECK:       for.body:
// CHECK:         call double @__prism_f64_div(
void ddiv(double *restrict y, const double *restrict x, int n) {
  for (int i = 0; i < n; ++i)
    y[i] = x[i] / y[i];
}

// A reassociable sum: vector partial sums in the loop, then the
// llvm.vector.reduce.fadd of the middle block is expanded into the shuffle
// tree (vector calls), and lane 0 is added to the start value.
// CHECK-LABEL: define {{.*}} @sum(
// CHECK:       vector.body:
// AVX2:          call void @__prism_v_f32_add(ptr {{.*}}, i64 8)
// SSE2:          call void @__prism_v_f32_add(ptr {{.*}}, i64 4)
// CHECK:       middle.block:
// CHECK-NOT:     llvm.vector.reduce
// CHECK:         shufflevector
// AVX2:          call void @__prism_v_f32_add(ptr {{.*}}, i64 8)
// SSE2:          call void @__prism_v_f32_add(ptr {{.*}}, i64 4)
// CHECK:         [[LANE0:%.*]] = extractelement <{{[48]}} x float> %bin.rdx{{[0-9]*}}, i32 0
// CHECK-NEXT:    call float @__prism_f32_add(float {{.*}}, float [[LANE0]])
// CHECK-NOT:     llvm.vector.reduce
// CHECK:       for.body:
// CHECK:         call float @__prism_f32_add(float %s.
float sum(const float *x, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; ++i) {
#pragma clang fp reassociate(on)
    s += x[i];
  }
  return s;
}

// Straight-line code vectorized by SLP: one call on 4 doubles (AVX2) or two
// on 2 doubles (SSE2).
// CHECK-LABEL: define {{.*}} @add4(
// AVX2:          call void @__prism_v_f64_add(ptr {{.*}}, i64 4)
// AVX2-NOT:      call void @__prism_v_f64_add(
// SSE2-COUNT-2:  call void @__prism_v_f64_add(ptr {{.*}}, i64 2)
// CHECK-NOT:     call double @__prism_f64_add(
// CHECK:         ret void
void add4(double *restrict o, const double *restrict a,
          const double *restrict b) {
  o[0] = a[0] + b[0];
  o[1] = a[1] + b[1];
  o[2] = a[2] + b[2];
  o[3] = a[3] + b[3];
}

// The native clones: vector IR, no runtime call.
// CHECK-LABEL: define internal void @saxpy.prism_native(
// CHECK:       vector.body:
// AVX2:          call <8 x float> @llvm.fmuladd.v8f32(
// SSE2:          call <4 x float> @llvm.fmuladd.v4f32(
// CHECK-LABEL: define internal float @sum.prism_native(
// CHECK:       middle.block:
// CHECK:         call reassoc float @llvm.vector.reduce.fadd.v{{[48]}}f32(
