; An accumulator's addition (on a recurrence: latency first) orders its
; operands by magnitude for Fast2Sum with AVX-512DQ's vrange (max-abs of
; (x, acc), imm 7; min-abs of (acc, x), imm 6: a tie keeps both operands)
; instead of a compare of the magnitudes and two selects
; (passes/FastClone.cpp, rangeMinMax). -prism-fast-range=0 and targets
; without AVX-512DQ keep the compare.
; RUN: %opt-prism -prism-ud-clone=0 %s | FileCheck %s
; RUN: %opt-prism -prism-ud-clone=0 -prism-fast-range=0 %s | FileCheck %s --check-prefix=OFF

target triple = "x86_64-unknown-linux-gnu"

define <16 x float> @acc16(ptr %p, i64 %n) #0 {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi <16 x float> [ zeroinitializer, %entry ], [ %a1, %loop ]
  %q = getelementptr <16 x float>, ptr %p, i64 %i
  %v = load <16 x float>, ptr %q
  %a1 = fadd <16 x float> %acc, %v
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret <16 x float> %a1
}

define <4 x double> @acc4_nodq(ptr %p, i64 %n) #1 {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i1, %loop ]
  %acc = phi <4 x double> [ zeroinitializer, %entry ], [ %a1, %loop ]
  %q = getelementptr <4 x double>, ptr %p, i64 %i
  %v = load <4 x double>, ptr %q
  %a1 = fadd <4 x double> %acc, %v
  %i1 = add i64 %i, 1
  %c = icmp ult i64 %i1, %n
  br i1 %c, label %loop, label %exit
exit:
  ret <4 x double> %a1
}

attributes #0 = { "target-features"="+fma,+avx2,+avx512f,+avx512dq,+avx512vl" }
attributes #1 = { "target-features"="+fma,+avx2" }

; CHECK-LABEL: define internal <16 x float> @acc16.prism_fast(
; CHECK:         [[S:%.*]] = fadd <16 x float> %acc, %v
; CHECK-NEXT:    [[BIG:%.*]] = call <16 x float> @llvm.x86.avx512.mask.range.ps.512(<16 x float> %v, <16 x float> %acc, i32 7, <16 x float> poison, i16 -1, i32 4)
; CHECK-NEXT:    [[SMALL:%.*]] = call <16 x float> @llvm.x86.avx512.mask.range.ps.512(<16 x float> %acc, <16 x float> %v, i32 6, <16 x float> poison, i16 -1, i32 4)
; CHECK-NEXT:    [[T:%.*]] = fsub <16 x float> [[S]], [[BIG]]
; CHECK-NEXT:    fsub <16 x float> [[SMALL]], [[T]]
; CHECK-LABEL: define internal <4 x double> @acc4_nodq.prism_fast(
; CHECK-NOT:     @llvm.x86.avx512.mask.range
; CHECK:         icmp sge <4 x i64>

; OFF-LABEL: define internal <16 x float> @acc16.prism_fast(
; OFF-NOT:     @llvm.x86.avx512.mask.range
; OFF:         icmp sge <16 x i32>
