#pragma once
// One analysis of an open document, kept until the next edit. It is the analysis the command
// line runs (lib/analysis): the same .pmtalint.toml (pmta-version, root, main, rules), the
// document read as part of its main configuration when it has one, other open documents'
// unsaved text used wherever the configuration reads them.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/analysis.h"
#include "lsp/text_document.h"

namespace pmtalint::lsp {

// Settings given to `pmtalint lsp` (the editor's extra server arguments); each wins over
// .pmtalint.toml, as on the command line.
struct ServerSettings {
  std::string root;          // --root
  std::string pmta_version;  // --pmta-version
  std::string main;          // --main
};

class Analysis {
 public:
  // `open` maps the paths of all open documents to their current text.
  // `interrupted` is asked between stages: when it says true the analysis stops, unfinished.
  Analysis(const TextDocument& doc, const std::map<std::string, std::string>& open, const ServerSettings& settings = {},
           std::function<bool()> interrupted = {});

  const Workspace& workspace() const { return result_->loaded.workspace; }
  const Model& model() const { return *model_; }
  const std::vector<Diagnostic>& diagnostics() const { return result_->diagnostics; }
  FileId document() const { return document_; }  // kNoNode when the document could not be read
  // Why the request could not be analysed as the command line would (a bad .pmtalint.toml);
  // the findings then come from an analysis without the project configuration.
  const std::string& settings_error() const { return settings_error_; }
  // Why the document itself was not linted (binary, key material), for a diagnostic of its own.
  const std::vector<std::string>& failures() const { return result_->loaded.failures; }
  bool interrupted() const { return result_->interrupted; }

 private:
  std::unique_ptr<pmtalint::Analysis> result_;
  std::unique_ptr<Model> empty_;  // when the document is in no configuration
  const Model* model_ = nullptr;
  FileId document_ = kNoNode;
  std::string settings_error_;
};

// The syntax node under a byte offset of the document, for hover, completion and navigation.
struct NodeAt {
  const Tree* tree = nullptr;
  NodeId node = kNoNode;        // innermost directive or block whose line holds the offset
  NodeId block = kNoNode;       // innermost block containing the offset
};
NodeAt node_at(const Analysis& a, size_t offset);

}  // namespace pmtalint::lsp
