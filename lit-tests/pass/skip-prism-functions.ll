; Functions named __prism* (runtime code that may be linked or inlined in) and
; prism.* (the pass's own) are never instrumented, nor are declarations and
; available_externally definitions (the real body is elsewhere).
; RUN: %opt-prism %s | FileCheck %s --implicit-check-not=helper.prism_native \
; RUN:   --implicit-check-not=internal.prism_native --implicit-check-not=copy.prism_native

; CHECK-LABEL: define float @__prism_helper(float %x)
; CHECK-NEXT:    %r = fmul float %x, %x
define float @__prism_helper(float %x) {
  %r = fmul float %x, %x
  ret float %r
}

; CHECK-LABEL: define double @prism.internal(double %x)
; CHECK-NEXT:    %r = fdiv double %x, 3.000000e+00
define double @prism.internal(double %x) {
  %r = fdiv double %x, 3.0
  ret double %r
}

; CHECK-LABEL: define available_externally float @inline_copy(float %x)
; CHECK-NEXT:    %r = fadd float %x, 1.000000e+00
define available_externally float @inline_copy(float %x) {
  %r = fadd float %x, 1.0
  ret float %r
}

; Only this one is instrumented.
; CHECK-LABEL: define float @user(float %x)
; CHECK:         call float @__prism_f32_sub(float %x, float 2.000000e+00)
; CHECK:       define internal float @user.prism_native(float %x)
define float @user(float %x) {
  %r = fsub float %x, 2.0
  ret float %r
}
