# Every external dependency is found here, once, pinned where an unpinned search finds the wrong one
# (see ../shared/BUILD-NOTES.md: LLVM's version file wants major.minor, an unpinned Clang search picks
# up the image's broken clang-14 package).
find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(nlohmann_json 3.11 REQUIRED)

# Debian's OpenMP build of OpenBLAS, so BLAS and our kernels share one thread pool. The config file
# names the exact library; the generic libblas.so alternative could point at the pthread build.
find_package(OpenBLAS CONFIG REQUIRED PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/cmake/openblas)
if(NOT OpenBLAS_LIBRARIES MATCHES "openmp")
  message(FATAL_ERROR "OpenBLAS at ${OpenBLAS_LIBRARIES} is not the OpenMP build; install libopenblas-openmp-dev")
endif()
add_library(tracelint_blas INTERFACE)
target_include_directories(tracelint_blas SYSTEM INTERFACE ${OpenBLAS_INCLUDE_DIRS})
target_link_libraries(tracelint_blas INTERFACE ${OpenBLAS_LIBRARIES})

# LLVM 19: required by the analyzer; the runtime's symbolizer plugin uses it when it is there.
set(TRACELINT_LLVM_ROOT /usr/lib/llvm-19 CACHE PATH "Prefix of LLVM/Clang 19")
if(TRACELINT_BUILD_ANALYZER)
  find_package(LLVM CONFIG REQUIRED PATHS ${TRACELINT_LLVM_ROOT}/lib/cmake/llvm NO_DEFAULT_PATH)
else()
  find_package(LLVM CONFIG QUIET PATHS ${TRACELINT_LLVM_ROOT}/lib/cmake/llvm NO_DEFAULT_PATH)
endif()
if(LLVM_FOUND AND NOT LLVM_VERSION_MAJOR EQUAL 19)
  message(FATAL_ERROR "tracelint needs LLVM 19, found ${LLVM_PACKAGE_VERSION} in ${LLVM_DIR}")
endif()
if(TRACELINT_BUILD_ANALYZER)
  find_package(Clang CONFIG REQUIRED PATHS ${LLVM_INSTALL_PREFIX}/lib/cmake/clang NO_DEFAULT_PATH)
  # The builtin-header directory of the Clang we link against; the analyzer falls back to it when
  # the resource dir cannot be found next to its own binary.
  execute_process(COMMAND ${LLVM_TOOLS_BINARY_DIR}/clang -print-resource-dir
                  OUTPUT_VARIABLE TRACELINT_CLANG_RESOURCE_DIR OUTPUT_STRIP_TRAILING_WHITESPACE
                  RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT EXISTS "${TRACELINT_CLANG_RESOURCE_DIR}/include/stddef.h")
    set(TRACELINT_CLANG_RESOURCE_DIR ${LLVM_LIBRARY_DIR}/clang/${LLVM_VERSION_MAJOR})
  endif()
  message(STATUS "tracelint: LLVM ${LLVM_PACKAGE_VERSION}, resource dir ${TRACELINT_CLANG_RESOURCE_DIR}")
  add_library(tracelint_clang INTERFACE)
  target_include_directories(tracelint_clang SYSTEM INTERFACE ${LLVM_INCLUDE_DIRS} ${CLANG_INCLUDE_DIRS})
  target_compile_definitions(tracelint_clang INTERFACE ${LLVM_DEFINITIONS})
  target_link_libraries(tracelint_clang INTERFACE clang-cpp LLVM)
  find_program(TRACELINT_FILECHECK FileCheck PATHS ${LLVM_TOOLS_BINARY_DIR} NO_DEFAULT_PATH)
endif()

if(TRACELINT_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(TRACELINT_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()
find_package(Python3 COMPONENTS Interpreter)
