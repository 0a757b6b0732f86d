#pragma once
// JSON shapes shared by the server and its feature handlers.
#include <nlohmann/json.hpp>

#include <optional>

#include "base/diagnostic.h"
#include "lsp/analysis.h"
#include "lsp/text_document.h"

namespace pmtalint::lsp {

using json = nlohmann::json;

json to_json(Position p);
Position position_from(const json& j);  // throws json::type_error for anything but {line, character}
json range_json(const TextDocument& doc, size_t begin, size_t end);
// A span of any workspace file as an LSP range (positions computed from that file's text).
json range_in_file(const SourceFile& file, Span span);

json diagnostic_json(const Analysis& a, const TextDocument& doc, const Diagnostic& d);

// The definition a name written at `offset` of the document refers to (block head or
// domain-macro line), shared by definition and hover.
std::optional<Location> definition_at(const Analysis& a, const TextDocument& doc, size_t offset);

// Feature handlers: each takes the request params and returns the result (null when none).
json hover(const Analysis& a, const TextDocument& doc, const json& params);
json completion(const Analysis& a, const TextDocument& doc, const json& params);
json document_symbols(const Analysis& a, const TextDocument& doc);
json folding_ranges(const Analysis& a, const TextDocument& doc);
json definition(const Analysis& a, const TextDocument& doc, const json& params);
json references(const Analysis& a, const TextDocument& doc, const json& params);
json code_actions(const Analysis& a, const TextDocument& doc, const json& params);
json formatting(const Analysis& a, const TextDocument& doc, const json& params);
json range_formatting(const Analysis& a, const TextDocument& doc, const json& params);
json rename(const Analysis& a, const TextDocument& doc, const json& params);

}  // namespace pmtalint::lsp
