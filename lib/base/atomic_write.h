#pragma once
// The one place pmtalint rewrites a file the user gave it (`config --fix`, `format`): atomically
// (a temporary file in the same directory, then rename), keeping mode and owner, through a
// symlink to its final target (the link stays a link), never onto a device, FIFO or socket, and
// only when the file still holds what was read (a file changed in between is refused).
#include <string>
#include <string_view>

#include "base/expected.h"

namespace pmtalint {

// Replaces the contents of `path` with `text`, provided it still holds `expected`. On failure the
// error is a short reason without the path ("is read-only", "changed since it was read").
expected<void, std::string> replace_file_contents(const std::string& path, std::string_view expected,
                                                  std::string_view text);

}  // namespace pmtalint
