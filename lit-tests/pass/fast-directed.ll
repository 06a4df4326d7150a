; AVX-512's static rounding in the inline clone (passes/FastClone.cpp,
; roundDirected): for operations on whole 512-bit vectors, result =
; RZ(s + RZ(err + u * +-2^E)) with +-2^E the sign and exponent of RZ(x), the
; select keeping s for exact results and for prism_disable()'s infinite
; thresholds. Additions off a chain check the range with one vfpclass of the
; error plus |s| below the top binade. Operations on a chain of 8 or more
; (Horner) keep their latency-first error and take the same decision
; (-prism-fast-directed-chains=0: compare and select). Narrower vectors and
; scalars are padded to 512 bits (-prism-fast-directed-narrow=0: compare and
; select); targets without AVX-512 and -prism-fast-directed=0 keep the
; compare-and-select rounding.
; RUN: %opt-prism -prism-ud-clone=0 %s | FileCheck %s
; RUN: %opt-prism -prism-ud-clone=0 -prism-fast-directed=0 %s | FileCheck %s --check-prefix=OFF
; RUN: %opt-prism -prism-ud-clone=0 -prism-fast-chain-length=100 %s | FileCheck %s --check-prefix=NOCHAIN
; RUN: %opt-prism -prism-ud-clone=0 -prism-fast-directed-rz=0 %s | FileCheck %s --check-prefix=NORZ
; RUN: %opt-prism -prism-ud-clone=0 %s | FileCheck %s --check-prefix=HORNER
; RUN: %opt-prism -prism-ud-clone=0 -prism-fast-directed-narrow=0 %s | FileCheck %s --check-prefix=NARROW
; RUN: %opt-prism -prism-ud-clone=0 -prism-fast-directed-chains=0 %s | FileCheck %s --check-prefix=CHAINCMP
; RUN: %opt-prism -prism-ud-clone=0 -prism-fast-fma-range=0 %s | FileCheck %s --check-prefix=FMACMP
; With the ud clone (the default) ud never runs this form: no test of the
; error for exact results, -y = RZ(-u 2^E - err) and RZ(s - (-y)).
; RUN: %opt-prism %s | FileCheck %s --check-prefix=SRONLY

target triple = "x86_64-unknown-linux-gnu"

define <8 x double> @add8(<8 x double> %a, <8 x double> %b) #0 {
  %r = fadd <8 x double> %a, %b
  ret <8 x double> %r
}

define <16 x float> @fma16(<16 x float> %a, <16 x float> %b, <16 x float> %c) #0 {
  %r = call <16 x float> @llvm.fma.v16f32(<16 x float> %a, <16 x float> %b, <16 x float> %c)
  ret <16 x float> %r
}

; 1024 bits: two 512-bit halves.
define <32 x float> @add32(<32 x float> %a, <32 x float> %b) #0 {
  %r = fadd <32 x float> %a, %b
  ret <32 x float> %r
}

; 256 bits and a scalar: padded to 512 bits.
define <4 x double> @add4(<4 x double> %a, <4 x double> %b) #0 {
  %r = fadd <4 x double> %a, %b
  ret <4 x double> %r
}

define float @addf(float %a, float %b) #0 {
  %r = fadd float %a, %b
  ret float %r
}

; Horner, 8 dependent fmas: latency first.
define <8 x double> @horner(<8 x double> %x, ptr %c) #0 {
  %c0 = load <8 x double>, ptr %c
  %r1 = call <8 x double> @llvm.fma.v8f64(<8 x double> %c0, <8 x double> %x, <8 x double> %x)
  %r2 = call <8 x double> @llvm.fma.v8f64(<8 x double> %r1, <8 x double> %x, <8 x double> %x)
  %r3 = call <8 x double> @llvm.fma.v8f64(<8 x double> %r2, <8 x double> %x, <8 x double> %x)
  %r4 = call <8 x double> @llvm.fma.v8f64(<8 x double> %r3, <8 x double> %x, <8 x double> %x)
  %r5 = call <8 x double> @llvm.fma.v8f64(<8 x double> %r4, <8 x double> %x, <8 x double> %x)
  %r6 = call <8 x double> @llvm.fma.v8f64(<8 x double> %r5, <8 x double> %x, <8 x double> %x)
  %r7 = call <8 x double> @llvm.fma.v8f64(<8 x double> %r6, <8 x double> %x, <8 x double> %x)
  %r8 = call <8 x double> @llvm.fma.v8f64(<8 x double> %r7, <8 x double> %x, <8 x double> %x)
  ret <8 x double> %r8
}

; The same operation without AVX-512.
define <8 x double> @add8_avx2(<8 x double> %a, <8 x double> %b) #1 {
  %r = fadd <8 x double> %a, %b
  ret <8 x double> %r
}

; Only a CPU (flang's -march): its features count.
define <8 x double> @add8_cpu(<8 x double> %a, <8 x double> %b) #2 {
  %r = fadd <8 x double> %a, %b
  ret <8 x double> %r
}

declare <16 x float> @llvm.fma.v16f32(<16 x float>, <16 x float>, <16 x float>)
declare <8 x double> @llvm.fma.v8f64(<8 x double>, <8 x double>, <8 x double>)

attributes #0 = { "target-features"="+fma,+avx2,+avx512f,+avx512dq,+avx512vl" }
attributes #1 = { "target-features"="+fma,+avx2" }
attributes #2 = { "target-cpu"="znver4" }

; CHECK-LABEL: define internal <8 x double> @add8.prism_fast(
; CHECK:         [[S:%.*]] = fadd <8 x double> %a, %b
; CHECK:         [[ERR:%.*]] = fadd <8 x double>
; One vfpclass: NaN, infinite or subnormal errors (0xb9) leave.
; CHECK-NEXT:    [[BAD:%.*]] = call <8 x i1> @llvm.x86.avx512.fpclass.pd.512(<8 x double> [[ERR]], i32 185)
; CHECK:         [[ABS:%.*]] = call <8 x double> @llvm.fabs.v8f64(<8 x double> [[S]])
; CHECK-NEXT:    fcmp olt <8 x double> [[ABS]], <double 0x7FE0000000000000,
; The power of two: the sign and exponent bits of RZ(x) (rounding 11).
; CHECK:         [[RZ:%.*]] = call <8 x double> @llvm.x86.avx512.add.pd.512(<8 x double> %a, <8 x double> %b, i32 11)
; CHECK-NEXT:    [[RZB:%.*]] = bitcast <8 x double> [[RZ]] to <8 x i64>
; CHECK-NEXT:    [[PB:%.*]] = and <8 x i64> [[RZB]], <i64 -4503599627370496,
; CHECK-NEXT:    [[POW:%.*]] = bitcast <8 x i64> [[PB]] to <8 x double>
; CHECK-NEXT:    [[INEXACT:%.*]] = fcmp one <8 x double> [[ERR]], zeroinitializer
; CHECK-NEXT:    [[FINITE:%.*]] = fcmp olt <8 x double> %prism.u, <double 0x7FF0000000000000,
; CHECK-NEXT:    [[ROUND:%.*]] = and <8 x i1> [[INEXACT]], [[FINITE]]
; 11 = toward zero, no exceptions.
; CHECK-NEXT:    [[Y:%.*]] = call <8 x double> @llvm.x86.avx512.vfmadd.pd.512(<8 x double> %prism.u, <8 x double> [[POW]], <8 x double> [[ERR]], i32 11)
; CHECK-NEXT:    [[R:%.*]] = call <8 x double> @llvm.x86.avx512.add.pd.512(<8 x double> [[S]], <8 x double> [[Y]], i32 11)
; CHECK-NEXT:    %prism.sr = select <8 x i1> [[ROUND]], <8 x double> [[R]], <8 x double> [[S]]
; CHECK:         call void @__prism_fast_v_f64_add(

; SRONLY-LABEL: define internal <8 x double> @add8.prism_fast(
; SRONLY:         call <8 x i1> @llvm.x86.avx512.fpclass.pd.512(<8 x double> [[ERR:%.*]], i32 185)
; SRONLY:         [[POW:%.*]] = bitcast <8 x i64> {{%.*}} to <8 x double>
; SRONLY-NOT:     fcmp one
; SRONLY-NEXT:    [[FINITE:%.*]] = fcmp olt <8 x double> %prism.u, <double 0x7FF0000000000000,
; SRONLY-NEXT:    [[NU:%.*]] = fneg <8 x double> %prism.u
; SRONLY-NEXT:    [[NE:%.*]] = fneg <8 x double> [[ERR]]
; SRONLY-NEXT:    [[NY:%.*]] = call <8 x double> @llvm.x86.avx512.vfmadd.pd.512(<8 x double> [[NU]], <8 x double> [[POW]], <8 x double> [[NE]], i32 11)
; SRONLY-NEXT:    [[R:%.*]] = call <8 x double> @llvm.x86.avx512.sub.pd.512(<8 x double> [[S:%.*]], <8 x double> [[NY]], i32 11)
; SRONLY-NEXT:    %prism.sr = select <8 x i1> [[FINITE]], <8 x double> [[R]], <8 x double> [[S]]

; Without RZ(x): the power of two from s and the error's side (toward zero:
; the lower neighbour's spacing).
; NORZ-LABEL: define internal <8 x double> @add8.prism_fast(
; NORZ:         [[MASK:%.*]] = ashr <8 x i64> {{%.*}}, <i64 63,
; NORZ-NEXT:    [[NB:%.*]] = add <8 x i64> {{%.*}}, [[MASK]]
; NORZ-NEXT:    [[PB:%.*]] = and <8 x i64> [[NB]], <i64 -4503599627370496,
; NORZ-NOT:     i32 11)
; NORZ:         call <8 x double> @llvm.x86.avx512.vfmadd.pd.512(

; A lone fma: the fma's range check, then the directed rounding.
; CHECK-LABEL: define internal <16 x float> @fma16.prism_fast(
; CHECK:         fcmp ord <16 x float> [[E:%.*]], [[E]]
; CHECK-NOT:     shufflevector
; CHECK:         call <16 x float> @llvm.x86.avx512.vfmadd.ps.512(<16 x float> %prism.u, <16 x float> {{%.*}}, <16 x float> [[E]], i32 11)
; CHECK-NEXT:    call <16 x float> @llvm.x86.avx512.add.ps.512(

; CHECK-LABEL: define internal <32 x float> @add32.prism_fast(
; CHECK:         shufflevector <32 x float> {{%.*}}, <32 x float> poison, <16 x i32> <i32 0, i32 1,
; CHECK:         call <16 x float> @llvm.x86.avx512.add.ps.512(
; CHECK:         shufflevector <32 x float> {{%.*}}, <32 x float> poison, <16 x i32> <i32 16, i32 17,
; CHECK:         call <16 x float> @llvm.x86.avx512.add.ps.512(
; CHECK:         %prism.sr = select <32 x i1>

; Narrower vectors and scalars (lane 0 of 128 bits): padded to 512 bits for
; the roundings, the range check at their own width.
; CHECK-LABEL: define internal <4 x double> @add4.prism_fast(
; CHECK:         call <4 x i1> @llvm.x86.avx512.fpclass.pd.256(
; CHECK:         [[RZ4:%.*]] = call <8 x double> @llvm.x86.avx512.add.pd.512({{.*}}, i32 11)
; CHECK-NEXT:    shufflevector <8 x double> [[RZ4]], <8 x double> poison, <4 x i32> <i32 0, i32 1, i32 2, i32 3>
; CHECK:         call <8 x double> @llvm.x86.avx512.vfmadd.pd.512({{.*}}, i32 11)
; CHECK:         %prism.sr = select <4 x i1>
; CHECK-LABEL: define internal float @addf.prism_fast(
; CHECK:         call <4 x i1> @llvm.x86.avx512.fpclass.ps.128(
; CHECK:         call <16 x float> @llvm.x86.avx512.vfmadd.ps.512({{.*}}, i32 11)
; CHECK:         %prism.sr = select <4 x i1>
; CHECK-NEXT:    extractelement <4 x float> %prism.sr, i64 0

; NARROW-LABEL: define internal <4 x double> @add4.prism_fast(
; NARROW-NOT:     @llvm.x86.avx512
; NARROW:         %prism.up = fcmp ogt
; NARROW-LABEL: define internal float @addf.prism_fast(
; NARROW-NOT:     @llvm.x86.avx512
; NARROW:         %prism.up = fcmp ogt

; On a chain: the error latency first (Fast2Sum of c and -s, -s an fma
; beside s, the larger magnitude picked by vrange; without it, or with
; -prism-fast-fma-range=0, both orders and a compare), the decision by
; static rounding.
; CHECK-LABEL: define internal <8 x double> @horner.prism_fast(
; CHECK-NOT:     %prism.away
; CHECK:         [[S:%.*]] = call <8 x double> @llvm.fma.v8f64(<8 x double> [[A:%.*]], <8 x double> [[X:%.*]], <8 x double> [[C:%.*]])
; CHECK-NEXT:    [[NA:%.*]] = fneg <8 x double> [[A]]
; CHECK-NEXT:    [[NC:%.*]] = fneg <8 x double> [[C]]
; CHECK-NEXT:    [[NS:%.*]] = call <8 x double> @llvm.fma.v8f64(<8 x double> [[NA]], <8 x double> [[X]], <8 x double> [[NC]])
; CHECK-NEXT:    [[BIG:%.*]] = call <8 x double> @llvm.x86.avx512.mask.range.pd.512(<8 x double> [[NS]], <8 x double> [[C]], i32 7,
; CHECK-NEXT:    [[SMALL:%.*]] = call <8 x double> @llvm.x86.avx512.mask.range.pd.512(<8 x double> [[C]], <8 x double> [[NS]], i32 6,
; CHECK-NEXT:    [[Y:%.*]] = fsub <8 x double> [[C]], [[S]]
; CHECK-NEXT:    [[P:%.*]] = call <8 x double> @llvm.fma.v8f64(<8 x double> [[A]], <8 x double> [[X]], <8 x double> [[Y]])
; CHECK-NEXT:    [[T:%.*]] = fsub <8 x double> [[Y]], [[BIG]]
; CHECK-NEXT:    [[YL:%.*]] = fsub <8 x double> [[SMALL]], [[T]]
; CHECK-NEXT:    fadd <8 x double> [[P]], [[YL]]
; CHECK-COUNT-14: call <8 x double> @llvm.x86.avx512.mask.range.pd.512(
; CHECK-NOT:     %prism.away
; FMACMP-LABEL: define internal <8 x double> @horner.prism_fast(
; FMACMP-NOT:     @llvm.x86.avx512.mask.range
; FMACMP-COUNT-8: icmp sgt <8 x i64>
; FMACMP-NOT:     @llvm.x86.avx512.mask.range
; FMACMP-LABEL: define internal <8 x double> @add8_avx2.prism_fast(
; HORNER-LABEL: define internal <8 x double> @horner.prism_fast(
; HORNER-COUNT-8: call <8 x double> @llvm.x86.avx512.vfmadd.pd.512({{.*}}, i32 11)
; HORNER-LABEL: define internal <8 x double> @add8_avx2.prism_fast(

; CHAINCMP-LABEL: define internal <8 x double> @horner.prism_fast(
; CHAINCMP-NOT:     @llvm.x86.avx512.{{(vfmadd|add|sub)}}
; CHAINCMP-COUNT-8: %prism.away{{[0-9]*}} = fcmp ogt
; CHAINCMP-LABEL:   define internal <8 x double> @add8_avx2.prism_fast(

; CHECK-LABEL: define internal <8 x double> @add8_avx2.prism_fast(
; CHECK-NOT:     @llvm.x86.avx512
; CHECK:         %prism.up = fcmp ogt
; CHECK-NOT:     @llvm.x86.avx512

; CHECK-LABEL: define internal <8 x double> @add8_cpu.prism_fast(
; CHECK:         call <8 x double> @llvm.x86.avx512.add.pd.512(

; The intrinsics are 512-bit: the clone keeps that width legal even where
; 256-bit vectors are preferred (x86-64-v4), as clang does for their callers.
; CHECK: attributes #{{[0-9]+}} = { {{.*}}"min-legal-vector-width"="512"

; OFF-NOT:       @llvm.x86.avx512.add
; OFF-LABEL:     define internal <8 x double> @add8.prism_fast(
; OFF:           %prism.up = fcmp ogt
; OFF-LABEL:     define internal <16 x float> @fma16.prism_fast(
; OFF:           %prism.up = fcmp ogt

; Without the chain rule, Horner's fmas take the directed rounding too.
; NOCHAIN-LABEL: define internal <8 x double> @horner.prism_fast(
; NOCHAIN-COUNT-8: @llvm.x86.avx512.vfmadd.pd.512
