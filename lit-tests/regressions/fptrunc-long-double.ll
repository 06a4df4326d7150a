; Regression (pass crash, null dereference). fixed in the pass.
;
; classify() accepts an fptrunc whose result is float or double, then calls
; instrumentedElt(source type)->isDoubleTy(); for an x86_fp80 or fp128 source
; instrumentedElt() returns null and the pass segfaults. Any C code converting a
; long double to double or float crashes prism-cc:
;   double f(long double x) { return x; }
; Expected: only double -> float is instrumented; these casts are left as they
; are.
; RUN: %opt-prism %s | FileCheck %s

; CHECK-LABEL: define double @ld_to_double(
; CHECK:         %r = fptrunc x86_fp80 %x to double
define double @ld_to_double(x86_fp80 %x) {
  %r = fptrunc x86_fp80 %x to double
  ret double %r
}

; CHECK-LABEL: define float @quad_to_float(
; CHECK:         %r = fptrunc fp128 %x to float
define float @quad_to_float(fp128 %x) {
  %r = fptrunc fp128 %x to float
  ret float %r
}

; CHECK-LABEL: define <2 x float> @ld_vector(
; CHECK:         %r = fptrunc <2 x x86_fp80> %x to <2 x float>
define <2 x float> @ld_vector(<2 x x86_fp80> %x) {
  %r = fptrunc <2 x x86_fp80> %x to <2 x float>
  ret <2 x float> %r
}
