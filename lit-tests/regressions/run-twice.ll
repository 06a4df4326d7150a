; Regression (not idempotent). fixed in the pass.
;
; Running the pass a second time on its own output (a second instance in the
; pipeline, or clang's pre-link pass plus an LTO back end that also loads the
; plugin) instruments the F.prism_native clones, which are meant to stay native,
; gives them clones of their own (F.prism_native.prism_native), and adds a
; second module constructor. Functions named *.prism_native (and modules that
; already have prism.module_ctor) should be skipped.
; RUN: %opt-plugin -passes=prism -S %s -o %t.once.ll
; RUN: %opt-plugin -passes=prism,prism -S %s -o %t.twice.ll
; RUN: diff %t.once.ll %t.twice.ll

define float @f(float %a, float %b) {
  %r = fadd float %a, %b
  ret float %r
}
