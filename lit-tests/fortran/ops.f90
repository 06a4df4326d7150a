! prism-fc instruments Fortran through flang-new-19: every real(4)/real(8)
! operation of a procedure (+ - * /, sqrt, real(8)->real(4)), at -O0 (the pass
! runs at the end of the O0 pipeline too) and at -O2. flang marks a*b+c as
! `contract` fmul/fadd rather than fmuladd: two calls.
!
! REQUIRES: flang
! RUN: %prism-fc -O0 -S -emit-llvm %s -o - | FileCheck %s
! RUN: %prism-fc -O2 -S -emit-llvm %s -o - | FileCheck %s
! RUN: %prism-fc -O2 -c %s -o %t.o
! RUN: llvm-nm %t.o | FileCheck %s --check-prefix=NM

! CHECK: @__prism_mode = external global i8
! CHECK: @llvm.global_ctors = {{.*}} @prism.module_ctor

! External procedures keep flang's linker names (ops8_).
! CHECK-LABEL: define void @ops8_(
! CHECK:         call void @ops8_.prism_native(
! CHECK:         call double @__prism_f64_add(double
! CHECK:         call double @__prism_f64_sub(double
! CHECK:         call double @__prism_f64_mul(double
! CHECK:         call double @__prism_f64_div(double
! CHECK:         call double @__prism_f64_sqrt(double
! CHECK:         [[P:%.*]] = call double @__prism_f64_mul(double
! CHECK:         call double @__prism_f64_add({{.*}}double [[P]]{{[,)]}}
subroutine ops8(a, b, c, r)
  real(8), intent(in) :: a, b, c
  real(8), intent(out) :: r(6)
  r(1) = a + b
  r(2) = a - b
  r(3) = a * b
  r(4) = a / b
  r(5) = sqrt(a)
  r(6) = b * c + a
end subroutine

! CHECK-LABEL: define void @ops4_(
! CHECK:         call float @__prism_f32_add(float
! CHECK:         call float @__prism_f32_sub(float
! CHECK:         call float @__prism_f32_mul(float
! CHECK:         call float @__prism_f32_div(float
! CHECK:         call float @__prism_f32_sqrt(float
! CHECK:         [[Q:%.*]] = call float @__prism_f32_mul(float
! CHECK:         call float @__prism_f32_add({{.*}}float [[Q]]{{[,)]}}
subroutine ops4(a, b, c, r)
  real(4), intent(in) :: a, b, c
  real(4), intent(out) :: r(6)
  r(1) = a + b
  r(2) = a - b
  r(3) = a * b
  r(4) = a / b
  r(5) = sqrt(a)
  r(6) = b * c + a
end subroutine

! CHECK-LABEL: define void @narrow_(
! CHECK:         call float @__prism_f64_trunc(double
subroutine narrow(a, r)
  real(8), intent(in) :: a
  real(4), intent(out) :: r
  r = real(a, 4)
end subroutine

! Negation, absolute value and comparisons are exact: not instrumented.
! CHECK-LABEL: define void @exact_(
! CHECK-NOT:     __prism
! CHECK:         ret void
subroutine exact(a, r)
  real(8), intent(in) :: a
  real(8), intent(out) :: r
  r = -abs(a)
  if (a > 1.0d0) r = a
end subroutine

! The clones keep the original operations.
! CHECK-LABEL: define internal void @ops8_.prism_native(
! CHECK:         fadd contract double
! CHECK-LABEL: define internal void @prism.module_ctor()
! CHECK-NEXT:    call void @__prism_init()

! NM: U __prism_f32_add
! NM: U __prism_f64_add
! NM: U __prism_init
! NM: U __prism_mode
