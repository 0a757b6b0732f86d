#pragma once
// All files of one lint run: the files named on the command line and everything they include,
// each parsed once. Include edges are kept per include directive so that later stages can
// splice included trees in at the place (and in the block) where PMTA reads them.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "syntax/file_reader.h"
#include "syntax/tree.h"

namespace pmtalint {

class Workspace {
 public:
  FileId add(std::string path, std::string text, FileIdentity identity);
  void set_tree(FileId id, Tree tree);

  size_t size() const { return files_.size(); }
  size_t node_count() const { return node_count_; }  // of all trees together
  const SourceFile& file(FileId id) const { return *files_[id]->source; }
  const Tree& tree(FileId id) const { return *files_[id]->tree; }
  const FileIdentity& identity(FileId id) const { return files_[id]->identity; }
  FileId find(const FileIdentity& identity) const;

  const std::vector<FileId>& roots() const { return roots_; }
  void add_root(FileId id) { roots_.push_back(id); }

  void add_include(FileId file, NodeId include, FileId target);
  const std::vector<FileId>& included_by(FileId file, NodeId include) const;
  // Every file a file includes directly, in reading order (for "which named file belongs to which").
  const std::vector<FileId>& includes_of(FileId file) const;
  // An include line whose file(s) could not be read: what it would have added is unknown.
  void add_unread(FileId file, NodeId include, std::string path);
  const std::string* unread(FileId file, NodeId include) const;

 private:
  struct Entry {
    std::unique_ptr<SourceFile> source;  // stable address: trees point at their file
    std::unique_ptr<Tree> tree;
    FileIdentity identity;
  };
  static uint64_t key(FileId file, NodeId node) { return (uint64_t{file} << 32) | node; }
  struct IdentityHash {
    size_t operator()(const FileIdentity& i) const { return (i.inode * 0x9E3779B97F4A7C15ULL) ^ i.device; }
  };

  std::vector<std::unique_ptr<Entry>> files_;
  std::vector<FileId> roots_;
  // The first file read with each identity: a conf.d of thousands of files is looked up once
  // per include, and a scan per lookup made loading quadratic.
  std::unordered_map<FileIdentity, FileId, IdentityHash> by_identity_;
  std::unordered_map<uint64_t, std::vector<FileId>> includes_;
  std::unordered_map<FileId, std::vector<FileId>> edges_;
  std::unordered_map<uint64_t, std::string> unread_;
  size_t node_count_ = 0;
};

}  // namespace pmtalint
