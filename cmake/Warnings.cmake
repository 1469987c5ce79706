add_library(migcheck_warnings INTERFACE)
target_compile_options(migcheck_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough)
if(MIGCHECK_WERROR)
  target_compile_options(migcheck_warnings INTERFACE -Werror)
endif()
