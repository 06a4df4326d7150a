; AVX-512's static rounding in the inline clone (passes/FastClone.cpp,
; roundDirected): for operations off a latency-bound chain, result =
; RZ(s + RZ(err + u * +-2^E)), the select keeping s for exact results and
; for prism_disable()'s infinite thresholds. Additions check the range with
; one vfpclass of the error plus |s| below the top binade. Operations on a
; chain of 8 or more (Horner) keep the two-compare decision; without
; AVX-512, or with -prism-fast-directed=0, the compare-and-select one.
; RUN: %opt-prism %s | FileCheck %s
; RUN: %opt-prism -prism-fast-directed=0 %s | FileCheck %s --check-prefix=OFF
; RUN: %opt-prism -prism-fast-chain-length=100 %s | FileCheck %s --check-prefix=NOCHAIN

target triple = "x86_64-unknown-linux-gnu"

define <4 x double> @add4(<4 x double> %a, <4 x double> %b) #0 {
  %r = fadd <4 x double> %a, %b
  ret <4 x double> %r
}

define float @addf(float %a, float %b) #0 {
  %r = fadd float %a, %b
  ret float %r
}

define <16 x float> @fma16(<16 x float> %a, <16 x float> %b, <16 x float> %c) #0 {
  %r = call <16 x float> @llvm.fma.v16f32(<16 x float> %a, <16 x float> %b, <16 x float> %c)
  ret <16 x float> %r
}

; Horner, 8 dependent fmas: latency first.
define double @horner(double %x, ptr %c) #0 {
  %c0 = load double, ptr %c
  %r1 = call double @llvm.fma.f64(double %c0, double %x, double 1.0)
  %r2 = call double @llvm.fma.f64(double %r1, double %x, double 2.0)
  %r3 = call double @llvm.fma.f64(double %r2, double %x, double 3.0)
  %r4 = call double @llvm.fma.f64(double %r3, double %x, double 4.0)
  %r5 = call double @llvm.fma.f64(double %r4, double %x, double 5.0)
  %r6 = call double @llvm.fma.f64(double %r5, double %x, double 6.0)
  %r7 = call double @llvm.fma.f64(double %r6, double %x, double 7.0)
  %r8 = call double @llvm.fma.f64(double %r7, double %x, double 8.0)
  ret double %r8
}

; The same target without AVX-512.
define <4 x double> @add4_avx2(<4 x double> %a, <4 x double> %b) #1 {
  %r = fadd <4 x double> %a, %b
  ret <4 x double> %r
}

declare <16 x float> @llvm.fma.v16f32(<16 x float>, <16 x float>, <16 x float>)
declare double @llvm.fma.f64(double, double, double)

attributes #0 = { "target-features"="+fma,+avx2,+avx512f,+avx512dq,+avx512vl" }
attributes #1 = { "target-features"="+fma,+avx2" }

; CHECK-LABEL: define internal <4 x double> @add4.prism_fast(
; CHECK:         [[S:%.*]] = fadd <4 x double> %a, %b
; CHECK:         [[ERR:%.*]] = fadd <4 x double>
; One vfpclass: NaN, infinite or subnormal errors (0xb9) leave.
; CHECK-NEXT:    [[BAD:%.*]] = call <4 x i1> @llvm.x86.avx512.fpclass.pd.256(<4 x double> [[ERR]], i32 185)
; CHECK:         [[ABS:%.*]] = call <4 x double> @llvm.fabs.v4f64(<4 x double> [[S]])
; CHECK-NEXT:    fcmp olt <4 x double> [[ABS]], <double 0x7FE0000000000000,
; The power of two keeps s's sign: sign and exponent bits.
; CHECK:         [[MASK:%.*]] = ashr <4 x i64> {{%.*}}, <i64 63,
; CHECK-NEXT:    [[NB:%.*]] = add <4 x i64> {{%.*}}, [[MASK]]
; CHECK-NEXT:    and <4 x i64> [[NB]], <i64 -4503599627370496,
; CHECK:         [[INEXACT:%.*]] = fcmp one <4 x double> [[ERR]], zeroinitializer
; CHECK-NEXT:    [[FINITE:%.*]] = fcmp olt <4 x double> %prism.u, <double 0x7FF0000000000000,
; CHECK-NEXT:    [[ROUND:%.*]] = and <4 x i1> [[INEXACT]], [[FINITE]]
; Padded to 512 bits, the only width with static rounding; 11 = toward zero.
; CHECK:         [[Y:%.*]] = call <8 x double> @llvm.x86.avx512.vfmadd.pd.512(<8 x double> {{%.*}}, <8 x double> {{%.*}}, <8 x double> {{%.*}}, i32 11)
; CHECK-NEXT:    [[R:%.*]] = call <8 x double> @llvm.x86.avx512.add.pd.512(<8 x double> {{%.*}}, <8 x double> [[Y]], i32 11)
; CHECK-NEXT:    [[R4:%.*]] = shufflevector <8 x double> [[R]], <8 x double> poison, <4 x i32> <i32 0, i32 1, i32 2, i32 3>
; CHECK-NEXT:    %prism.sr = select <4 x i1> [[ROUND]], <4 x double> [[R4]], <4 x double> [[S]]
; CHECK:         call void @__prism_fast_v_f64_add(

; A scalar: lane 0 of 128 bits for the checks, of 512 for the rounding.
; CHECK-LABEL: define internal float @addf.prism_fast(
; CHECK:         call <4 x i1> @llvm.x86.avx512.fpclass.ps.128(
; CHECK:         call <16 x float> @llvm.x86.avx512.vfmadd.ps.512(
; CHECK:         call <16 x float> @llvm.x86.avx512.add.ps.512(
; CHECK:         %prism.sr = select <4 x i1>
; CHECK-NEXT:    extractelement <4 x float> %prism.sr, i64 0
; CHECK:         call float @__prism_fast_f32_add(

; A lone fma: the fma's range check, then the directed rounding at full width.
; CHECK-LABEL: define internal <16 x float> @fma16.prism_fast(
; CHECK:         fcmp ord <16 x float> [[E:%.*]], [[E]]
; CHECK-NOT:     shufflevector
; CHECK:         call <16 x float> @llvm.x86.avx512.vfmadd.ps.512(<16 x float> %prism.u, <16 x float> {{%.*}}, <16 x float> [[E]], i32 11)
; CHECK-NEXT:    call <16 x float> @llvm.x86.avx512.add.ps.512(

; CHECK-LABEL: define internal double @horner.prism_fast(
; CHECK-NOT:     @llvm.x86.avx512
; CHECK-COUNT-8: %prism.away{{[0-9]*}} = fcmp ogt
; CHECK-NOT:     @llvm.x86.avx512

; CHECK-LABEL: define internal <4 x double> @add4_avx2.prism_fast(
; CHECK-NOT:     @llvm.x86.avx512
; CHECK:         %prism.up = fcmp ogt
; CHECK-NOT:     @llvm.x86.avx512
; CHECK:         ret <4 x double>

; OFF-NOT:       @llvm.x86.avx512.add
; OFF-LABEL:     define internal <4 x double> @add4.prism_fast(
; OFF:           %prism.up = fcmp ogt
; OFF-LABEL:     define internal <16 x float> @fma16.prism_fast(
; OFF:           %prism.up = fcmp ogt

; Without the chain rule, Horner's fmas take the directed rounding too.
; NOCHAIN-LABEL: define internal double @horner.prism_fast(
; NOCHAIN-COUNT-8: @llvm.x86.avx512.vfmadd.pd.512

; The intrinsics are 512-bit: the clone keeps that width legal even where
; 256-bit vectors are preferred (x86-64-v4), as clang does for their callers.
; CHECK: attributes #{{[0-9]+}} = { {{.*}}"min-legal-vector-width"="512"
