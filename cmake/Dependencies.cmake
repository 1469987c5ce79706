# Every dependency comes from a Debian package; a missing one stops configure
# with the package to install.
find_package(PkgConfig QUIET)
if(NOT PkgConfig_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()

# libgit2 ships no CMake package before 1.9, so pkg-config it is.
pkg_check_modules(LIBGIT2 QUIET IMPORTED_TARGET libgit2)
if(NOT LIBGIT2_FOUND)
  message(FATAL_ERROR "libgit2 not found: apt-get install libgit2-dev")
endif()

# The soname of libgit2, for the one place that loads it on first use
# (git/ignore.cpp) instead of at start-up.
find_library(MIGCHECK_LIBGIT2_FILE NAMES git2 HINTS ${LIBGIT2_LIBRARY_DIRS})
find_program(MIGCHECK_READELF NAMES readelf)
set(MIGCHECK_LIBGIT2_SONAME "")
if(MIGCHECK_LIBGIT2_FILE AND MIGCHECK_READELF)
  execute_process(COMMAND ${MIGCHECK_READELF} -d ${MIGCHECK_LIBGIT2_FILE}
                  OUTPUT_VARIABLE readelf_out ERROR_QUIET)
  string(REGEX MATCH "Library soname: \\[([^]]+)\\]" _ "${readelf_out}")
  set(MIGCHECK_LIBGIT2_SONAME "${CMAKE_MATCH_1}")
endif()
if(NOT MIGCHECK_LIBGIT2_SONAME)
  message(FATAL_ERROR "cannot read libgit2's soname from '${MIGCHECK_LIBGIT2_FILE}' with readelf: "
                      "apt-get install libgit2-dev binutils")
endif()

macro(migcheck_require package debian)
  find_package(${package} QUIET ${ARGN})
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR "${package} not found: apt-get install ${debian}")
  endif()
endmacro()

migcheck_require(yaml-cpp libyaml-cpp-dev)

# The tools start in a millisecond or two, and loading shared libraries is a
# good part of that: where Debian ships the static archive, yaml-cpp is linked
# into the tools (libstdc++ too, see Tools.cmake). Sanitizer builds keep the
# shared libraries the sanitizers expect.
option(MIGCHECK_STATIC_RUNTIME "Link libstdc++ and yaml-cpp statically into the tools" ON)
set(MIGCHECK_YAML_TARGET yaml-cpp)
if(MIGCHECK_STATIC_RUNTIME AND NOT MIGCHECK_SANITIZE)
  find_library(MIGCHECK_YAML_STATIC NAMES libyaml-cpp.a)
  if(MIGCHECK_YAML_STATIC)
    add_library(migcheck_yaml_static STATIC IMPORTED)
    set_target_properties(migcheck_yaml_static PROPERTIES
      IMPORTED_LOCATION ${MIGCHECK_YAML_STATIC}
      INTERFACE_INCLUDE_DIRECTORIES "$<TARGET_PROPERTY:yaml-cpp,INTERFACE_INCLUDE_DIRECTORIES>")
    set(MIGCHECK_YAML_TARGET migcheck_yaml_static)
  endif()
endif()
migcheck_require(SQLiteCpp libsqlitecpp-dev)
migcheck_require(nlohmann_json nlohmann-json3-dev)
migcheck_require(CLI11 libcli11-dev)
if(MIGCHECK_TESTS)
  migcheck_require(doctest doctest-dev)
endif()

find_package(Threads REQUIRED)
