; Regression (report labels). fixed in the pass.
;
; The report names fadd/fsub/fmul/fdiv "add", "sub", "mul", "div" (the runtime
; entry names, Report::add(F, opName(K), ...)) but names the two halves of an
; unfused llvm.fmuladd "fmul" and "fadd", and fptrunc "fptrunc". The same
; multiplication is then counted under two keys in one function, e.g. for
; x*y + z*w at -O0 without FMA: [fadd double]=1 [fmul double]=1 [mul double]=1.
; Expected (the documented format, "[fadd float x8]=2 [fmuladd double]=1"): IR
; opcode names throughout.
; RUN: %opt-prism -prism-report -disable-output %s 2>&1 | FileCheck %s --match-full-lines

; CHECK: prism-report: {{.*}}: dot: [fmul double]=1 [fmuladd(mul+add) double]=1
; CHECK: prism-report: {{.*}}: ops: [fadd float x8]=1 [fdiv float]=1 [fmul double x2]=1 [fsub float]=1

define double @dot(double %x, double %y, double %z, double %w) {
  %p = fmul double %z, %w
  %r = call double @llvm.fmuladd.f64(double %x, double %y, double %p)
  ret double %r
}

; (fneg first: see entry-block-first-op.ll.)
define float @ops(float %a0, float %b, <8 x float> %v, <2 x double> %d) {
  %a = fneg float %a0
  %s = fsub float %a, %b
  %q = fdiv float %s, %b
  %vv = fadd <8 x float> %v, %v
  %dd = fmul <2 x double> %d, %d
  ret float %q
}

declare double @llvm.fmuladd.f64(double, double, double)
