! prism-fc's own flags: --prism-report (the pass's -mllvm option reaches flang
! because the wrapper loads the plugin with -Xflang -load), scope lists on the
! linker names of Fortran procedures, --prism-no-instrument, and link-only
! calls that add the runtime with an rpath.
!
! REQUIRES: flang
! RUN: %prism-fc -O2 --prism-report -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=REPORT
! REPORT-DAG: prism-report: {{.*}}twice_: [fmul double]=1
! REPORT-DAG: prism-report: {{.*}}third_: [fdiv float]=1
!
! RUN: echo '* third_' > %t.scope
! RUN: %prism-fc -O2 --prism-report --prism-exclude=%t.scope -c %s -o %t.o 2>&1 \
! RUN:   | FileCheck %s --check-prefix=EXCL
! EXCL: twice_
! EXCL-NOT: third_
!
! RUN: %prism-fc -O2 --prism-no-instrument -S -emit-llvm %s -o - | FileCheck %s --check-prefix=NOINST
! NOINST-NOT: __prism
!
! RUN: %prism-fc -O2 -c %s -o %t.o
! RUN: %prism-fc --prism-show-cmd %t.o -o %t.exe 2>&1 | FileCheck %s --check-prefix=LINK
! LINK: flang-new{{.*}} -fpass-plugin={{.*}}PrismPass.so {{.*}}-rpath{{.*}} -lprism
! RUN: %prism-fc --prism-show-cmd -c %s -o %t.o 2>&1 | FileCheck %s --check-prefix=COMPILE
! COMPILE-NOT: -lprism
!
! RUN: not %prism-fc --prism-bogus -c %s 2>&1 | FileCheck %s --check-prefix=BAD
! BAD: prism-fc: unknown option '--prism-bogus'

function twice(x) result(y)
  real(8), intent(in) :: x
  real(8) :: y
  y = 2.5d0 * x
end function

function third(x) result(y)
  real(4), intent(in) :: x
  real(4) :: y
  y = x / 3.0
end function

program main
  real(8), external :: twice
  print *, twice(1.0d0)
end program
