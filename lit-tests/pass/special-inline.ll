; Lanes outside the inline range whose operands include a NaN or an infinity
; take the IEEE result (exact there); the runtime's exact path runs only when
; an outside lane has finite operands. Programs that live in NaN land (an
; overflowing iteration) stay off the slow call.
; RUN: %opt-prism %s | FileCheck %s
; RUN: %opt-prism -prism-fast-special-inline=false %s | FileCheck %s --check-prefix=OFF

; CHECK-LABEL: define internal <8 x double> @vadd.prism_fast(
; CHECK:         %prism.outside = xor i1 {{%.*}}, true
; CHECK-NEXT:    br i1 %prism.outside, label %[[CHECK:.*]], label %[[TAIL:.*]], !prof ![[OUT:[0-9]+]]
; CHECK:       [[CHECK]]:
; One vfpclass per operand (153 = 0x99: NaNs and infinities).
; CHECK-NEXT:    [[NA:%.*]] = call <8 x i1> @llvm.x86.avx512.fpclass.pd.512(<8 x double> %a, i32 153)
; CHECK-NEXT:    [[NB:%.*]] = call <8 x i1> @llvm.x86.avx512.fpclass.pd.512(<8 x double> %b, i32 153)
; CHECK-NEXT:    [[SP:%.*]] = or <8 x i1> [[NA]], [[NB]]
; CHECK-NEXT:    [[COVER:%.*]] = or <8 x i1> {{%.*}}, [[SP]]
; CHECK-NEXT:    [[IEEE:%.*]] = fadd <8 x double> %a, %b
; CHECK-NEXT:    [[RES:%.*]] = select <8 x i1> [[SP]], <8 x double> [[IEEE]], <8 x double> %prism.sr
; CHECK-NEXT:    [[ALL:%.*]] = call i1 @llvm.vector.reduce.and.v8i1(<8 x i1> [[COVER]])
; CHECK-NEXT:    [[FR:%.*]] = freeze i1 [[ALL]]
; CHECK-NEXT:    [[NOT:%.*]] = xor i1 [[FR]], true
; CHECK-NEXT:    br i1 [[NOT]], label %[[SLOW:.*]], label %[[JOIN:.*]], !prof
; CHECK:       [[SLOW]]:
; CHECK:         call void @__prism_fast_v_f64_add(
; CHECK:       [[JOIN]]:
; CHECK-NEXT:    %prism.special = phi <8 x double> [ [[RES]], %[[CHECK]] ], [ {{%.*}}, %[[SLOW]] ]
; CHECK:       [[TAIL]]:
; CHECK-NEXT:    %r = phi <8 x double> [ %prism.sr, {{%.*}} ], [ %prism.special, %[[JOIN]] ]

; The ud clone takes the same check.
; CHECK-LABEL: define internal <8 x double> @vadd.prism_ud(
; CHECK:         br i1 %prism.outside
; CHECK:         call <8 x i1> @llvm.x86.avx512.fpclass.pd.512(<8 x double> %a, i32 153)
; CHECK:         fadd <8 x double> %a, %b
; CHECK:         call void @__prism_fast_v_f64_add(
; CHECK:         %prism.special = phi <8 x double>

; A scalar (rounded in lane 0 of a vector): its lane's Ok and its operands.
; CHECK-LABEL: define internal double @smul.prism_fast(
; CHECK:         br i1 %prism.outside
; CHECK:         [[SA:%.*]] = call <2 x i1> @llvm.x86.avx512.fpclass.pd.128(<2 x double> [[WA:%.*]], i32 153)
; CHECK-NEXT:    [[SB:%.*]] = call <2 x i1> @llvm.x86.avx512.fpclass.pd.128(<2 x double> [[WB:%.*]], i32 153)
; CHECK-NEXT:    [[SS:%.*]] = or <2 x i1> [[SA]], [[SB]]
; CHECK-NEXT:    [[CV:%.*]] = or <2 x i1> {{%.*}}, [[SS]]
; CHECK-NEXT:    [[S0:%.*]] = extractelement <2 x i1> [[SS]], i64 0
; CHECK-NEXT:    [[C0:%.*]] = extractelement <2 x i1> [[CV]], i64 0
; CHECK-NEXT:    [[M:%.*]] = fmul double %a, %b
; CHECK-NEXT:    select i1 [[S0]], double [[M]],
; CHECK-NEXT:    xor i1 [[C0]], true
; CHECK:         call double @__prism_fast_f64_mul(double %a, double %b,
; CHECK:         %prism.special = phi double

; An fma with a zero factor is exact: the hot path does not test for it
; (0 * x + 0 leaves s outside the range), the check block gives those lanes
; the IEEE result with the NaN/inf ones. Only a factor from a masked load (a
; folded tail's zeros, every tail iteration) keeps its test in the hot path.
; CHECK-LABEL: define internal <8 x double> @vfma.prism_fast(
; CHECK-NOT:     fcmp oeq
; CHECK:         %prism.outside = xor i1 {{%.*}}, true
; CHECK:         [[FA:%.*]] = call <8 x i1> @llvm.x86.avx512.fpclass.pd.512(<8 x double> %a, i32 153)
; CHECK:         [[ZA:%.*]] = fcmp oeq <8 x double> %a, zeroinitializer
; CHECK-NEXT:    [[ZB:%.*]] = fcmp oeq <8 x double> %b, zeroinitializer
; CHECK-NEXT:    [[Z:%.*]] = or <8 x i1> [[ZA]], [[ZB]]
; CHECK-NEXT:    [[SP:%.*]] = or <8 x i1> {{%.*}}, [[Z]]
; CHECK:         [[IEEE:%.*]] = call <8 x double> @llvm.fma.v8f64(<8 x double> %a, <8 x double> %b, <8 x double> %c)
; CHECK-NEXT:    select <8 x i1> [[SP]], <8 x double> [[IEEE]], <8 x double> %prism.sr
; CHECK-LABEL: define internal <8 x double> @vfmamasked.prism_fast(
; CHECK:         fcmp oeq <8 x double> %a, zeroinitializer
; CHECK-NOT:     fcmp oeq <8 x double> %b, zeroinitializer
; CHECK:         %prism.outside = xor i1
; OFF-LABEL: define internal <8 x double> @vfma.prism_fast(
; OFF:         fcmp oeq <8 x double> %a, zeroinitializer
; OFF:         fcmp oeq <8 x double> %b, zeroinitializer
; OFF:         %prism.outside = xor i1

; Leaving the range is rare (1:1000), the runtime call rarer (1:2^20-1):
; the allocator then keeps the call's spills out of the operand check.
; CHECK: ![[OUT]] = !{!"branch_weights", i32 1, i32 1000}

; OFF-NOT:       %prism.special


target triple = "x86_64-unknown-linux-gnu"

define <8 x double> @vadd(<8 x double> %a, <8 x double> %b) #0 {
  %r = fadd <8 x double> %a, %b
  ret <8 x double> %r
}

define double @smul(double %a, double %b) #0 {
  %r = fmul double %a, %b
  ret double %r
}

define <8 x double> @vfma(<8 x double> %a, <8 x double> %b, <8 x double> %c) #0 {
  %r = call <8 x double> @llvm.fma.v8f64(<8 x double> %a, <8 x double> %b, <8 x double> %c)
  ret <8 x double> %r
}

define <8 x double> @vfmamasked(ptr %p, <8 x i1> %m, <8 x double> %b, <8 x double> %c) #0 {
  %a = call <8 x double> @llvm.masked.load.v8f64.p0(ptr %p, i32 8, <8 x i1> %m, <8 x double> poison)
  %r = call <8 x double> @llvm.fma.v8f64(<8 x double> %a, <8 x double> %b, <8 x double> %c)
  ret <8 x double> %r
}

declare <8 x double> @llvm.fma.v8f64(<8 x double>, <8 x double>, <8 x double>)
declare <8 x double> @llvm.masked.load.v8f64.p0(ptr, i32, <8 x i1>, <8 x double>)

attributes #0 = { "target-features"="+fma,+avx2,+avx512f,+avx512dq,+avx512vl" }
