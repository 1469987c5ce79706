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

macro(migcheck_require package debian)
  find_package(${package} QUIET ${ARGN})
  if(NOT ${package}_FOUND)
    message(FATAL_ERROR "${package} not found: apt-get install ${debian}")
  endif()
endmacro()

migcheck_require(yaml-cpp libyaml-cpp-dev)
migcheck_require(SQLiteCpp libsqlitecpp-dev)
migcheck_require(nlohmann_json nlohmann-json3-dev)
migcheck_require(CLI11 libcli11-dev)
if(MIGCHECK_TESTS)
  migcheck_require(doctest doctest-dev)
endif()

find_package(Threads REQUIRED)
