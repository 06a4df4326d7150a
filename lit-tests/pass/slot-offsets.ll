; Within a call-free stretch the thresholds of successive operations load
; from one zero-extended cursor plus constant offsets, and the cursor moves
; as root + k: each operation splits its block (the cold branch), where the
; code generator would keep an add and a zero-extension per operation.
; RUN: %opt-prism -prism-ud-clone=0 %s | FileCheck %s

; CHECK-LABEL: define internal <8 x double> @two.prism_fast(
; CHECK:         [[C:%.*]] = phi i32
; CHECK:         [[I:%.*]] = zext i32 [[C]] to i64
; CHECK-NEXT:    [[P:%.*]] = getelementptr inbounds double, ptr {{%.*}}, i64 [[I]]
; CHECK-NEXT:    %prism.u = load <8 x double>, ptr [[P]]
; CHECK-NEXT:    add nuw i32 [[C]], 8
; The second operation: zext(cursor) + 8, and the cursor at root + 16.
; CHECK:         [[Z:%.*]] = zext i32 [[C]] to i64
; CHECK-NEXT:    [[I2:%.*]] = add nuw i64 [[Z]], 8
; CHECK-NEXT:    [[P2:%.*]] = getelementptr inbounds double, ptr {{%.*}}, i64 [[I2]]
; CHECK-NEXT:    %prism.u{{[0-9]+}} = load <8 x double>, ptr [[P2]]
; CHECK-NEXT:    add nuw i32 [[C]], 16

target triple = "x86_64-unknown-linux-gnu"

define <8 x double> @two(<8 x double> %a, <8 x double> %b) #0 {
  %s = fadd <8 x double> %a, %b
  %t = fmul <8 x double> %s, %b
  ret <8 x double> %t
}

attributes #0 = { "target-features"="+fma,+avx2,+avx512f,+avx512dq,+avx512vl" }
