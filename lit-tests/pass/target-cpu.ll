; Whether fmuladd rounds once (fma) follows the subtarget: the CPU's own
; features plus the target-features attribute. flang-new-19 gives only
; "target-cpu" for -march (no feature list), clang gives both.
; RUN: %opt-prism -prism-native-clone=false %s | FileCheck %s
target triple = "x86_64-unknown-linux-gnu"

; CHECK-LABEL: define float @cpu_only(
; CHECK:         call float @__prism_f32_fma(
define float @cpu_only(float %a, float %b, float %c) #0 {
  %r = call float @llvm.fmuladd.f32(float %a, float %b, float %c)
  ret float %r
}

; CHECK-LABEL: define float @cpu_minus_fma(
; CHECK:         call float @__prism_f32_mul(
; CHECK:         call float @__prism_f32_add(
define float @cpu_minus_fma(float %a, float %b, float %c) #1 {
  %r = call float @llvm.fmuladd.f32(float %a, float %b, float %c)
  ret float %r
}

; CHECK-LABEL: define float @baseline(
; CHECK:         call float @__prism_f32_mul(
define float @baseline(float %a, float %b, float %c) #2 {
  %r = call float @llvm.fmuladd.f32(float %a, float %b, float %c)
  ret float %r
}

; Regression: "-fma4" (clang's -march=native on AMD Zen) is not "-fma".
; CHECK-LABEL: define float @zen_features(
; CHECK:         call float @__prism_f32_fma(
define float @zen_features(float %a, float %b, float %c) #3 {
  %r = call float @llvm.fmuladd.f32(float %a, float %b, float %c)
  ret float %r
}

declare float @llvm.fmuladd.f32(float, float, float)
attributes #0 = { "target-cpu"="x86-64-v3" }
attributes #1 = { "target-cpu"="x86-64-v3" "target-features"="-fma" }
attributes #2 = { "target-cpu"="x86-64" }
attributes #3 = { "target-cpu"="znver3" "target-features"="+avx2,+fma,-fma4,+sse2" }
