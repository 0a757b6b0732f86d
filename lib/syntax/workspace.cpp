#include "syntax/workspace.h"

namespace pmtalint {

FileId Workspace::add(std::string path, std::string text, FileIdentity identity) {
  auto entry = std::make_unique<Entry>();
  entry->source = std::make_unique<SourceFile>(std::move(path), std::move(text));
  entry->tree = std::make_unique<Tree>(*entry->source);
  entry->identity = identity;
  node_count_ += entry->tree->size();
  files_.push_back(std::move(entry));
  const auto id = static_cast<FileId>(files_.size() - 1);
  if (identity != FileIdentity{}) by_identity_.try_emplace(identity, id);
  return id;
}

void Workspace::set_tree(FileId id, Tree tree) {
  node_count_ -= files_[id]->tree->size();
  node_count_ += tree.size();
  files_[id]->tree = std::make_unique<Tree>(std::move(tree));
}

FileId Workspace::find(const FileIdentity& identity) const {
  if (identity == FileIdentity{}) return kNoNode;
  const auto it = by_identity_.find(identity);
  return it == by_identity_.end() ? kNoNode : it->second;
}

void Workspace::add_include(FileId file, NodeId include, FileId target) {
  includes_[key(file, include)].push_back(target);
  edges_[file].push_back(target);
}

const std::vector<FileId>& Workspace::includes_of(FileId file) const {
  static const std::vector<FileId> none;
  auto it = edges_.find(file);
  return it == edges_.end() ? none : it->second;
}

void Workspace::add_unread(FileId file, NodeId include, std::string path) {
  unread_.try_emplace(key(file, include), std::move(path));
}

const std::string* Workspace::unread(FileId file, NodeId include) const {
  auto it = unread_.find(key(file, include));
  return it == unread_.end() ? nullptr : &it->second;
}

const std::vector<FileId>& Workspace::included_by(FileId file, NodeId include) const {
  static const std::vector<FileId> none;
  auto it = includes_.find(key(file, include));
  return it == includes_.end() ? none : it->second;
}

}  // namespace pmtalint
