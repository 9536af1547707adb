# m2g_settings: language level, sanitizers and other project-wide compile policy.
add_library(m2g_settings INTERFACE)
target_compile_features(m2g_settings INTERFACE cxx_std_20)

set(_m2g_sanitizers "")
if(M2G_ENABLE_ASAN)
  list(APPEND _m2g_sanitizers address)
endif()
if(M2G_ENABLE_UBSAN)
  list(APPEND _m2g_sanitizers undefined)
endif()
if(_m2g_sanitizers)
  list(JOIN _m2g_sanitizers "," _m2g_san)
  target_compile_options(m2g_settings INTERFACE -fsanitize=${_m2g_san} -fno-omit-frame-pointer
                                                -fno-sanitize-recover=undefined)
  target_link_options(m2g_settings INTERFACE -fsanitize=${_m2g_san})
endif()

# Every stage is its own process and m2g-bot runs six of them: the pages of a shared library that
# a process touches (relocated data, the code it runs, and the kernel's fault-around of 64 KiB
# about each) count in each one's resident set. Linked statically, libstdc++ and libgcc bring only
# the parts a tool uses, relocated once in its own image, and --gc-sections drops the sections
# nothing references (libstdc++.a is built with one section per function): m2g-limit idle
# 4.38 -> 3.44 -> 3.13 MB (docs/DEPENDENCIES.md). Not under the sanitizers, whose runtimes
# expect the shared libstdc++ and whose builds are for finding bugs, not for size.
option(M2G_LEAN_LINK "Link libstdc++ and libgcc statically, drop unreferenced sections (not with sanitizers)" ON)
if(M2G_LEAN_LINK AND NOT _m2g_sanitizers)
  target_link_options(m2g_settings INTERFACE -static-libstdc++ -static-libgcc -Wl,--gc-sections)
endif()
