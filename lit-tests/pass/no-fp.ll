; A module without instrumentable FP operations comes out of the pass exactly
; as it went in: no clone, no constructor, no __prism_mode.
; RUN: opt -S %s -o %t.ref.ll
; RUN: %opt-prism %s -o %t.prism.ll
; RUN: diff %t.ref.ll %t.prism.ll
; RUN: FileCheck %s --implicit-check-not=prism < %t.prism.ll
; RUN: %opt-prism -prism-report -disable-output %s 2>&1 | count 0

; CHECK-LABEL: define i32 @integers(
define i32 @integers(i32 %a, i32 %b) {
  %s = add i32 %a, %b
  %m = mul i32 %s, %b
  %d = sdiv i32 %m, 3
  ret i32 %d
}

; CHECK-LABEL: define void @copy_floats(
define void @copy_floats(ptr %dst, ptr %src, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %ps = getelementptr float, ptr %src, i64 %i
  %pd = getelementptr float, ptr %dst, i64 %i
  %x = load float, ptr %ps
  %neg = fneg float %x
  store float %neg, ptr %pd
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

; CHECK-LABEL: define i1 @compare(
define i1 @compare(double %a, double %b) {
  %c = fcmp ogt double %a, %b
  ret i1 %c
}

; CHECK-LABEL: define half @halves(
define half @halves(half %a, half %b) {
  %s = fadd half %a, %b
  ret half %s
}

; Declarations stay declarations.
; CHECK-LABEL: declare float @ext(float)
declare float @ext(float)
