! numerics.f90 - real(4) and real(8) arithmetic for the prism-fc end-to-end
! tests: sums, a dot product, a matrix product loop, sqrt, a Newton iteration
! and double->single conversions. Every line is "name kind hex value": the
! hex image (TRANSFER) makes the comparison bit for bit, the decimal value
! lets the test check that perturbed runs stay close.
module report
  implicit none
contains
  subroutine put8(name, x)
    character(*), intent(in) :: name
    real(8), intent(in) :: x
    write (*, '(a, " 8 ", z16.16, 1x, es25.17e3)') name, transfer(x, 0_8), x
  end subroutine
  subroutine put4(name, x)
    character(*), intent(in) :: name
    real(4), intent(in) :: x
    write (*, '(a, " 4 ", z8.8, 1x, es16.8e3)') name, transfer(x, 0_4), x
  end subroutine
end module

program numerics
  use report
  implicit none
  integer, parameter :: n = 1000, m = 24
  real(8) :: s8, x8(n), y8(n), a(m, m), b(m, m), c(m, m), r, tr
  real(4) :: s4, x4(n), y4(n), nrm4
  integer :: i, j, k

  ! Harmonic sums: one division and one addition per term.
  s8 = 0
  s4 = 0
  do i = 1, n
    s8 = s8 + 1.0d0 / i
    s4 = s4 + 1.0 / i
  end do
  call put8('harmonic8', s8)
  call put4('harmonic4', s4)

  ! Dot products (vectorized at -O2/-O3).
  do i = 1, n
    x8(i) = 1.0d0 / (i + 0.5d0)
    y8(i) = (i - 0.25d0) / 7.0d0
    x4(i) = real(x8(i), 4)
    y4(i) = real(y8(i), 4)
  end do
  s8 = 0
  s4 = 0
  do i = 1, n
    s8 = s8 + x8(i) * y8(i)
    s4 = s4 + x4(i) * y4(i)
  end do
  call put8('dot8', s8)
  call put4('dot4', s4)

  ! Matrix product by loops (the intrinsic MATMUL runs in the uninstrumented
  ! Fortran runtime).
  do j = 1, m
    do i = 1, m
      a(i, j) = 1.0d0 / (i + j - 1)
      b(i, j) = sqrt(real(i * j, 8)) / 3.0d0
    end do
  end do
  c = 0
  do j = 1, m
    do k = 1, m
      do i = 1, m
        c(i, j) = c(i, j) + a(i, k) * b(k, j)
      end do
    end do
  end do
  tr = 0
  do i = 1, m
    tr = tr + c(i, i)
  end do
  call put8('matmul_trace', tr)
  call put8('matmul_c35', c(3, 5))

  ! sqrt and a Newton iteration for sqrt(2).
  call put8('sqrt8', sqrt(s8) * sqrt(tr))
  nrm4 = 0
  do i = 1, 100
    nrm4 = nrm4 + y4(i) * y4(i)
  end do
  call put4('norm4', sqrt(nrm4))
  r = 1
  do i = 1, 6
    r = 0.5d0 * (r + 2.0d0 / r)
  end do
  call put8('newton8', r)
  call put4('narrow4', real(s8 / 3.0d0, 4))
end program
