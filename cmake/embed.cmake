# Turns a data file into a C++ translation unit holding it as a string_view, so the binary
# needs no data files at run time. Usage: cmake -DINPUT=… -DOUTPUT=… -DSYMBOL=… -P embed.cmake
file(READ "${INPUT}" content)
get_filename_component(name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${name} at build time; do not edit.\n"
  "#include <string_view>\n"
  "namespace pmtalint::embedded {\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL} = R\"pmtalint_data(${content})pmtalint_data\";\n"
  "}  // namespace pmtalint::embedded\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
