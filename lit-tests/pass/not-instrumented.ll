; Only rounding operations on float and double are instrumented. Exact
; operations (fneg, fabs, copysign, compares, fpext, selects, min/max, memory
; accesses) and other types (half, bfloat, x86_fp80, fp128, scalable vectors)
; are left alone; so are frem and calls to other functions.
; RUN: %opt-prism %s | FileCheck %s

; CHECK-LABEL: define float @mixed(
; CHECK:         %fneg = fneg float %x
; CHECK-NEXT:    %fabs = call float @llvm.fabs.f32(float %fneg)
; CHECK-NEXT:    %copysign = call float @llvm.copysign.f32(float %fabs, float %y)
; CHECK-NEXT:    %minnum = call float @llvm.minnum.f32(float %copysign, float %y)
; CHECK-NEXT:    %cmp = fcmp olt float %minnum, %y
; CHECK-NEXT:    %sel = select i1 %cmp, float %x, float %y
; CHECK-NEXT:    %ext = fpext float %sel to double
; CHECK-NEXT:    store double %ext, ptr %p
; CHECK-NEXT:    %ld = load float, ptr %p
; CHECK-NEXT:    %rem = frem float %ld, %y
; CHECK-NEXT:    %exp = call float @expf(float %rem)
; CHECK-NEXT:    %vneg = fneg <8 x float> %v
; CHECK-NEXT:    %vcmp = fcmp une <8 x float> %vneg, %v
; CHECK-NEXT:    %vext = fpext <4 x float> %w to <4 x double>
; CHECK-NEXT:    %h = fadd half %hx, %hx
; CHECK-NEXT:    %hv = fmul <8 x half> %hvx, %hvx
; CHECK-NEXT:    %bf = fadd bfloat %bx, %bx
; CHECK-NEXT:    %ld80 = fadd x86_fp80 %lx, %lx
; CHECK-NEXT:    %q = fdiv fp128 %qx, %qx
; CHECK-NEXT:    %tr.half = fptrunc double %ext to half
; CHECK-NEXT:    %tr.hf = fptrunc float %x to half
; CHECK-NEXT:    %hsqrt = call half @llvm.sqrt.f16(half %h)
; CHECK-NEXT:    %hfma = call half @llvm.fma.f16(half %h, half %h, half %h)
; CHECK-NEXT:    %sv = fadd <vscale x 4 x float> %svx, %svx
; CHECK-NEXT:    %hred = call half @llvm.vector.reduce.fadd.v8f16(half %h, <8 x half> %hv)
; The one instrumented operation of the function.
; CHECK-NEXT:    %r = call float @__prism_f32_add(float %exp, float %ld)
; CHECK-NEXT:    ret float %r
define float @mixed(float %x, float %y, ptr %p, <8 x float> %v, <4 x float> %w,
                    half %hx, <8 x half> %hvx, bfloat %bx, x86_fp80 %lx,
                    fp128 %qx, <vscale x 4 x float> %svx) {
  %fneg = fneg float %x
  %fabs = call float @llvm.fabs.f32(float %fneg)
  %copysign = call float @llvm.copysign.f32(float %fabs, float %y)
  %minnum = call float @llvm.minnum.f32(float %copysign, float %y)
  %cmp = fcmp olt float %minnum, %y
  %sel = select i1 %cmp, float %x, float %y
  %ext = fpext float %sel to double
  store double %ext, ptr %p
  %ld = load float, ptr %p
  %rem = frem float %ld, %y
  %exp = call float @expf(float %rem)
  %vneg = fneg <8 x float> %v
  %vcmp = fcmp une <8 x float> %vneg, %v
  %vext = fpext <4 x float> %w to <4 x double>
  %h = fadd half %hx, %hx
  %hv = fmul <8 x half> %hvx, %hvx
  %bf = fadd bfloat %bx, %bx
  %ld80 = fadd x86_fp80 %lx, %lx
  %q = fdiv fp128 %qx, %qx
  %tr.half = fptrunc double %ext to half
  %tr.hf = fptrunc float %x to half
  %hsqrt = call half @llvm.sqrt.f16(half %h)
  %hfma = call half @llvm.fma.f16(half %h, half %h, half %h)
  %sv = fadd <vscale x 4 x float> %svx, %svx
  %hred = call half @llvm.vector.reduce.fadd.v8f16(half %h, <8 x half> %hv)
  %r = fadd float %exp, %ld
  ret float %r
}

; A function whose only FP work is exact or on other types is not touched: no
; dispatch, no clone.
; CHECK-LABEL: define double @exact_only(
; CHECK-NEXT:    %n = fneg double %x
; CHECK-NEXT:    %a = call double @llvm.fabs.f64(double %n)
; CHECK-NEXT:    %h = fadd half %hx, %hx
; CHECK-NEXT:    ret double %a
define double @exact_only(double %x, half %hx) {
  %n = fneg double %x
  %a = call double @llvm.fabs.f64(double %n)
  %h = fadd half %hx, %hx
  ret double %a
}

; CHECK-NOT: @exact_only.prism_native
; CHECK:     define internal float @mixed.prism_native(
; CHECK-NOT: @exact_only.prism_native

declare float @expf(float)
declare float @llvm.fabs.f32(float)
declare double @llvm.fabs.f64(double)
declare float @llvm.copysign.f32(float, float)
declare float @llvm.minnum.f32(float, float)
declare half @llvm.sqrt.f16(half)
declare half @llvm.fma.f16(half, half, half)
declare half @llvm.vector.reduce.fadd.v8f16(half, <8 x half>)
