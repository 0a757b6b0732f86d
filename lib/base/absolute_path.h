#pragma once
// The one spelling of a path used as a key for editor buffers and named inputs: absolute and
// lexically normal (no `.`, `..` or doubled separators).
#include <string>

namespace pmtalint {

// An editor names thousands of open files by absolute URI paths that are normal already; those
// are returned as they are, without asking the file system for the working directory.
std::string absolute_path(const std::string& path);

}  // namespace pmtalint
