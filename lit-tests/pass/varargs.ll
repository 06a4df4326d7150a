; A varargs function cannot forward its arguments with musttail to a clone: it
; is instrumented in place, without a clone. Other functions of the module still
; get theirs.
; RUN: %opt-prism %s | FileCheck %s

; CHECK-LABEL: define double @sum(i32 %n, ...)
; CHECK-NOT:   prism.dispatch
; CHECK:         %r = call double @__prism_f64_add(double %x, double 1.000000e+00)
; CHECK-NEXT:    ret double %r
define double @sum(i32 %n, ...) {
  %ap = alloca ptr
  call void @llvm.va_start.p0(ptr %ap)
  %x = va_arg ptr %ap, double
  call void @llvm.va_end.p0(ptr %ap)
  %r = fadd double %x, 1.0
  ret double %r
}

; CHECK-LABEL: define float @plain(float %x)
; CHECK-NEXT:  prism.dispatch:
define float @plain(float %x) {
  %r = fmul float %x, 3.0
  ret float %r
}

; CHECK-NOT:   @sum.prism_native
; CHECK:       define internal float @plain.prism_native(
; CHECK-NOT:   @sum.prism_native

declare void @llvm.va_start.p0(ptr)
declare void @llvm.va_end.p0(ptr)
