#include "lsp/analysis.h"


namespace pmtalint::lsp {

Analysis::Analysis(const TextDocument& doc, const std::map<std::string, std::string>& open, const ServerSettings& settings,
                   std::function<bool()> interrupted) {
  AnalysisRequest request;
  request.root = settings.root;
  request.pmta_version = settings.pmta_version;
  request.main = settings.main;
  request.inputs.push_back({uri_to_path(doc.uri()), std::nullopt});
  request.overlays = open;
  request.all_files = true;  // findings in other files of the configuration go to their own URIs
  request.interrupted = std::move(interrupted);
  auto analysis = analyze(request);
  if (analysis && (*analysis)->interrupted) {
    result_ = std::move(*analysis);
    return;
  }
  if (!analysis) {
    settings_error_ = analysis.error();
    request.no_project_config = true;
    request.main.clear();
    request.pmta_version.clear();
    analysis = analyze(request);
  }
  if (analysis) {
    result_ = std::move(*analysis);
  } else {  // even without settings the request failed: keep an empty, valid state
    result_ = std::make_unique<pmtalint::Analysis>();
    result_->loaded.failures.push_back(analysis.error());
  }
  if (!result_->named.empty()) document_ = result_->named.front();
  model_ = document_ == kNoNode ? nullptr : result_->configuration_of(document_);
  if (!model_) {
    empty_ = std::make_unique<Model>(result_->loaded.workspace, std::vector<FileId>{});
    model_ = empty_.get();
  }
}

NodeAt node_at(const Analysis& a, size_t offset) {
  NodeAt at;
  if (a.document() == kNoNode) return at;
  const Tree& tree = a.workspace().tree(a.document());
  at.tree = &tree;
  const auto within = [&](Span s) { return s.begin <= offset && offset <= s.end; };
  // Walk down from the root: each level holds at most one node whose span covers the offset.
  NodeId current = tree.root();
  for (bool descended = true; descended;) {
    descended = false;
    for (NodeId c = tree.node(current).first_child; c != kNoNode; c = tree.node(c).next_sibling) {
      const Node& n = tree.node(c);
      if (!within(n.span)) continue;
      if (n.kind == NodeKind::Block) {
        at.block = c;
        if (within(n.head) || (!n.close.empty() && within(n.close))) {
          at.node = c;
          return at;
        }
        current = c;
        descended = true;
      } else {
        at.node = c;
        return at;
      }
      break;
    }
  }
  return at;
}

}  // namespace pmtalint::lsp
