# Run after linking the pmtalint command with PMTALINT_STATIC_DEPS: fails the build when a
# library meant to be linked statically is still loaded at start-up (for instance libfmt.so
# coming back, with the shared libstdc++, because a new fmt function is not in fmt_library.cpp).
# Usage: cmake -DREADELF=... -DBINARY=... -P check_needed_libraries.cmake
execute_process(COMMAND ${READELF} -d ${BINARY} OUTPUT_VARIABLE dynamic_section COMMAND_ERROR_IS_FATAL ANY)
string(REGEX MATCHALL "\\(NEEDED\\)[^\n]*\\[(libstdc\\+\\+|libgcc_s|libfmt|libssl|libcrypto|libldns|libpcre2)[^]\n]*\\]"
       shared_left "${dynamic_section}")
if(shared_left)
  message(FATAL_ERROR "${BINARY} should link these statically (PMTALINT_STATIC_DEPS) but loads them: ${shared_left}")
endif()
