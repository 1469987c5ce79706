add_library(migcheck_warnings INTERFACE)
target_compile_options(migcheck_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
# g++ 12 reports -Wrestrict inside libstdc++'s std::string concatenation
# (GCC bug 105329) where no overlap is possible.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(migcheck_warnings INTERFACE -Wno-restrict)
endif()
if(MIGCHECK_WERROR)
  target_compile_options(migcheck_warnings INTERFACE -Werror)
endif()
