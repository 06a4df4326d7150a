// --prism-report through the wrapper: one line per instrumented function, with
// the source file as given to the compiler. --prism-no-instrument compiles the
// same code without the pass.
//
// RUN: %prism-cc -O2 -march=x86-64-v3 -c %s -o %t.o --prism-report 2>&1 \
// RUN:   | FileCheck %s --implicit-check-not=prism-report -DFILE=%s
// RUN: %prism-cc -O2 -c %s -o %t.o --prism-report --prism-no-instrument 2>&1 | count 0
// RUN: %prism-cc -O2 -S -emit-llvm %s -o - --prism-no-instrument \
// RUN:   | FileCheck %s --check-prefix=NONE --implicit-check-not=prism

// The vector loop (4 lanes), the scalar remainder loop, the reduction in
// between (2 vector steps and the start value).
// CHECK: prism-report: [[FILE]]: dot: [{{f?}}add double]=1 [{{f?}}add double x4]=2 [fmuladd double]=1 [fmuladd double x4]=1
// CHECK: prism-report: [[FILE]]: scale: [{{f?}}mul float]=1 [{{f?}}mul float x8]={{[1-9]}}
// NONE-LABEL: define {{.*}} @dot(
// NONE-LABEL: define {{.*}} @scale(
// NONE-LABEL: define {{.*}} @ints(

double dot(const double *a, const double *b, int n) {
  double s = 0;
#pragma clang loop vectorize_width(4) interleave_count(1)
  for (int i = 0; i < n; ++i) {
#pragma clang fp reassociate(on)
    s += a[i] * b[i];
  }
  return s;
}

void scale(float *restrict x, float f, int n) {
  for (int i = 0; i < n; ++i)
    x[i] *= f;
}

int ints(int a) { return a * 2; }
