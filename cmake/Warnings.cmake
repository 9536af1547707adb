# m2g_warnings: the warning set every target compiles with; -Werror under M2G_WERROR (on in CI).
add_library(m2g_warnings INTERFACE)
target_compile_options(m2g_warnings INTERFACE -Wall -Wextra -Wshadow=local -Wnon-virtual-dtor)
if(M2G_WERROR)
  target_compile_options(m2g_warnings INTERFACE -Werror)
endif()
