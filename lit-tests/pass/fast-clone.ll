; The inline sr/ud clone F.prism_fast (passes/FastClone.cpp): state from the
; initial-exec TLS pointer (created on the thread's first fast function), one
; slot check per call-free stretch, the threshold u from the buffer, the
; round-to-nearest result and its error-free transform, the neighbour on the
; error's side when |err| > u * gap, the runtime's exact path for operands
; outside the safe range, and the cursor written back before calls and
; returns, reloaded after calls (invoke: on both edges).
; RUN: %opt-prism %s | FileCheck %s
; RUN: %opt-prism -prism-fast-clone=false %s | FileCheck %s --check-prefix=OFF

; OFF-NOT: prism_fast
; OFF-NOT: i8 2, label

; CHECK-LABEL: define double @add(
; CHECK:         i8 2, label %prism.fast
; CHECK:       prism.fast:
; CHECK-NEXT:    tail call double @add.prism_fast(double %a, double %b)

; CHECK-LABEL: define double @strict(
; CHECK-NOT:     prism.fast
; CHECK:         call double @__prism_f64_add(

target triple = "x86_64-unknown-linux-gnu"

define double @add(double %a, double %b) #0 {
  %r = fadd double %a, %b
  ret double %r
}

declare void @ext()

define float @around_call(float %a, float %b) #0 {
  %x = fmul float %a, %b
  call void @ext()
  %y = fadd float %x, %b
  ret float %y
}

define <4 x double> @vdiv(<4 x double> %a, <4 x double> %b) #0 {
  %r = fdiv <4 x double> %a, %b
  ret <4 x double> %r
}

define double @nofma(double %a, double %b) #1 {
  %m = fmul double %a, %b
  %r = fadd double %m, %b
  ret double %r
}

define double @strict(double %a, double %b) #2 {
  %r = call double @llvm.experimental.constrained.fadd.f64(double %a, double %b, metadata !"round.dynamic", metadata !"fpexcept.strict") #2
  ret double %r
}
declare double @llvm.experimental.constrained.fadd.f64(double, double, metadata, metadata)

declare i32 @__gxx_personality_v0(...)
define double @inv(double %a) #0 personality ptr @__gxx_personality_v0 {
entry:
  invoke void @ext() to label %ok unwind label %pad
ok:
  %r = fadd double %a, %a
  ret double %r
pad:
  %lp = landingpad { ptr, i32 } cleanup
  %s = fsub double %a, 1.0
  call void @use(double %s)
  resume { ptr, i32 } %lp
}
declare void @use(double)

; Regression: an operation before the invoke in the same block moves the
; invoke into the slot check's tail block; the normal edge is split from
; there (SplitEdge on the stale block crashed).
define double @op_then_invoke(double %a) #0 personality ptr @__gxx_personality_v0 {
entry:
  %x = fmul double %a, %a
  invoke void @ext() to label %ok unwind label %pad
ok:
  ret double %x
pad:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}

; A product by a power of two is exact in range: no error term, no
; neighbour; only the range check and the exact path (which uses the slot).
define <4 x double> @eighth(<4 x double> %a) #0 {
  %r = fmul <4 x double> %a, <double 0.125, double 0.125, double 0.125, double 0.125>
  ret <4 x double> %r
}

; An accumulator (the add's result comes back through a phi): Fast2Sum with
; the larger magnitude first, and the decision from both neighbours'
; thresholds, precomputed from s.
define double @acc(ptr %p, i64 %n) #0 {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ]
  %x = load double, ptr %p
  %s1 = fadd double %s, %x
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret double %s1
}

; A lone fma (no chain: compare and select); the range check on s alone,
; plus Err not NaN.
define <4 x double> @fma4(<4 x double> %a, <4 x double> %b, <4 x double> %c) #0 {
  %r = call <4 x double> @llvm.fma.v4f64(<4 x double> %a, <4 x double> %b, <4 x double> %c)
  ret <4 x double> %r
}
declare <4 x double> @llvm.fma.v4f64(<4 x double>, <4 x double>, <4 x double>)

; A power-of-two factor: the exact product, then a rounded addition.
define <4 x double> @half_fma(<4 x double> %a, <4 x double> %c) #0 {
  %r = call <4 x double> @llvm.fmuladd.v4f64(<4 x double> %a, <4 x double> <double 0.5, double 0.5, double 0.5, double 0.5>, <4 x double> %c)
  ret <4 x double> %r
}
declare <4 x double> @llvm.fmuladd.v4f64(<4 x double>, <4 x double>, <4 x double>)

attributes #0 = { "target-features"="+fma,+avx2" }
attributes #1 = { "target-features"="+sse2" }
attributes #2 = { strictfp "target-features"="+fma" }

; CHECK-LABEL: define internal double @add.prism_fast(double %a, double %b)
; CHECK:         [[T:%.*]] = call ptr @llvm.threadlocal.address.p0(ptr @__prism_fast_tls_v2)
; CHECK-NEXT:    %prism.tls = load ptr, ptr [[T]]
; CHECK:         call ptr @__prism_fast_enter()
; CHECK:         %prism.state = phi ptr
; CHECK-NEXT:    %prism.idx32 = load i32, ptr %prism.state
; CHECK-NEXT:    [[I64:%.*]] = getelementptr inbounds i8, ptr %prism.state, i64 4
; CHECK-NEXT:    %prism.idx64 = load i32, ptr [[I64]]
; CHECK-NEXT:    %prism.short = icmp ugt i32 %prism.idx64, 2047
; CHECK:         call i32 @__prism_fast_refill64(ptr %prism.state)
; CHECK:         [[C:%.*]] = phi i32
; CHECK-NEXT:    [[B:%.*]] = getelementptr inbounds i8, ptr %prism.state, i64 64
; CHECK-NEXT:    [[I:%.*]] = zext i32 [[C]] to i64
; CHECK-NEXT:    [[P:%.*]] = getelementptr inbounds double, ptr [[B]], i64 [[I]]
; CHECK-NEXT:    %prism.u = load double, ptr [[P]]
; CHECK-NEXT:    [[NEXT:%.*]] = add nuw i32 [[C]], 1
; A scalar is rounded in lane 0 of a 128-bit vector (no trips through
; general registers for the bit tricks).
; CHECK-NEXT:    [[A:%.*]] = insertelement <2 x double> poison, double %a, i64 0
; CHECK-NEXT:    [[B:%.*]] = insertelement <2 x double> poison, double %b, i64 0
; CHECK-NEXT:    [[U:%.*]] = insertelement <2 x double> poison, double %prism.u, i64 0
; CHECK-NEXT:    [[S:%.*]] = fadd <2 x double> [[A]], [[B]]
; CHECK-NEXT:    [[BB:%.*]] = fsub <2 x double> [[S]], [[A]]
; CHECK-NEXT:    [[X1:%.*]] = fsub <2 x double> [[S]], [[BB]]
; CHECK-NEXT:    [[X2:%.*]] = fsub <2 x double> [[A]], [[X1]]
; CHECK-NEXT:    [[X3:%.*]] = fsub <2 x double> [[B]], [[BB]]
; CHECK-NEXT:    [[ERR:%.*]] = fadd <2 x double> [[X2]], [[X3]]
; CHECK:         fmul <2 x double> [[U]],
; CHECK:         %prism.up = fcmp ogt <2 x double>
; CHECK-NEXT:    %prism.sr = select <2 x i1> %prism.up, <2 x double> %prism.next, <2 x double> [[S]]
; CHECK-NEXT:    [[R0:%.*]] = extractelement <2 x double> %prism.sr, i64 0
; CHECK:         br i1 %prism.outside
; CHECK:         call double @__prism_fast_f64_add(double %a, double %b, double %prism.u)
; CHECK:         %r = phi double [ [[R0]], {{.*}} ]
; CHECK-NEXT:    store i32 %prism.idx32, ptr %prism.state
; CHECK-NEXT:    [[W:%.*]] = getelementptr inbounds i8, ptr %prism.state, i64 4
; CHECK-NEXT:    store i32 [[NEXT]], ptr [[W]]
; CHECK-NEXT:    ret double %r

; Float thresholds come from the float half of the buffer (offset 16 + 8*2048).
; CHECK-LABEL: define internal float @around_call.prism_fast(
; CHECK:         getelementptr inbounds i8, ptr %prism.state, i64 16448
; CHECK:         call <4 x float> @llvm.fma.v4f32(<4 x float> [[A32:%.*]], <4 x float> [[B32:%.*]], <4 x float>
; CHECK:         call float @__prism_fast_f32_mul(float %a, float %b, float %prism.u)
; CHECK:         store i32 {{%.*}}, ptr %prism.state
; CHECK-NEXT:    getelementptr
; CHECK-NEXT:    store i32
; CHECK-NEXT:    call void @ext()
; CHECK-NEXT:    [[R32:%prism.idx32.*]] = load i32, ptr %prism.state
; CHECK:         %prism.short{{.*}} = icmp ugt i32 [[R32]], 2047
; CHECK:         call i32 @__prism_fast_refill32(ptr %prism.state)
; CHECK:         call float @__prism_fast_f32_add(float %x, float %b,

; Vectors: the lane thresholds load as one vector; the exact path gets
; pointers to the operands and to the thresholds in the buffer.
; CHECK-LABEL: define internal <4 x double> @vdiv.prism_fast(
; CHECK:         [[UP:%.*]] = getelementptr inbounds double, ptr
; CHECK-NEXT:    %prism.u = load <4 x double>, ptr [[UP]], align 8
; CHECK-NEXT:    add nuw i32 {{%.*}}, 4
; CHECK:         fdiv <4 x double> %a, %b
; CHECK:         call <4 x double> @llvm.fma.v4f64(
; CHECK:         call i1 @llvm.vector.reduce.and.v4i1(
; CHECK:         call void @__prism_fast_v_f64_div(ptr %prism.fast.slot, ptr %prism.fast.slot1, ptr %prism.fast.slot2, ptr [[UP]], i64 4)

; Without FMA only add, sub and fptrunc are inline; mul calls the runtime.
; CHECK-LABEL: define internal double @nofma.prism_fast(
; CHECK:         %m = call double @__prism_f64_mul(double %a, double %b)
; CHECK:         call double @__prism_fast_f64_add(double %m, double %b,

; invoke: write-back before it, reload on the split normal edge and in the
; landing pad; write-back before resume.
; CHECK-LABEL: define internal double @inv.prism_fast(
; CHECK:         store i32 %prism.idx64, ptr
; CHECK-NEXT:    invoke void @ext()
; CHECK:       ok.split:
; CHECK-NEXT:    load i32, ptr %prism.state
; CHECK:       pad:
; CHECK-NEXT:    %lp = landingpad
; CHECK-NEXT:    cleanup
; CHECK-NEXT:    load i32, ptr %prism.state
; CHECK:         call void @use(double %s)
; CHECK:         store i32
; CHECK-NEXT:    getelementptr
; CHECK-NEXT:    store i32
; CHECK-NEXT:    resume

; CHECK-LABEL: define internal double @op_then_invoke.prism_fast(
; CHECK:         invoke void @ext()
; CHECK-NEXT:            to label %[[SPLIT:.*]] unwind label %pad
; CHECK:       [[SPLIT]]:
; CHECK-NEXT:    load i32, ptr %prism.state

; CHECK-LABEL: define internal <4 x double> @eighth.prism_fast(
; CHECK:         %prism.u = load <4 x double>
; CHECK-NEXT:    add nuw i32 {{%.*}}, 4
; CHECK-NEXT:    [[P:%.*]] = fmul <4 x double> %a, <double 1.250000e-01,
; CHECK-NOT:     prism.up
; CHECK:         call void @__prism_fast_v_f64_mul(
; CHECK:         phi <4 x double> [ [[P]],

; CHECK-LABEL: define internal double @acc.prism_fast(
; CHECK:         [[S:%.*]] = fadd <2 x double> [[X:%.*]], [[Y:%.*]]
; CHECK:         [[BIG:%.*]] = icmp sge <2 x i64>
; CHECK-NEXT:    [[HI:%.*]] = select <2 x i1> [[BIG]], <2 x double> [[X]], <2 x double> [[Y]]
; CHECK-NEXT:    [[LO:%.*]] = select <2 x i1> [[BIG]], <2 x double> [[Y]], <2 x double> [[X]]
; CHECK-NEXT:    [[Z:%.*]] = fsub <2 x double> [[S]], [[HI]]
; CHECK-NEXT:    [[ERR:%.*]] = fsub <2 x double> [[LO]], [[Z]]
; CHECK:         [[DOWN:%.*]] = sub <2 x i64> [[SB:%.*]], <i64 1, i64 1>
; CHECK-NEXT:    [[AWAY:%.*]] = add <2 x i64> [[SB]], <i64 1, i64 1>
; The away threshold from s's own exponent (ulp(s)), the toward one from the
; lower neighbour's.
; CHECK:         and <2 x i64> [[SB]], <i64 9218868437227405312,
; CHECK:         %prism.away = fcmp ogt <2 x double>
; CHECK-NEXT:    and <2 x i64> [[DOWN]], <i64 9218868437227405312,
; CHECK:         %prism.toward = fcmp olt <2 x double>
; CHECK:         %prism.sr = select <2 x i1> %prism.away,

; A lone fma (off a chain): (y, yl) = TwoSum(c, -s), err = fma(a, b, y) + yl.
; CHECK-LABEL: define internal <4 x double> @fma4.prism_fast(
; CHECK:         [[S:%.*]] = call <4 x double> @llvm.fma.v4f64(<4 x double> %a, <4 x double> %b, <4 x double> %c)
; CHECK-NEXT:    [[NS:%.*]] = fneg <4 x double> [[S]]
; CHECK-NEXT:    [[Y:%.*]] = fadd <4 x double> %c, [[NS]]
; CHECK:         [[F:%.*]] = call <4 x double> @llvm.fma.v4f64(<4 x double> %a, <4 x double> %b, <4 x double> [[Y]])
; CHECK-NEXT:    [[ERR:%.*]] = fadd <4 x double> [[F]],
; CHECK-NOT:     fmul <4 x double> %a, %b
; CHECK:         fcmp ord <4 x double> [[ERR]], [[ERR]]
; CHECK:         %prism.up = fcmp ogt

; CHECK-LABEL: define internal <4 x double> @half_fma.prism_fast(
; CHECK:         [[P:%.*]] = fmul <4 x double> %a, <double 5.000000e-01,
; CHECK:         [[S:%.*]] = fadd <4 x double> [[P]], %c
; CHECK-NOT:     @llvm.fma
; CHECK:         %prism.up = fcmp ogt
; CHECK:         call void @__prism_fast_v_f64_fma(
