; -prism-report prints, on stderr, one line per instrumented function (sorted by
; demangled name): the module's source file, the demangled function name, and
; how many operations of each kind, type and lane count were instrumented.
; Functions without instrumented operations get no line.
; RUN: %opt-prism -prism-report -disable-output %s 2>&1 \
; RUN:   | FileCheck %s --implicit-check-not=prism-report --match-full-lines
; Without the option, nothing is printed.
; RUN: %opt-prism -disable-output %s 2>&1 | count 0

; CHECK: prism-report: src/kernels.cpp: (anonymous namespace)::helper(double): [{{f?}}div double]=1
; CHECK: prism-report: src/kernels.cpp: axpy(float, float, float): [fmuladd(mul+add) float]=1
; CHECK: prism-report: src/kernels.cpp: axpy_fma(float, float, float): [fmuladd float]=1
; CHECK: prism-report: src/kernels.cpp: c_vector_ops: [{{f?}}add float x8]=2 [{{f?}}div double x4]=1 [fma double x2]=1 [fptrunc double->float x4]=1 [sqrt double]=1 [sqrt float x16]=1
; CHECK: prism-report: src/kernels.cpp: reductions: [{{f?}}add float]=4 [{{f?}}mul double]=1 [{{f?}}mul double x2]=1

source_filename = "src/kernels.cpp"

; axpy(float, float, float), without FMA: the mul and the add of fmuladd.
define float @_Z4axpyfff(float %a, float %x, float %y) {
  %r = call float @llvm.fmuladd.f32(float %a, float %x, float %y)
  ret float %r
}

; axpy_fma(float, float, float), with FMA: one fmuladd.
define float @_Z8axpy_fmafff(float %a, float %x, float %y) #0 {
  %r = call float @llvm.fmuladd.f32(float %a, float %x, float %y)
  ret float %r
}

; (The fneg first works around the crash shown by
; ../regressions/entry-block-first-op.ll.)
define <4 x float> @c_vector_ops(<8 x float> %a0, <4 x double> %b, <2 x double> %c, double %d, <16 x float> %e) {
  %a = fneg <8 x float> %a0
  %s1 = fadd <8 x float> %a, %a
  %s2 = fadd <8 x float> %s1, %a
  %q = fdiv <4 x double> %b, %b
  %f = call <2 x double> @llvm.fma.v2f64(<2 x double> %c, <2 x double> %c, <2 x double> %c)
  %r = call double @llvm.sqrt.f64(double %d)
  %r16 = call <16 x float> @llvm.sqrt.v16f32(<16 x float> %e)
  %t = fptrunc <4 x double> %q to <4 x float>
  ret <4 x float> %t
}

; The expanded reductions: 4 ordered scalar adds; one vector mul on 2 lanes and
; a scalar mul with the start value.
define float @reductions(float %s, <4 x float> %v, double %ds, <2 x double> %dv) {
  %a = call float @llvm.vector.reduce.fadd.v4f32(float %s, <4 x float> %v)
  %m = call reassoc double @llvm.vector.reduce.fmul.v2f64(double %ds, <2 x double> %dv)
  ret float %a
}

; (anonymous namespace)::helper(double)
define internal double @_ZN12_GLOBAL__N_16helperEd(double %x) {
  %r = fdiv double %x, 3.0
  ret double %r
}

define i32 @no_fp(i32 %x) {
  ret i32 %x
}

define float @exact_only(float %x) {
  %n = fneg float %x
  ret float %n
}

attributes #0 = { "target-features"="+fma" }

declare float @llvm.fmuladd.f32(float, float, float)
declare <2 x double> @llvm.fma.v2f64(<2 x double>, <2 x double>, <2 x double>)
declare double @llvm.sqrt.f64(double)
declare <16 x float> @llvm.sqrt.v16f32(<16 x float>)
declare float @llvm.vector.reduce.fadd.v4f32(float, <4 x float>)
declare double @llvm.vector.reduce.fmul.v2f64(double, <2 x double>)
