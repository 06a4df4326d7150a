! At -O3 the loop vectorizer runs before the pass: a vectorized Fortran loop
! becomes one vector runtime call per vector instruction, with the lane count
! of the target (4 floats with SSE2, 8 with AVX2); the remainder stays scalar.
! flang marks a*x+y `contract`: with FMA (-march=haswell, given to the pass as
! target-cpu only) the pair is one fma, as the code generator fuses it.
!
! REQUIRES: flang
! RUN: %prism-fc -O3 -S -emit-llvm %s -o - \
! RUN:   | FileCheck %s --check-prefixes=CHECK,SSE -DN=4
! RUN: %prism-fc -O3 -march=haswell -S -emit-llvm %s -o - \
! RUN:   | FileCheck %s --check-prefixes=CHECK,AVX -DN=8

! CHECK-LABEL: define void @axpy_(
! SSE:           call void @__prism_v_f32_mul(ptr {{.*}}, i64 [[N]])
! SSE:           call void @__prism_v_f32_add(ptr {{.*}}, i64 [[N]])
! SSE:           call float @__prism_f32_mul(float
! SSE:           call float @__prism_f32_add(float
! AVX:           call void @__prism_v_f32_fma(ptr {{.*}}, i64 [[N]])
! AVX:           call float @__prism_f32_fma(float
! CHECK-LABEL: define internal void @axpy_.prism_native(
! SSE:           fmul contract <4 x float>
! AVX:           fmul contract <8 x float>
subroutine axpy(n, a, x, y)
  integer, intent(in) :: n
  real(4), intent(in) :: a, x(n)
  real(4), intent(inout) :: y(n)
  integer :: i
  do i = 1, n
    y(i) = a * x(i) + y(i)
  end do
end subroutine
