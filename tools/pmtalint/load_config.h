#pragma once
// Reading one main configuration for the commands that need its model (show settings, send):
// load failures are printed and end the command; syntax errors only warn, since the model is
// still what pmtalint could read.
#include <optional>
#include <string>
#include <string_view>

#include "syntax/loader.h"

namespace pmtalint::cli {

// nullopt after printing why the file could not be read. `what_follows` completes the warning
// "the configuration has N syntax errors; …".
std::optional<LoadResult> load_main_config(const std::string& file, const std::string& root, std::string_view what_follows);

}  // namespace pmtalint::cli
