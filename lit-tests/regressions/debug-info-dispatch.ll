; Regression (invalid IR with -g). fixed in the pass.
;
; addNativeDispatch() creates the tail call to F.prism_native without a
; debug location. The clone has a DISubprogram, so the call is an "inlinable
; function call in a function with debug info" and must have a !dbg: the
; verifier rejects the module ("inlinable function call in a function with debug
; info must have a !dbg location"). opt verifies its output and fails; release
; clang does not verify, and the broken debug info is dropped with a warning
; when the IR is read back (-save-temps, -flto).
; Expected: the call carries a location (e.g. line 0 in F's subprogram).
; RUN: %opt-plugin -passes=prism,verify -S %s | FileCheck %s

; CHECK-LABEL: define float @k(
; CHECK:         tail call float @k.prism_native(float %x){{.*}}, !dbg
define float @k(float %x) !dbg !10 {
  %r = fmul float %x, 2.000000e+00, !dbg !17
  ret float %r, !dbg !18
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!2, !3}

!0 = distinct !DICompileUnit(language: DW_LANG_C11, file: !1, producer: "clang", isOptimized: true, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "k.c", directory: "/tmp")
!2 = !{i32 7, !"Dwarf Version", i32 5}
!3 = !{i32 2, !"Debug Info Version", i32 3}
!10 = distinct !DISubprogram(name: "k", scope: !1, file: !1, line: 1, type: !11, scopeLine: 1, spFlags: DISPFlagDefinition | DISPFlagOptimized, unit: !0)
!11 = !DISubroutineType(types: !12)
!12 = !{!13, !13}
!13 = !DIBasicType(name: "float", size: 32, encoding: DW_ATE_float)
!17 = !DILocation(line: 1, column: 29, scope: !10)
!18 = !DILocation(line: 1, column: 20, scope: !10)
