#pragma once
// The main configuration for the commands that need its model (show settings, send), read
// through the one analysis: load failures are printed and end the command; syntax errors only
// warn, since the model is still what pmtalint could read.
#include <memory>
#include <string>
#include <string_view>

#include "analysis/analysis.h"

namespace pmtalint::cli {

struct MainConfig {
  std::unique_ptr<Analysis> analysis;
  const Model* model = nullptr;
};

// Empty after printing why the file could not be read. `what_follows` completes the warning
// "the configuration has N syntax errors; …".
std::optional<MainConfig> load_main_config(const std::string& file, const std::string& root, std::string_view what_follows);

}  // namespace pmtalint::cli
