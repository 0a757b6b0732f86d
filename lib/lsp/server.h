#pragma once
// `pmtalint lsp`: a Language Server for PMTA configurations over stdio (JSON-RPC 2.0 with LSP
// framing). It lints open documents with the same rules, codes and project configuration as
// the CLI, and answers hover, completion, navigation, outline, folding, quick fixes and
// formatting from the knowledge base and the semantic model.
#include "lsp/analysis.h"

namespace pmtalint::lsp {

// Serves until `exit` (or the end of input); returns the process exit code (0 after a
// shutdown request, 1 otherwise, as the protocol asks).
int serve(int in_fd, int out_fd, const char* version, const ServerSettings& settings = {});

}  // namespace pmtalint::lsp
