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
