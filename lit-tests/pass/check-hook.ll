; -prism-check-hook (tests only): after each rounded operation of the fast
; and ud clones, its operands and result go to __prism_check through stack
; slots (tests/stochastic/op_checker.cpp checks them against MPFR). Off by
; default; the native clone never calls it.
; RUN: %opt-prism -prism-check-hook %s | FileCheck %s
; RUN: %opt-prism %s | FileCheck %s --check-prefix=OFF

; CHECK-LABEL: define {{.*}}<8 x double> @vfma(
; CHECK-NOT:     @__prism_check
; CHECK:       ret <8 x double>

; The fast clone: kind 4 (fma), 8 lanes of 64 bits, three operands.
; CHECK-LABEL: define internal <8 x double> @vfma.prism_fast(
; The phi that joins the inline and the exact path takes the name %r.
; CHECK:         %r = phi <8 x double>
; CHECK:         store <8 x double> %a, ptr [[A:%.*]], align
; CHECK-NEXT:    store <8 x double> %b, ptr [[B:%.*]], align
; CHECK-NEXT:    store <8 x double> %c, ptr [[C:%.*]], align
; CHECK-NEXT:    store <8 x double> %r, ptr [[R:%.*]], align
; CHECK-NEXT:    call void @__prism_check(i32 4, i32 8, i32 64, ptr [[A]], ptr [[B]], ptr [[C]], ptr [[R]])
; CHECK:         ret <8 x double> %r

; The ud clone calls it too.
; CHECK-LABEL: define internal <8 x double> @vfma.prism_ud(
; CHECK:         call void @__prism_check(i32 4, i32 8, i32 64,

; A scalar fptrunc: kind 6, one lane, a float result from a double operand;
; the absent operands are null.
; CHECK-LABEL: define internal float @trunc.prism_fast(
; CHECK:         store double %x, ptr [[X:%.*]], align
; CHECK-NEXT:    store float %r, ptr [[RT:%.*]], align
; CHECK-NEXT:    call void @__prism_check(i32 6, i32 1, i32 32, ptr [[X]], ptr null, ptr null, ptr [[RT]])

; OFF-NOT: __prism_check

target triple = "x86_64-unknown-linux-gnu"

define <8 x double> @vfma(<8 x double> %a, <8 x double> %b, <8 x double> %c) #0 {
  %r = call <8 x double> @llvm.fma.v8f64(<8 x double> %a, <8 x double> %b, <8 x double> %c)
  ret <8 x double> %r
}

define float @trunc(double %x) #0 {
  %r = fptrunc double %x to float
  ret float %r
}

declare <8 x double> @llvm.fma.v8f64(<8 x double>, <8 x double>, <8 x double>)

attributes #0 = { "target-features"="+fma,+avx2,+avx512f,+avx512dq,+avx512vl" }
