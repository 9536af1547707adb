# m2g_add_tool(NAME): one binary from cmd/NAME/*.cpp, linked to m2g_common, installed with its
# man page and registered with its CLI tests (tests/cli/NAME/*.sh). Adding a tool = one folder.
set(M2G_TOOLS "" CACHE INTERNAL "")
function(m2g_add_tool name)
  file(GLOB _sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/cmd/${name}/*.cpp)
  if(_sources)
    add_executable(${name} ${_sources})
    target_link_libraries(${name} PRIVATE m2g_common m2g_settings m2g_warnings)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bin)
    install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  else()
    # A script tool (m2g-bot): cmd/NAME/NAME is copied next to the binaries at build time, so an
    # edit of the script shows up after `make` without reconfiguring.
    add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/bin/${name}
                       COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_SOURCE_DIR}/cmd/${name}/${name}
                               ${CMAKE_BINARY_DIR}/bin/${name}
                       DEPENDS ${CMAKE_SOURCE_DIR}/cmd/${name}/${name})
    add_custom_target(${name} ALL DEPENDS ${CMAKE_BINARY_DIR}/bin/${name})
    install(PROGRAMS ${CMAKE_SOURCE_DIR}/cmd/${name}/${name} DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
  if(EXISTS ${CMAKE_SOURCE_DIR}/man/${name}.1)
    install(FILES ${CMAKE_SOURCE_DIR}/man/${name}.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
  # Completions are one generic script per shell, installed under each tool's name so that
  # bash-completion and fish load it lazily for that command.
  install(FILES ${CMAKE_SOURCE_DIR}/completions/m2g.bash
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ${name})
  install(FILES ${CMAKE_SOURCE_DIR}/completions/m2g.fish
          DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d RENAME ${name}.fish)
  set(M2G_TOOLS "${M2G_TOOLS};${name}" CACHE INTERNAL "")
endfunction()
