! kernels.f90 - Fortran kernels built into a shared library (with flang-new-19
! or prism-fc) and called from C through the usual name_ convention, as a C
! program calls a Fortran BLAS.
subroutine fdot(n, x, y, r)
  integer, intent(in) :: n
  real(8), intent(in) :: x(n), y(n)
  real(8), intent(out) :: r
  integer :: i
  r = 0
  do i = 1, n
    r = r + x(i) * y(i)
  end do
end subroutine

subroutine fscal(n, a, x)
  integer, intent(in) :: n
  real(4), intent(in) :: a
  real(4), intent(inout) :: x(n)
  integer :: i
  do i = 1, n
    x(i) = sqrt(a * x(i) + 1.0) / 3.0
  end do
end subroutine
