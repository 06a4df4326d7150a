; A module with instrumented code gets a constructor calling __prism_init,
; appended to the existing llvm.global_ctors with priority 1 (before the
; program's own constructors). An existing declaration of __prism_mode is
; reused.
; RUN: %opt-prism %s | FileCheck %s

@__prism_mode = external global i8
@llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_ctor, ptr null }]

; CHECK:     @__prism_mode = external global i8
; CHECK-NOT: @__prism_mode{{[.0-9]+}} =
; CHECK:     @llvm.global_ctors = appending global [2 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 65535, ptr @user_ctor, ptr null }, { i32, ptr, ptr } { i32 1, ptr @prism.module_ctor, ptr null }]

; CHECK-LABEL: define void @user_ctor()
; CHECK-NOT:   prism.dispatch
; CHECK:       ret void
define void @user_ctor() {
  ret void
}

; CHECK-LABEL: define double @f(double %x)
; CHECK:         load atomic i8, ptr @__prism_mode monotonic
define double @f(double %x) {
  %r = call double @llvm.sqrt.f64(double %x)
  ret double %r
}
declare double @llvm.sqrt.f64(double)

; CHECK:       declare void @__prism_init()
; CHECK-LABEL: define internal void @prism.module_ctor()
; CHECK-NEXT:    call void @__prism_init()
; CHECK-NEXT:    ret void
; Exactly one constructor.
; CHECK-NOT:   @prism.module_ctor
