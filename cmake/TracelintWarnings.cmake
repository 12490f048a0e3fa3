# Warning flags for our own targets only; third-party headers come in as SYSTEM includes.
function(tracelint_target_defaults target)
  # GCC 12 flags designated initializers that leave members at their defaults
  # (`{.name = "step"}`), which is how tl::function_options is meant to be used.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
  if(TRACELINT_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(TRACELINT_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${TRACELINT_SANITIZE} -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=${TRACELINT_SANITIZE})
  endif()
endfunction()
