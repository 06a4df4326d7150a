; Regression (pass crash, use after free). fixed in the pass.
;
; CallBuilder::startFunction() keeps an iterator AllocaPos to the first
; instruction of the entry block, where the vector slots are created. When that
; instruction is itself instrumented, it is erased, and the next vector slot
; created (for another vector type) dereferences the dangling iterator: opt and
; clang segfault in CallBuilder::slot(). Common in optimized code, e.g. at -O2:
;   typedef float v4 __attribute__((vector_size(16)));
;   v4 f(float a, v4 x) { float b = a * a; return x * b; }
; Expected: the pass instruments both functions below.
; RUN: %opt-prism %s | FileCheck %s

; A vector op first, then a vector op of another type.
; CHECK-LABEL: define <4 x double> @vector_first(
; CHECK:         call void @__prism_v_f32_add(ptr {{.*}}, i64 4)
; CHECK:         call void @__prism_v_f64_add(ptr {{.*}}, i64 4)
define <4 x double> @vector_first(<4 x float> %a, <4 x double> %b) {
  %x = fadd <4 x float> %a, %a
  %e = fpext <4 x float> %x to <4 x double>
  %y = fadd <4 x double> %b, %e
  ret <4 x double> %y
}

; A scalar op first, then a vector op.
; CHECK-LABEL: define <4 x double> @scalar_first(
; CHECK:         call float @__prism_f32_add(float %s, float %s)
; CHECK:         call void @__prism_v_f64_add(ptr {{.*}}, i64 4)
define <4 x double> @scalar_first(float %s, <4 x double> %b) {
  %x = fadd float %s, %s
  %y = fadd <4 x double> %b, %b
  ret <4 x double> %y
}
