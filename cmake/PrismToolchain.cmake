# PrismToolchain.cmake - build any CMake project instrumented by prism:
#   cmake -S src -B build -DCMAKE_TOOLCHAIN_FILE=<prism>/cmake/PrismToolchain.cmake
# Finds prism-cc / prism-c++ from PRISM_PREFIX (cache or environment), then
# next to this file in an install (P/share/prism/cmake) or a build tree, then PATH.
set(_prism_hints)
if(DEFINED PRISM_PREFIX)
  list(APPEND _prism_hints ${PRISM_PREFIX}/bin)
elseif(DEFINED ENV{PRISM_PREFIX})
  list(APPEND _prism_hints $ENV{PRISM_PREFIX}/bin)
endif()
list(APPEND _prism_hints ${CMAKE_CURRENT_LIST_DIR}/../../../bin
     ${CMAKE_CURRENT_LIST_DIR}/../build/bin)
find_program(PRISM_CC prism-cc HINTS ${_prism_hints} REQUIRED)
find_program(PRISM_CXX prism-c++ HINTS ${_prism_hints} REQUIRED)
set(CMAKE_C_COMPILER ${PRISM_CC} CACHE FILEPATH "prism C compiler")
set(CMAKE_CXX_COMPILER ${PRISM_CXX} CACHE FILEPATH "prism C++ compiler")
# Keep the choice in try_compile projects too.
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES PRISM_PREFIX)
