#pragma once
// Writing a report or a picture without destroying what was read. Every output option goes
// through these two functions:
//  - refuse_if_input(target, inputs): the target must not be (by device and inode, following
//    symlinks) any file the run has read — a configuration, an included file, a workload, a
//    scenario, a baseline. `pmtalint send --plot w.json --workload w.json` is refused, not run.
//  - write_output_file(target, content): symlinks are written through (the link stays a link
//    and its target gets the content), a regular file is replaced atomically (written beside
//    it, then renamed), anything else (a device such as /dev/stdout or /dev/full) is written
//    in place.
#include <optional>
#include <span>
#include <string_view>
#include <string>

#include "base/expected.h"

namespace pmtalint {

struct FileKey {
  unsigned long long device = 0;
  unsigned long long inode = 0;
  friend bool operator==(const FileKey&, const FileKey&) = default;
};

// The identity of the file `path` names, following symlinks; nullopt when it does not exist.
std::optional<FileKey> file_key(const std::string& path);

// An error ("--plot w.json is the workload w.json; refusing to overwrite an input") when
// `target` is one of the files read. `inputs` pairs each file read with what it is for the
// message ("the workload"); `keys` adds files known only by identity (included files).
struct InputFile {
  std::string path;
  std::string role;  // "the configuration", "the workload", …
};
expected<void, std::string> refuse_if_input(const std::string& option, const std::string& target,
                                            std::span<const InputFile> inputs, std::span<const FileKey> keys = {});

// Writes `content` to `path` as described above; the error is a short reason.
expected<void, std::string> write_output_file(const std::string& path, std::string_view content);

}  // namespace pmtalint
