; llvm.vector.reduce.fadd/fmul spelled out: the ordered chain for 8 lanes, the
; split-half tree for reassoc (any fast-math set that includes it), the
; fallbacks to the ordered chain, and 1-lane vectors. The ops of the expansion
; are instrumented like any other (../ops/reduce-*.test covers all widths).
; RUN: %opt-prism %s | FileCheck %s --enable-var-scope

; CHECK-LABEL: define float @ordered8(float %s, <8 x float> %v)
; CHECK:         [[X0:%.*]] = extractelement <8 x float> %v, i32 0
; CHECK-NEXT:    [[A0:%.*]] = call float @__prism_f32_add(float %s, float [[X0]])
; CHECK-NEXT:    [[X1:%.*]] = extractelement <8 x float> %v, i32 1
; CHECK-NEXT:    [[A1:%.*]] = call float @__prism_f32_add(float [[A0]], float [[X1]])
; CHECK-NEXT:    [[X2:%.*]] = extractelement <8 x float> %v, i32 2
; CHECK-NEXT:    [[A2:%.*]] = call float @__prism_f32_add(float [[A1]], float [[X2]])
; CHECK-NEXT:    [[X3:%.*]] = extractelement <8 x float> %v, i32 3
; CHECK-NEXT:    [[A3:%.*]] = call float @__prism_f32_add(float [[A2]], float [[X3]])
; CHECK-NEXT:    [[X4:%.*]] = extractelement <8 x float> %v, i32 4
; CHECK-NEXT:    [[A4:%.*]] = call float @__prism_f32_add(float [[A3]], float [[X4]])
; CHECK-NEXT:    [[X5:%.*]] = extractelement <8 x float> %v, i32 5
; CHECK-NEXT:    [[A5:%.*]] = call float @__prism_f32_add(float [[A4]], float [[X5]])
; CHECK-NEXT:    [[X6:%.*]] = extractelement <8 x float> %v, i32 6
; CHECK-NEXT:    [[A6:%.*]] = call float @__prism_f32_add(float [[A5]], float [[X6]])
; CHECK-NEXT:    [[X7:%.*]] = extractelement <8 x float> %v, i32 7
; CHECK-NEXT:    [[A7:%.*]] = call float @__prism_f32_add(float [[A6]], float [[X7]])
; CHECK-NEXT:    ret float [[A7]]
define float @ordered8(float %s, <8 x float> %v) {
  %r = call float @llvm.vector.reduce.fadd.v8f32(float %s, <8 x float> %v)
  ret float %r
}

; Flags without reassoc do not allow reordering.
; CHECK-LABEL: define double @nnan_ninf(double %s, <2 x double> %v)
; CHECK:         [[X0:%.*]] = extractelement <2 x double> %v, i32 0
; CHECK-NEXT:    [[A0:%.*]] = call double @__prism_f64_mul(double %s, double [[X0]])
; CHECK-NEXT:    [[X1:%.*]] = extractelement <2 x double> %v, i32 1
; CHECK-NEXT:    [[A1:%.*]] = call double @__prism_f64_mul(double [[A0]], double [[X1]])
; CHECK-NEXT:    ret double [[A1]]
define double @nnan_ninf(double %s, <2 x double> %v) {
  %r = call nnan ninf double @llvm.vector.reduce.fmul.v2f64(double %s, <2 x double> %v)
  ret double %r
}

; `fast` includes reassoc: the tree, each level one vector call on all lanes.
; CHECK-LABEL: define double @fast4(double %s, <4 x double> %v)
; CHECK:         %rdx.shuf = shufflevector <4 x double> %v, <4 x double> poison, <4 x i32> <i32 2, i32 3, i32 poison, i32 poison>
; CHECK-NEXT:    store <4 x double> %v, ptr [[A:%prism.slot[0-9]*]]
; CHECK-NEXT:    store <4 x double> %rdx.shuf, ptr [[B:%prism.slot[0-9]*]]
; CHECK-NEXT:    call void @__prism_v_f64_mul(ptr [[R:%prism.slot[0-9]*]], ptr [[A]], ptr [[B]], i64 4)
; CHECK-NEXT:    %bin.rdx = load <4 x double>, ptr [[R]]
; CHECK-NEXT:    %rdx.shuf1 = shufflevector <4 x double> %bin.rdx, <4 x double> poison, <4 x i32> <i32 1, i32 poison, i32 poison, i32 poison>
; CHECK-NEXT:    store <4 x double> %bin.rdx, ptr [[A2:%prism.slot[0-9]*]]
; CHECK-NEXT:    store <4 x double> %rdx.shuf1, ptr [[B2:%prism.slot[0-9]*]]
; CHECK-NEXT:    call void @__prism_v_f64_mul(ptr [[R2:%prism.slot[0-9]*]], ptr [[A2]], ptr [[B2]], i64 4)
; CHECK-NEXT:    %bin.rdx2 = load <4 x double>, ptr [[R2]]
; CHECK-NEXT:    [[L0:%.*]] = extractelement <4 x double> %bin.rdx2, i32 0
; CHECK-NEXT:    [[RES:%.*]] = call double @__prism_f64_mul(double %s, double [[L0]])
; CHECK-NEXT:    ret double [[RES]]
define double @fast4(double %s, <4 x double> %v) {
  %r = call fast double @llvm.vector.reduce.fmul.v4f64(double %s, <4 x double> %v)
  ret double %r
}

; reassoc on 6 lanes (not a power of 2): ordered chain, no vector call.
; CHECK-LABEL: define float @reassoc6(float %s, <6 x float> %v)
; CHECK-NOT:     call void
; CHECK-COUNT-6: call float @__prism_f32_add(
; CHECK-NOT:     call
; CHECK:         ret float
define float @reassoc6(float %s, <6 x float> %v) {
  %r = call reassoc float @llvm.vector.reduce.fadd.v6f32(float %s, <6 x float> %v)
  ret float %r
}

; One lane: start op v[0], either way. The results feed an instrumented fadd.
; CHECK-LABEL: define float @one_lane(float %s, <1 x float> %v)
; CHECK:         [[X:%.*]] = extractelement <1 x float> %v, i32 0
; CHECK-NEXT:    [[R:%.*]] = call float @__prism_f32_add(float %s, float [[X]])
; CHECK-NEXT:    [[Y:%.*]] = extractelement <1 x float> %v, i32 0
; CHECK-NEXT:    [[Q:%.*]] = call float @__prism_f32_add(float %s, float [[Y]])
; CHECK-NEXT:    %t = call float @__prism_f32_add(float [[R]], float [[Q]])
; CHECK-NEXT:    ret float %t
define float @one_lane(float %s, <1 x float> %v) {
  %r = call reassoc float @llvm.vector.reduce.fadd.v1f32(float %s, <1 x float> %v)
  %q = call float @llvm.vector.reduce.fadd.v1f32(float %s, <1 x float> %v)
  %t = fadd float %r, %q
  ret float %t
}

; The clones keep the intrinsics.
; CHECK-LABEL: define internal float @ordered8.prism_native(
; CHECK-NEXT:    call float @llvm.vector.reduce.fadd.v8f32(float %s, <8 x float> %v)
; CHECK-LABEL: define internal double @fast4.prism_native(
; CHECK-NEXT:    call fast double @llvm.vector.reduce.fmul.v4f64(double %s, <4 x double> %v)

declare float @llvm.vector.reduce.fadd.v8f32(float, <8 x float>)
declare float @llvm.vector.reduce.fadd.v6f32(float, <6 x float>)
declare float @llvm.vector.reduce.fadd.v1f32(float, <1 x float>)
declare double @llvm.vector.reduce.fmul.v2f64(double, <2 x double>)
declare double @llvm.vector.reduce.fmul.v4f64(double, <4 x double>)
