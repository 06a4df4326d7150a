; A `contract` fadd/fsub of a single-use `contract` fmul (what flang emits for
; a*b+c, and clang under -ffp-contract=fast) is fused into one FMA by the code
; generator on targets with FMA: the runtime body rounds it once too (fma
; call), and the fast clone inlines one fma. Without FMA, or without the
; flags, or when the product has other uses: separate mul and add.
; RUN: %opt-prism -prism-native-clone=false %s | FileCheck %s

; CHECK-LABEL: define double @madd(
; CHECK-NEXT:    %r = call double @__prism_f64_fma(double %a, double %b, double %c)
; CHECK-NEXT:    ret double %r
define double @madd(double %a, double %b, double %c) #0 {
  %m = fmul contract double %a, %b
  %r = fadd contract double %c, %m
  ret double %r
}

; x*y - z = fma(x, y, -z); z - x*y = fma(-x, y, z).
; CHECK-LABEL: define <4 x float> @msub(
; CHECK:         [[NZ:%.*]] = fneg <4 x float> %c
; CHECK:         store <4 x float> [[NZ]]
; CHECK:         call void @__prism_v_f32_fma(
; CHECK-LABEL: define float @rsub(
; CHECK-NEXT:    [[NA:%.*]] = fneg float %a
; CHECK-NEXT:    %r = call float @__prism_f32_fma(float [[NA]], float %b, float %c)
define <4 x float> @msub(<4 x float> %a, <4 x float> %b, <4 x float> %c) #0 {
  %m = fmul contract <4 x float> %a, %b
  %r = fsub contract <4 x float> %m, %c
  ret <4 x float> %r
}
define float @rsub(float %a, float %b, float %c) #0 {
  %m = fmul contract float %a, %b
  %r = fsub contract float %c, %m
  ret float %r
}

; CHECK-LABEL: define double @nofma(
; CHECK:         call double @__prism_f64_mul(
; CHECK:         call double @__prism_f64_add(
; CHECK-LABEL: define double @noflag(
; CHECK:         call double @__prism_f64_mul(
; CHECK:         call double @__prism_f64_add(
; CHECK-LABEL: define double @twouses(
; CHECK:         call double @__prism_f64_mul(
; CHECK:         call double @__prism_f64_add(
; CHECK:         call double @__prism_f64_add(
define double @nofma(double %a, double %b, double %c) #1 {
  %m = fmul contract double %a, %b
  %r = fadd contract double %m, %c
  ret double %r
}
define double @noflag(double %a, double %b, double %c) #0 {
  %m = fmul double %a, %b
  %r = fadd contract double %m, %c
  ret double %r
}
define double @twouses(double %a, double %b, double %c) #0 {
  %m = fmul contract double %a, %b
  %r = fadd contract double %m, %c
  %s = fadd double %r, %m
  ret double %s
}

attributes #0 = { "target-features"="+fma,+avx2" }
attributes #1 = { "target-features"="+sse2" }
