; The ud clone (passes/FastClone.cpp, roundUd): on AVX-512 targets each
; function with additions, products, fmas or fptruncs gets F.prism_ud, run
; for __prism_mode 3 (ud inline). Each such operation is computed as RN, RD
; and RU (static rounding 9 and 10), RD for the coin 0, RU for 1, RN for 2
; (prism_disable()); a sum's RD is min(RD, RZ) (an exact zero sum: RZ's +0,
; RN's); lanes whose RN is NaN or inf (vfpclass 0x99) take the runtime's
; exact path. Wider vectors are split, narrower ones and scalars padded;
; functions with only divisions and targets without AVX-512 keep the fast
; clone.
; RUN: %opt-prism %s | FileCheck %s
; RUN: %opt-prism -prism-ud-clone=0 %s | FileCheck %s --check-prefix=OFF
; RUN: %opt-prism %s | FileCheck %s --check-prefix=TRUNC

target triple = "x86_64-unknown-linux-gnu"

; CHECK-LABEL: define <16 x float> @add16(
; CHECK:         i8 2, label %prism.fast
; CHECK-NEXT:    i8 3, label %prism.ud
; CHECK:       prism.ud:
; CHECK-NEXT:    tail call <16 x float> @add16.prism_ud(
define <16 x float> @add16(<16 x float> %a, <16 x float> %b) #0 {
  %r = fadd <16 x float> %a, %b
  ret <16 x float> %r
}

; CHECK-LABEL: define <8 x double> @mul8(
; CHECK:         i8 3, label %prism.ud
define <8 x double> @mul8(<8 x double> %a, <8 x double> %b) #0 {
  %r = fmul <8 x double> %a, %b
  ret <8 x double> %r
}

; CHECK-LABEL: define <32 x float> @fma32(
; CHECK:         i8 3, label %prism.ud
define <32 x float> @fma32(<32 x float> %a, <32 x float> %b, <32 x float> %c) #0 {
  %r = call <32 x float> @llvm.fma.v32f32(<32 x float> %a, <32 x float> %b, <32 x float> %c)
  ret <32 x float> %r
}

; No site takes the ud form: no clone, mode 3 runs the fast clone.
; CHECK-LABEL: define <16 x float> @div16(
; CHECK:         i8 2, label %prism.fast
; CHECK-NEXT:    i8 3, label %prism.fast
; CHECK-NEXT:  ]
define <16 x float> @div16(<16 x float> %a, <16 x float> %b) #0 {
  %r = fdiv <16 x float> %a, %b
  ret <16 x float> %r
}

; CHECK-LABEL: define <4 x double> @add4(
; CHECK:         i8 3, label %prism.ud
define <4 x double> @add4(<4 x double> %a, <4 x double> %b) #0 {
  %r = fadd <4 x double> %a, %b
  ret <4 x double> %r
}

; CHECK-LABEL: define float @addf(
; CHECK:         i8 3, label %prism.ud
define float @addf(float %a, float %b) #0 {
  %r = fadd float %a, %b
  ret float %r
}

; fptrunc: RD and RU by vcvtpd2ps with static rounding (no min: a
; conversion's zero keeps its sign), the exact path with double thresholds.
; TRUNC-LABEL: define internal <8 x float> @trunc8.prism_ud(
; TRUNC:         %prism.u = load <8 x i8>
; TRUNC:         [[RN:%.*]] = fptrunc <8 x double> %a to <8 x float>
; TRUNC-NEXT:    [[RD:%.*]] = call <8 x float> @llvm.x86.avx512.mask.cvtpd2ps.512(<8 x double> %a, <8 x float> poison, i8 -1, i32 9)
; TRUNC-NEXT:    [[RU:%.*]] = call <8 x float> @llvm.x86.avx512.mask.cvtpd2ps.512(<8 x double> %a, <8 x float> poison, i8 -1, i32 10)
; TRUNC-NOT:     i32 11
; TRUNC:         call <8 x i1> @llvm.x86.avx512.fpclass.ps.256(<8 x float> [[RN]], i32 153)
; TRUNC:         %prism.ud = select <8 x i1> {{%.*}}, <8 x float> [[RD]],
; TRUNC:         store <8 x double> {{%.*}}, ptr [[UPTR:%.*]], align 64
; TRUNC:         call void @__prism_fast_v_f64_trunc({{.*}}, ptr [[UPTR]], i64 8)
define <8 x float> @trunc8(<8 x double> %a) #0 {
  %r = fptrunc <8 x double> %a to <8 x float>
  ret <8 x float> %r
}

; CHECK-LABEL: define <8 x double> @add8_avx2(
; CHECK:         i8 3, label %prism.fast
define <8 x double> @add8_avx2(<8 x double> %a, <8 x double> %b) #1 {
  %r = fadd <8 x double> %a, %b
  ret <8 x double> %r
}

; The coins: their own cursor (idx8), refill and buffer (after the
; thresholds: 16 + 12 * 2048), one byte per lane.
; CHECK-LABEL: define internal <16 x float> @add16.prism_ud(
; CHECK-SAME:    #[[UDATTR:[0-9]+]]
; CHECK:         [[I8:%.*]] = getelementptr inbounds i8, ptr %prism.state, i64 8
; CHECK-NEXT:    %prism.idx8 = load i32, ptr [[I8]]
; CHECK-NEXT:    %prism.short = icmp ugt i32 %prism.idx8, 2032
; CHECK:         call i32 @__prism_fast_refill8(ptr %prism.state)
; CHECK:         getelementptr inbounds i8, ptr %prism.state, i64 24640
; CHECK:         %prism.u = load <16 x i8>
; CHECK:         [[RN:%.*]] = fadd <16 x float> %a, %b
; CHECK-NEXT:    [[RD:%.*]] = call <16 x float> @llvm.x86.avx512.add.ps.512(<16 x float> %a, <16 x float> %b, i32 9)
; CHECK-NEXT:    [[RU:%.*]] = call <16 x float> @llvm.x86.avx512.add.ps.512(<16 x float> %a, <16 x float> %b, i32 10)
; CHECK-NEXT:    [[RZ:%.*]] = call <16 x float> @llvm.x86.avx512.add.ps.512(<16 x float> %a, <16 x float> %b, i32 11)
; CHECK-NEXT:    [[LT:%.*]] = fcmp olt <16 x float> [[RD]], [[RZ]]
; CHECK-NEXT:    [[MIN:%.*]] = select <16 x i1> [[LT]], <16 x float> [[RD]], <16 x float> [[RZ]]
; CHECK-NEXT:    [[DIS:%.*]] = icmp eq <16 x i8> %prism.u, <i8 2,
; CHECK-NEXT:    [[UP:%.*]] = select <16 x i1> [[DIS]], <16 x float> [[RN]], <16 x float> [[RU]]
; CHECK-NEXT:    [[CLS:%.*]] = call <16 x i1> @llvm.x86.avx512.fpclass.ps.512(<16 x float> [[RN]], i32 153)
; CHECK-NEXT:    [[OK:%.*]] = xor <16 x i1> [[CLS]], <i1 true,
; CHECK-NEXT:    [[DOWN:%.*]] = icmp eq <16 x i8> %prism.u, zeroinitializer
; CHECK-NEXT:    %prism.ud = select <16 x i1> [[DOWN]], <16 x float> [[MIN]], <16 x float> [[UP]]
; CHECK-NEXT:    [[ALL:%.*]] = call i1 @llvm.vector.reduce.and.v16i1(<16 x i1> [[OK]])
; The exact path takes thresholds: coin 0 -> u = 0, 2 -> +inf, 1 -> 2^-23.
; CHECK:         br i1 %prism.outside
; CHECK:         [[C0:%.*]] = icmp eq <16 x i8> %prism.u, zeroinitializer
; CHECK-NEXT:    [[C2:%.*]] = icmp eq <16 x i8> %prism.u, <i8 2,
; CHECK-NEXT:    [[T:%.*]] = select <16 x i1> [[C2]], <16 x float> <float 0x7FF0000000000000, {{.*}}>, <16 x float> <float 0x3E80000000000000,
; CHECK-NEXT:    [[U:%.*]] = select <16 x i1> [[C0]], <16 x float> zeroinitializer, <16 x float> [[T]]
; CHECK-NEXT:    store <16 x float> [[U]], ptr [[UPTR:%.*]], align 64
; CHECK:         call void @__prism_fast_v_f32_add({{.*}}, ptr [[UPTR]], i64 16)
; CHECK:         %r = phi <16 x float> [ %prism.ud,

; A product's zero has the same sign under RD and RU: no min with RZ.
; CHECK-LABEL: define internal <8 x double> @mul8.prism_ud(
; CHECK:         [[RD:%.*]] = call <8 x double> @llvm.x86.avx512.mul.pd.512(<8 x double> %a, <8 x double> %b, i32 9)
; CHECK-NEXT:    call <8 x double> @llvm.x86.avx512.mul.pd.512(<8 x double> %a, <8 x double> %b, i32 10)
; CHECK-NOT:     i32 11
; CHECK:         call <8 x i1> @llvm.x86.avx512.fpclass.pd.512(
; CHECK:         %prism.ud = select <8 x i1> {{%.*}}, <8 x double> [[RD]],
; CHECK:         call void @__prism_fast_v_f64_mul(

; 1024 bits: each static rounding and class test on two 512-bit halves.
; CHECK-LABEL: define internal <32 x float> @fma32.prism_ud(
; CHECK-COUNT-2: call <16 x float> @llvm.x86.avx512.vfmadd.ps.512({{.*}}, i32 9)
; CHECK-COUNT-2: call <16 x float> @llvm.x86.avx512.vfmadd.ps.512({{.*}}, i32 10)
; CHECK-COUNT-2: call <16 x i1> @llvm.x86.avx512.fpclass.ps.512(
; CHECK:         call void @__prism_fast_v_f32_fma(

; Narrower vectors: padded once to 512 bits for the three roundings, the
; class test at their own width.
; CHECK-LABEL: define internal <4 x double> @add4.prism_ud(
; CHECK:         [[A:%.*]] = shufflevector <4 x double> %a, <4 x double> poison, <8 x i32> <i32 0, i32 1, i32 2, i32 3, i32 poison,
; CHECK-NEXT:    [[B:%.*]] = shufflevector <4 x double> %b, <4 x double> poison, <8 x i32> <i32 0, i32 1, i32 2, i32 3, i32 poison,
; CHECK-NEXT:    [[RD:%.*]] = call <8 x double> @llvm.x86.avx512.add.pd.512(<8 x double> [[A]], <8 x double> [[B]], i32 9)
; CHECK-NEXT:    shufflevector <8 x double> [[RD]], <8 x double> poison, <4 x i32> <i32 0, i32 1, i32 2, i32 3>
; CHECK-NEXT:    call <8 x double> @llvm.x86.avx512.add.pd.512(<8 x double> [[A]], <8 x double> [[B]], i32 10)
; CHECK:         call <4 x i1> @llvm.x86.avx512.fpclass.pd.256(
; CHECK:         call void @__prism_fast_v_f64_add(

; Scalars: lane 0 of a 128-bit vector (as in the fast clone), padded.
; CHECK-LABEL: define internal float @addf.prism_ud(
; CHECK:         %prism.u = load i8
; CHECK:         [[A:%.*]] = shufflevector <4 x float> {{%.*}}, <4 x float> poison, <16 x i32>
; CHECK:         call <16 x float> @llvm.x86.avx512.add.ps.512(<16 x float> [[A]], <16 x float> {{%.*}}, i32 9)
; CHECK:         call <4 x i1> @llvm.x86.avx512.fpclass.ps.128(
; CHECK:         %prism.ud = select <4 x i1>
; CHECK-NEXT:    extractelement <4 x float> %prism.ud, i64 0
; CHECK:         call float @__prism_fast_f32_add(float %a, float %b, float

; CHECK-NOT:   define internal {{.*}}.prism_ud(
; CHECK:       define internal <8 x float> @trunc8.prism_ud(
; CHECK-NOT:   define internal {{.*}}.prism_ud(
; CHECK:       attributes #[[UDATTR]] = { {{.*}}"min-legal-vector-width"="512"

; OFF-NOT: prism.ud
; OFF-NOT: i8 3, label %prism.ud
declare <32 x float> @llvm.fma.v32f32(<32 x float>, <32 x float>, <32 x float>)

attributes #0 = { "target-features"="+fma,+avx2,+avx512f,+avx512dq,+avx512vl" }
attributes #1 = { "target-features"="+fma,+avx2" }
