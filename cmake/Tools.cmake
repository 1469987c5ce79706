# migcheck_add_tool(NAME): one executable from tools/NAME/main.cpp, linked to
# the library and installed to bin/.
function(migcheck_add_tool name)
  add_executable(${name} main.cpp)
  target_link_libraries(${name} PRIVATE migcheck migcheck_warnings)
  # Only the shared libraries a tool really uses are loaded at its start.
  target_link_options(${name} PRIVATE LINKER:--as-needed)
  if(MIGCHECK_STATIC_RUNTIME AND NOT MIGCHECK_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_link_options(${name} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
  install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()
