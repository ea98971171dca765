# Warnings for the project's own targets (not for third-party headers).
function(vqfuse_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>
                                           -Wnon-virtual-dtor -Wcast-align -Wformat=2)
  if(VQFUSE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
