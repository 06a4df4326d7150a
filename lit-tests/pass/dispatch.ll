; Each instrumented function gets an uninstrumented internal clone
; F.prism_native and an inline sr/ud clone F.prism_fast, and a new entry block
; that switches on __prism_mode (one relaxed atomic load): 1 (ieee) tail-calls
; the native clone, 2 (sr/ud inline) the fast clone, 3 (ud inline) the ud
; clone if there is one (pass/ud-clone.ll), else the fast clone, anything else
; runs the runtime-call body.
; RUN: %opt-prism %s | FileCheck %s --enable-var-scope

%struct.Big = type { [8 x double] }

; CHECK: @__prism_mode = external global i8

; CHECK-LABEL: define float @scalar(float %x, float %y)
; CHECK-NEXT:  prism.dispatch:
; CHECK-NEXT:    %prism.mode = load atomic i8, ptr @__prism_mode monotonic, align 1
; CHECK-NEXT:    switch i8 %prism.mode, label %[[BODY:.*]] [
; CHECK-NEXT:      i8 1, label %prism.native
; CHECK-NEXT:      i8 2, label %prism.fast
; CHECK-NEXT:      i8 3, label %prism.fast
; CHECK-NEXT:    ]
; CHECK-EMPTY:
; CHECK-NEXT:  prism.native:
; CHECK-NEXT:    [[R:%.*]] = tail call float @scalar.prism_native(float %x, float %y)
; CHECK-NEXT:    ret float [[R]]
; CHECK-EMPTY:
; CHECK-NEXT:  prism.fast:
; CHECK-NEXT:    [[F:%.*]] = tail call float @scalar.prism_fast(float %x, float %y)
; CHECK-NEXT:    ret float [[F]]
; CHECK-EMPTY:
; CHECK-NEXT:  [[BODY]]:
; CHECK-NEXT:    %r = call float @__prism_f32_add(float %x, float %y)
; CHECK-NEXT:    ret float %r
define float @scalar(float %x, float %y) {
  %r = fadd float %x, %y
  ret float %r
}

; CHECK-LABEL: define void @void_ret(ptr %p, float %x)
; CHECK:       prism.native:
; CHECK-NEXT:    tail call void @void_ret.prism_native(ptr %p, float %x)
; CHECK-NEXT:    ret void
; CHECK:         call float @__prism_f32_mul(float %x, float %x)
define void @void_ret(ptr %p, float %x) {
  %y = fmul float %x, %x
  store float %y, ptr %p
  ret void
}

; The calling convention is kept on the tail call (a tail call needs it).
; CHECK-LABEL: define fastcc double @callconv(double %x)
; CHECK:         tail call fastcc double @callconv.prism_native(double %x)
define fastcc double @callconv(double %x) {
  %y = fdiv double 1.0, %x
  ret double %y
}

; ABI attributes (sret, byval) are forwarded unchanged.
; CHECK-LABEL: define void @abi_attrs(
; CHECK:         tail call void @abi_attrs.prism_native(ptr sret(%struct.Big) align 8 %out, ptr byval(%struct.Big) align 8 %in)
; CHECK-NEXT:    ret void
define void @abi_attrs(ptr sret(%struct.Big) align 8 %out, ptr byval(%struct.Big) align 8 %in) {
  %a = load double, ptr %in
  %b = fadd double %a, 1.0
  store double %b, ptr %out
  ret void
}

; Linkage, visibility and comdat of the original are kept; the clone is
; internal.
; CHECK-LABEL: define linkonce_odr hidden float @odr(float %x) {{.*}}comdat
; CHECK:         tail call float @odr.prism_native(float %x)
$odr = comdat any
define linkonce_odr hidden float @odr(float %x) comdat {
  %y = fsub float %x, 1.0
  ret float %y
}

; Static allocas move to the new entry block (they stay static: one stack
; frame, no stack adjustment), dynamic ones stay where they were.
; CHECK-LABEL: define float @allocas(float %x, i64 %n)
; CHECK-NEXT:  prism.dispatch:
; CHECK-NEXT:    %a = alloca float
; CHECK-NEXT:    %prism.mode = load atomic
; CHECK:       prism.native:
; CHECK:         %dyn = alloca float, i64 %n
; CHECK:         call float @__prism_f32_add(float %v, float %v)
define float @allocas(float %x, i64 %n) {
  %a = alloca float
  %dyn = alloca float, i64 %n
  store float %x, ptr %a
  %v = load float, ptr %a
  %y = fadd float %v, %v
  ret float %y
}

; The clones: internal, same signature, original FP instructions.
; CHECK-LABEL: define internal float @scalar.prism_native(float %x, float %y)
; CHECK-NEXT:    %r = fadd float %x, %y
; CHECK-NEXT:    ret float %r
; CHECK-LABEL: define internal void @void_ret.prism_native(ptr %p, float %x)
; CHECK-NEXT:    %y = fmul float %x, %x
; CHECK-LABEL: define internal fastcc double @callconv.prism_native(double %x)
; CHECK-NEXT:    %y = fdiv double 1.000000e+00, %x
; CHECK-LABEL: define internal void @abi_attrs.prism_native(ptr sret(%struct.Big) align 8 %out, ptr byval(%struct.Big) align 8 %in)
; CHECK:         %b = fadd double %a, 1.000000e+00
; CHECK-LABEL: define internal float @odr.prism_native(float %x)
; CHECK-NEXT:    %y = fsub float %x, 1.000000e+00
; CHECK-LABEL: define internal float @allocas.prism_native(float %x, i64 %n)
; CHECK-NEXT:    %a = alloca float
; CHECK-NEXT:    %dyn = alloca float, i64 %n
; CHECK-NOT:   call {{.*}}@__prism_
; CHECK:         %y = fadd float %v, %v
; CHECK-NEXT:    ret float %y
