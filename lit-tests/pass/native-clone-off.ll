; -prism-native-clone=false: the function is instrumented in place, without a
; clone or a dispatch on __prism_mode. The module constructor is still added.
; RUN: %opt-prism -prism-native-clone=false %s | FileCheck %s
; RUN: %opt-prism -prism-native-clone=true %s | FileCheck %s --check-prefix=CLONE

; CHECK-NOT: @__prism_mode
; CHECK: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 1, ptr @prism.module_ctor, ptr null }]

; CHECK-LABEL: define <4 x double> @f(<4 x double> %a, <4 x double> %b)
; CHECK-NEXT:    %prism.slot = alloca <4 x double>
; CHECK:         call void @__prism_v_f64_mul(ptr %prism.slot, ptr {{%prism.slot[0-9]+}}, ptr {{%prism.slot[0-9]+}}, i64 4)
; CHECK-NEXT:    %r = load <4 x double>, ptr %prism.slot
; CHECK-NEXT:    ret <4 x double> %r
; CHECK-NOT:   prism_native
; CHECK-NOT:   prism.dispatch
; CHECK:       define internal void @prism.module_ctor()

; CLONE: define internal <4 x double> @f.prism_native(
define <4 x double> @f(<4 x double> %a, <4 x double> %b) {
  %r = fmul <4 x double> %a, %b
  ret <4 x double> %r
}
