// AVX-512 with 512-bit vectors: 16 floats and 8 doubles a call, and fmuladd is
// fused (+avx512f implies FMA). Same runtime ABI (pointers and a lane count)
// as at every other -march.
//
// RUN: %prism-cc -O3 -march=x86-64-v4 -mprefer-vector-width=512 \
// RUN:   -fno-discard-value-names -S -emit-llvm %s -o - | FileCheck %s
// RUN: %prism-cc -O3 -march=x86-64-v4 -mprefer-vector-width=512 -c %s -o %t.o

// CHECK-LABEL: define {{.*}} @saxpy(
// CHECK:       vector.body:
// CHECK:         call void @__prism_v_f32_fma(ptr {{.*}}, i64 16)
// CHECK-NOT:     call {{.*}}@__prism_{{.*}}_mul
// CHECK:       middle.block:
void saxpy(float *restrict y, const float *restrict x, float a, int n) {
  for (int i = 0; i < n; ++i)
    y[i] = a * x[i] + y[i];
}

// CHECK-LABEL: define {{.*}} @ddiv(
// CHECK:       vector.body:
// CHECK:         call void @__prism_v_f64_div(ptr {{.*}}, i64 8)
// CHECK:       middle.block:
void ddiv(double *restrict y, const double *restrict x, int n) {
  for (int i = 0; i < n; ++i)
    y[i] = x[i] / y[i];
}
