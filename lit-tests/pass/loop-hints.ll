; Vectorizer hints before vectorization (passes/LoopHints.cpp): a loop with
; floating-point arithmetic gets interleave count 2; a loop whose body is a
; chain of 8 or more dependent operations gets 4 and a folded tail; a loop
; without floating-point arithmetic, with its own hints or with reassociable
; arithmetic is left alone.
; RUN: %opt-plugin -S -passes=prism-loop-hints %s | FileCheck %s
; RUN: %opt-plugin -S -passes=prism-loop-hints -prism-interleave=1 %s | FileCheck %s --check-prefix=ONE
; RUN: %opt-plugin -S -passes=prism-loop-hints -prism-loop-hints=false %s | FileCheck %s --check-prefix=OFF

; OFF-NOT: !"llvm.loop.interleave.count", i32 2
; OFF-NOT: predicate.enable

; CHECK-LABEL: define void @axpy(
; CHECK:         br i1 {{.*}}, !llvm.loop [[AXPY:![0-9]+]]
; ONE-LABEL: define void @axpy(
; ONE:         br i1 {{.*}}, !llvm.loop [[AXPY1:![0-9]+]]
define void @axpy(ptr %x, ptr %y, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %px = getelementptr double, ptr %x, i64 %i
  %py = getelementptr double, ptr %y, i64 %i
  %a = load double, ptr %px
  %b = load double, ptr %py
  %r = call double @llvm.fmuladd.f64(double %a, double 2.5, double %b)
  store double %r, ptr %py
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret void
}

; Horner, degree 8: a chain of 8 fmuladds per iteration.
; CHECK-LABEL: define void @horner(
; CHECK:         br i1 {{.*}}, !llvm.loop [[HORNER:![0-9]+]]
define void @horner(ptr %x, ptr %y, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %px = getelementptr double, ptr %x, i64 %i
  %v = load double, ptr %px
  %r1 = call double @llvm.fmuladd.f64(double %v, double 0.1, double 1.0)
  %r2 = call double @llvm.fmuladd.f64(double %r1, double %v, double 2.0)
  %r3 = call double @llvm.fmuladd.f64(double %r2, double %v, double 3.0)
  %r4 = call double @llvm.fmuladd.f64(double %r3, double %v, double 4.0)
  %r5 = call double @llvm.fmuladd.f64(double %r4, double %v, double 5.0)
  %r6 = call double @llvm.fmuladd.f64(double %r5, double %v, double 6.0)
  %r7 = call double @llvm.fmuladd.f64(double %r6, double %v, double 7.0)
  %r8 = call double @llvm.fmuladd.f64(double %r7, double %v, double 8.0)
  %py = getelementptr double, ptr %y, i64 %i
  store double %r8, ptr %py
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret void
}

; Seven: not a long chain.
; CHECK-LABEL: define void @short_chain(
; CHECK:         br i1 {{.*}}, !llvm.loop [[SHORT:![0-9]+]]
define void @short_chain(ptr %x, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %px = getelementptr double, ptr %x, i64 %i
  %v = load double, ptr %px
  %r1 = fadd double %v, 1.0
  %r2 = fmul double %r1, %v
  %r3 = fsub double %r2, 3.0
  %r4 = fdiv double %r3, %v
  %r5 = fadd double %r4, %r1
  %r6 = fmul double %r5, %r5
  %r7 = call double @llvm.sqrt.f64(double %r6)
  store double %r7, ptr %px
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret void
}

; CHECK-LABEL: define void @copy(
; CHECK-NOT:     !llvm.loop
; CHECK:         ret void
define void @copy(ptr %x, ptr %y, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %px = getelementptr double, ptr %x, i64 %i
  %py = getelementptr double, ptr %y, i64 %i
  %a = load double, ptr %px
  store double %a, ptr %py
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret void
}

; A pragma's interleave count stays.
; CHECK-LABEL: define void @pragma(
; CHECK:         br i1 {{.*}}, !llvm.loop [[PRAGMA:![0-9]+]]
define void @pragma(ptr %x, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %px = getelementptr double, ptr %x, i64 %i
  %a = load double, ptr %px
  %r = fadd double %a, 1.0
  store double %r, ptr %px
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit, !llvm.loop !0
exit:
  ret void
}

; -ffast-math: the interleave count would pick the reduction's order.
; CHECK-LABEL: define double @fast_sum(
; CHECK-NOT:     !llvm.loop
; CHECK:         ret double
define double @fast_sum(ptr %x, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %s = phi double [ 0.0, %entry ], [ %s1, %loop ]
  %px = getelementptr double, ptr %x, i64 %i
  %a = load double, ptr %px
  %s1 = fadd reassoc double %s, %a
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret double %s1
}

declare double @llvm.fmuladd.f64(double, double, double)
declare double @llvm.sqrt.f64(double)

!0 = distinct !{!0, !1}
!1 = !{!"llvm.loop.interleave.count", i32 8}

; CHECK-DAG: [[AXPY]] = distinct !{[[AXPY]], [[IC2:![0-9]+]]}
; CHECK-DAG: [[IC2]] = !{!"llvm.loop.interleave.count", i32 2}
; CHECK-DAG: [[HORNER]] = distinct !{[[HORNER]], [[IC4:![0-9]+]], [[PRED:![0-9]+]]}
; CHECK-DAG: [[IC4]] = !{!"llvm.loop.interleave.count", i32 4}
; CHECK-DAG: [[PRED]] = !{!"llvm.loop.vectorize.predicate.enable", i1 true}
; CHECK-DAG: [[SHORT]] = distinct !{[[SHORT]], [[IC2]]}
; CHECK-DAG: [[PRAGMA]] = distinct !{[[PRAGMA]], [[IC8:![0-9]+]]}
; CHECK-DAG: [[IC8]] = !{!"llvm.loop.interleave.count", i32 8}
; ONE-DAG: [[AXPY1]] = distinct !{[[AXPY1]], [[IC1:![0-9]+]]}
; ONE-DAG: [[IC1]] = !{!"llvm.loop.interleave.count", i32 1}
