; Regression (miscompile of scalable vectors). fixed in the pass.
;
; expandReductions() collects reductions whose result is float/double without
; checking the vector is fixed-width, then does cast<FixedVectorType>: on a
; <vscale x 4 x float> (SVE, RVV) that is undefined; in a release build it
; expands the reduction as if the vector had exactly 4 lanes and silently drops
; the other (vscale-1)*4 lanes. Scalable operations are otherwise left alone.
; Expected: the reduction is kept as is.
; RUN: %opt-prism %s | FileCheck %s

; CHECK-LABEL: define float @sum(
; CHECK-NOT:     extractelement
; CHECK:         call float @llvm.vector.reduce.fadd.nxv4f32(float %s, <vscale x 4 x float> %v)
define float @sum(float %s, <vscale x 4 x float> %v, float %t) {
  %r = call float @llvm.vector.reduce.fadd.nxv4f32(float %s, <vscale x 4 x float> %v)
  %u = fadd float %r, %t
  ret float %u
}
declare float @llvm.vector.reduce.fadd.nxv4f32(float, <vscale x 4 x float>)
