; Regression: the native dispatch used `musttail`, which x86 cannot lower when
; arguments are passed in memory (<32 x float> by value): llc aborted with
; "failed to perform tail call elimination on a call site marked musttail".
; The dispatch is now a plain tail call.
; RUN: %opt-prism %s | FileCheck %s
; RUN: %opt-prism %s | %llc -O0 -o /dev/null
; RUN: %opt-prism %s | %llc -O2 -mattr=+avx2 -o /dev/null

; CHECK-LABEL: define <32 x float> @k(<32 x float> %a, <32 x float> %b)
; CHECK:         tail call <32 x float> @k.prism_native(<32 x float> %a, <32 x float> %b)
; CHECK:         call void @__prism_v_f32_mul(ptr {{.*}}, i64 32)
define <32 x float> @k(<32 x float> %a, <32 x float> %b) {
  %r = fmul <32 x float> %a, %b
  ret <32 x float> %r
}
