; Eigen 3.4 under clang emits its AVX multiply-add as inline assembly
; (Eigen/src/Core/arch/AVX/PacketMath.h, pmadd): c = a*b + c through
; `vfmadd231ps $1, $2, $0`. The pass reads it as llvm.fma, so Eigen's matrix
; products are instrumented; the native clone keeps the assembly. Other inline
; assembly is left alone.
; RUN: %opt-prism %s | FileCheck %s

; CHECK-LABEL: define <8 x float> @ps(
; CHECK:       prism.native:
; CHECK:         call void @__prism_v_f32_fma(ptr {{.*}}, i64 8)
; CHECK-NOT:     asm
; CHECK:         ret <8 x float>
define <8 x float> @ps(<8 x float> %a, <8 x float> %b, <8 x float> %c) #0 {
  %r = call <8 x float> asm "vfmadd231ps $1, $2, $0", "=x,x,x,0,~{dirflag},~{fpsr},~{flags}"(<8 x float> %a, <8 x float> %b, <8 x float> %c)
  ret <8 x float> %r
}

; CHECK-LABEL: define <4 x double> @pd(
; CHECK:         call void @__prism_v_f64_fma(ptr {{.*}}, i64 4)
define <4 x double> @pd(<4 x double> %a, <4 x double> %b, <4 x double> %c) #0 {
  %r = call <4 x double> asm "vfmadd231pd $1, $2, $0", "=x,x,x,0,~{dirflag},~{fpsr},~{flags}"(<4 x double> %a, <4 x double> %b, <4 x double> %c)
  ret <4 x double> %r
}

; CHECK-LABEL: define <4 x double> @other(
; CHECK-NOT:     prism.dispatch
; CHECK:         asm "vaddpd
define <4 x double> @other(<4 x double> %a, <4 x double> %b) #0 {
  %r = call <4 x double> asm "vaddpd $1, $2, $0", "=x,x,x,~{dirflag},~{fpsr},~{flags}"(<4 x double> %a, <4 x double> %b)
  ret <4 x double> %r
}

; The clones: the native one keeps the assembly, the fast one inlines an fma.
; CHECK-LABEL: define internal <8 x float> @ps.prism_native(
; CHECK-NEXT:    call <8 x float> asm "vfmadd231ps $1, $2, $0"
; CHECK-LABEL: define internal <8 x float> @ps.prism_fast(
; CHECK:         call <8 x float> @llvm.fma.v8f32(<8 x float> %a, <8 x float> %b, <8 x float> %c)

attributes #0 = { "target-features"="+fma,+avx2" }
