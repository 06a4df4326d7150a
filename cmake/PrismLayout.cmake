# PrismLayout.cmake - the build tree mirrors the install tree (bin/, lib/,
# lib/prism/, include/), so the wrappers work from either without changes.
set(PRISM_BIN_DIR ${PROJECT_BINARY_DIR}/bin)
set(PRISM_LIB_DIR ${PROJECT_BINARY_DIR}/lib)
set(PRISM_PKGLIB_DIR ${PROJECT_BINARY_DIR}/lib/prism)
set(PRISM_INCLUDE_DIR ${PROJECT_BINARY_DIR}/include)

# Installed: P/lib (libprism.so), P/lib/prism (backends, pass plugin).
set(PRISM_INSTALL_LIBDIR lib)
set(PRISM_INSTALL_PKGLIBDIR lib/prism)

# Code of the runtime and backends is never instrumented and must compute
# exactly what it says: no FP contraction, no fast-math.
function(prism_runtime_flags target)
  target_compile_options(${target} PRIVATE -ffp-contract=off -fno-fast-math
                                           -Wall -Wextra)
endfunction()

# A backend shared library, built into lib/prism/ and installed beside it.
function(prism_add_backend name)
  add_library(prism-backend-${name} SHARED ${ARGN})
  set_target_properties(prism-backend-${name} PROPERTIES
    OUTPUT_NAME prism-backend-${name}
    LIBRARY_OUTPUT_DIRECTORY ${PRISM_PKGLIB_DIR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_include_directories(prism-backend-${name} PRIVATE
    ${PROJECT_SOURCE_DIR} ${PROJECT_SOURCE_DIR}/runtime/include)
  prism_runtime_flags(prism-backend-${name})
  install(TARGETS prism-backend-${name}
          LIBRARY DESTINATION ${PRISM_INSTALL_PKGLIBDIR})
endfunction()
