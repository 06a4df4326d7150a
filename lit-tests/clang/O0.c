// The pass also runs at -O0 (end of the O0 pipeline): every FP operation of
// unoptimized code, fmuladd included (clang contracts a*x+y even at -O0), libm
// sqrt and double->float conversions.
//
// RUN: %prism-cc -O0 -fno-discard-value-names -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefixes=CHECK,SPLIT
// RUN: %prism-cc -O0 -march=haswell -fno-discard-value-names -S -emit-llvm %s -o - \
// RUN:   | FileCheck %s --check-prefixes=CHECK,FUSED
// RUN: %prism-cc -O0 -c %s -o %t.o

double sqrt(double);

// CHECK: @__prism_mode = external global i8
// CHECK: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @prism.module_ctor, ptr null }]

// The -O0 locals move to the dispatch block, the body loads and stores them.
// CHECK-LABEL: define {{.*}} float @axpy(
// CHECK-NEXT:  prism.dispatch:
// CHECK-NEXT:    %a.addr = alloca float
// CHECK-NEXT:    %x.addr = alloca float
// CHECK-NEXT:    %y.addr = alloca float
// CHECK-NEXT:    %prism.mode = load atomic i8, ptr @__prism_mode monotonic
// CHECK:       prism.native:
// CHECK-NEXT:    tail call float @axpy.prism_native(
// CHECK:       entry:
// CHECK:         [[A:%.*]] = load float, ptr %a.addr
// CHECK-NEXT:    [[X:%.*]] = load float, ptr %x.addr
// CHECK-NEXT:    [[Y:%.*]] = load float, ptr %y.addr
// SPLIT-NEXT:    [[P:%.*]] = call float @__prism_f32_mul(float [[A]], float [[X]])
// SPLIT-NEXT:    [[R:%.*]] = call float @__prism_f32_add(float [[P]], float [[Y]])
// FUSED-NEXT:    [[R:%.*]] = call float @__prism_f32_fma(float [[A]], float [[X]], float [[Y]])
// CHECK-NEXT:    ret float [[R]]
float axpy(float a, float x, float y) { return a * x + y; }

// CHECK-LABEL: define {{.*}} double @norm(
// CHECK:       entry:
// CHECK:         call double @__prism_f64_mul(
// SPLIT:         call double @__prism_f64_mul(
// SPLIT:         call double @__prism_f64_add(
// FUSED:         call double @__prism_f64_fma(
// CHECK:         %call = call double @__prism_f64_sqrt(double
// CHECK-NEXT:    ret double %call
double norm(double x, double y) { return sqrt(x * x + y * y); }

// CHECK-LABEL: define {{.*}} float @narrow(
// CHECK:         %conv = call float @__prism_f64_trunc(double
float narrow(double d) { return (float)d; }

// fpext and fneg are exact: nothing to instrument, no dispatch.
// CHECK-LABEL: define {{.*}} double @widen(
// CHECK-NEXT:  entry:
// CHECK-NOT:     __prism
// CHECK:         ret double
double widen(float f) { return -f; }

// CHECK-LABEL: define {{.*}} i32 @count(
// CHECK-NEXT:  entry:
// CHECK-NOT:     __prism
// CHECK:         ret i32
int count(int n) { return n * 3 + 1; }

// The clones keep the original operations.
// CHECK-LABEL: define internal float @axpy.prism_native(
// CHECK:         call float @llvm.fmuladd.f32(
// CHECK-LABEL: define internal double @norm.prism_native(
// CHECK:         call double @sqrt(
// CHECK-NOT:   @widen.prism_native
// CHECK-NOT:   @count.prism_native
// CHECK-LABEL: define internal void @prism.module_ctor()
// CHECK-NEXT:    call void @__prism_init()
