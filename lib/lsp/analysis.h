#pragma once
// One lint of an open document, kept until the next edit: the loaded workspace (the document
// and what it includes), the findings as the CLI would report them (project configuration and
// suppressions applied) and the semantic model, which hover, completion and navigation ask.
#include <memory>
#include <vector>

#include "base/diagnostic.h"
#include "lsp/text_document.h"
#include "model/model.h"
#include "syntax/loader.h"

namespace pmtalint::lsp {

struct Analysis {
  std::unique_ptr<LoadResult> loaded;  // owned here: the model points into it
  std::vector<Diagnostic> diagnostics;
  FileId document = 0;  // the document's own file in the workspace

  // Built on the first request that needs names; publishing diagnostics never waits for it.
  const Model& model() const {
    if (!model_) model_ = std::make_unique<Model>(loaded->workspace, loaded->workspace.roots());
    return *model_;
  }

 private:
  mutable std::unique_ptr<Model> model_;
};

std::unique_ptr<Analysis> analyze(const TextDocument& doc);

// The syntax node under a byte offset of the document, for hover, completion and navigation.
struct NodeAt {
  const Tree* tree = nullptr;
  NodeId node = kNoNode;        // innermost directive or block whose line holds the offset
  NodeId block = kNoNode;       // innermost block containing the offset
};
NodeAt node_at(const Analysis& a, size_t offset);

}  // namespace pmtalint::lsp
