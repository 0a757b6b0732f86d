#include "lsp/server.h"

#include <poll.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <deque>
#include <map>
#include <set>

#include "lsp/framing.h"
#include "lsp/message_json.h"
#include "lsp/protocol.h"

namespace pmtalint::lsp {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxQueued = 1000;
// Bytes of messages read ahead and waiting; past this the server handles what it has first.
constexpr size_t kMaxQueuedBytes = size_t{256} << 20;
// Findings published for one file: an editor cannot show millions, and building them for a
// broken 50 MB buffer would exhaust memory. The last one says how many were left out.
constexpr size_t kMaxPublished = 2000;

enum Code : int {
  kParseError = -32700,
  kInvalidRequest = -32600,
  kMethodNotFound = -32601,
  kInvalidParams = -32602,
  kInternalError = -32603,
  kServerNotInitialized = -32002,
  kRequestCancelled = -32800,
};

struct Open {
  TextDocument doc;
  std::unique_ptr<Analysis> analysis;  // null when an edit made it stale
  std::optional<Clock::time_point> publish_at;
  std::set<std::string> others;  // URIs of closed files this document's analysis published for
};

class Server {
 public:
  // `edit_waiting` says whether the client has sent an edit not yet handled: an analysis made for
  // publication stops then, since its findings would be stale before they were shown.
  Server(int out, const char* version, ServerSettings settings, std::function<bool()> edit_waiting)
      : out_(out), version_(version), settings_(std::move(settings)), edit_waiting_(std::move(edit_waiting)) {}

  bool exiting() const { return exit_; }
  int exit_code() const { return shutdown_ ? 0 : 1; }

  void receive(const std::string& body, std::set<std::string>& cancelled) {
    if (nesting_depth(body) > kMaxMessageNesting)
      return error(nullptr, kInvalidRequest,
                   "the message nests arrays and objects more than " + std::to_string(kMaxMessageNesting) + " levels deep");
    json message;
    try {
      message = parse_message(body);
    } catch (const json::exception&) {
      return error(nullptr, kParseError, "the message is not valid JSON");
    }
    if (!message.is_object()) return error(nullptr, kInvalidRequest, "a message must be a JSON object");
    const json id = message.contains("id") ? message["id"] : json();
    const bool is_request = message.contains("id") && (id.is_number_integer() || id.is_string());
    if (!message.contains("method") || !message["method"].is_string()) {
      if (is_request) error(id, kInvalidRequest, "the message has no method");
      return;  // a response from the client, or noise: nothing to answer
    }
    const std::string method = message["method"];
    const json params = message.contains("params") ? message["params"] : json::object();
    try {
      if (is_request) {
        if (cancelled.erase(id.dump())) return error(id, kRequestCancelled, "cancelled by the client");
        request(id, method, params);
      } else {
        notification(method, params);
      }
    } catch (const json::exception& e) {
      if (is_request) error(id, kInvalidParams, std::string("invalid parameters: ") + e.what());
      else log(1, "invalid parameters for " + method + ": " + e.what());
    } catch (const std::bad_alloc&) {
      // One request too large for memory fails alone; the server keeps serving.
      if (is_request) error(id, kInternalError, "out of memory for this request");
      else log(1, method + " failed: out of memory");
    } catch (const std::exception& e) {
      if (is_request) error(id, kInternalError, e.what());
      else log(1, method + " failed: " + e.what());
    }
  }

  void malformed(const std::string& why) { log(1, "pmtalint lsp: dropped a malformed message: " + why); }

  // Milliseconds until the next debounced publication, or -1 when none is pending.
  int timeout_ms() const {
    std::optional<Clock::time_point> next;
    for (const auto& [uri, open] : docs_)
      if (open.publish_at && (!next || *open.publish_at < *next)) next = open.publish_at;
    if (!next) return -1;
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(*next - Clock::now()).count();
    return wait < 0 ? 0 : static_cast<int>(wait);
  }

  void publish_due() {
    const auto now = Clock::now();
    for (auto& [uri, open] : docs_)
      if (open.publish_at && *open.publish_at <= now) publish(open);
  }

 private:
  void send(const json& message) {
    if (!write_message(out_, message.dump(-1, ' ', false, json::error_handler_t::replace))) exit_ = true;
  }
  void reply(const json& id, json result) { send({{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}}); }
  void error(const json& id, int code, std::string message) {
    send({{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", std::move(message)}}}});
  }
  void show_message(int type, std::string message) {
    send({{"jsonrpc", "2.0"}, {"method", "window/showMessage"}, {"params", {{"type", type}, {"message", std::move(message)}}}});
  }
  void log(int type, std::string message) {
    send({{"jsonrpc", "2.0"}, {"method", "window/logMessage"}, {"params", {{"type", type}, {"message", std::move(message)}}}});
  }

  Open* find(const json& params) {
    const auto it = docs_.find(params.at("textDocument").at("uri").get<std::string>());
    return it == docs_.end() ? nullptr : &it->second;
  }

  // The document's analysis; nullptr when `interrupted` stopped it.
  const Analysis* analysis(Open& open, const std::function<bool()>& interrupted = {}) {
    if (!open.analysis) {
      std::map<std::string, std::string> texts;
      for (const auto& [uri, other] : docs_) texts.emplace(uri_to_path(uri), other.doc.text());
      auto fresh = std::make_unique<Analysis>(open.doc, texts, settings_, interrupted);
      if (fresh->interrupted()) return nullptr;
      open.analysis = std::move(fresh);
      // A broken .pmtalint.toml is said once per distinct error, not at every keystroke.
      if (const std::string& error = open.analysis->settings_error(); !error.empty() && shown_errors_.insert(error).second)
        show_message(1, "pmtalint: " + error + " (linting without the project configuration)");
    }
    return open.analysis.get();
  }

  // An edit of one file changes the analysis of every open document whose configuration reads it.
  void stale(const std::string& path) {
    for (auto& [uri, open] : docs_) {
      bool reads = uri_to_path(uri) == path;
      if (!reads && open.analysis)
        for (FileId f = 0; f < open.analysis->workspace().size() && !reads; ++f)
          reads = uri_to_path(path_to_uri(open.analysis->workspace().file(f).path())) == path;
      if (!reads) continue;
      open.analysis.reset();
      // Published once the waiting messages are handled; a newer edit stops the analysis.
      open.publish_at = Clock::now();
    }
  }

  void publish_list(const std::string& uri, std::optional<int> version, json list) {
    json params{{"uri", uri}, {"diagnostics", std::move(list)}};
    if (version) params["version"] = *version;
    send({{"jsonrpc", "2.0"}, {"method", "textDocument/publishDiagnostics"}, {"params", std::move(params)}});
  }

  // The document's findings, and those its configuration has in files that are not open (a
  // fragment's mistake found through the main file); open files publish their own.
  void publish(Open& open) {
    const Analysis* fresh = analysis(open, edit_waiting_);
    if (!fresh) {  // an edit is waiting: publish once it is handled
      open.publish_at = Clock::now();
      return;
    }
    open.publish_at.reset();
    const Analysis& a = *fresh;
    std::map<std::string, json> lists;
    json own = json::array();
    size_t left_out = 0;
    for (const std::string& failure : a.failures())  // a file that is not configuration: no content shown
      own.push_back({{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                     {"severity", 1},
                     {"source", "pmtalint"},
                     {"message", failure}});
    for (const Diagnostic& d : a.diagnostics()) {
      if (d.where.file == a.document()) {
        if (own.size() < kMaxPublished) own.push_back(diagnostic_json(a, open.doc, d));
        else ++left_out;
        continue;
      }
      const std::string uri = path_to_uri(a.workspace().file(d.where.file).path());
      if (!docs_.contains(uri) && lists[uri].size() < kMaxPublished) lists[uri].push_back(diagnostic_json(a, open.doc, d));
    }
    if (left_out > 0) {
      own.push_back({{"range", {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}},
                     {"severity", 3},
                     {"source", "pmtalint"},
                     {"message", std::to_string(left_out) + " more findings in this file are not shown; run "
                                 "pmtalint config on it to see them all"}});
    }
    publish_list(open.doc.uri(), open.doc.version(), std::move(own));
    for (const std::string& uri : open.others)
      if (!lists.contains(uri) && !docs_.contains(uri)) publish_list(uri, std::nullopt, json::array());  // fixed
    open.others.clear();
    for (auto& [uri, list] : lists) {
      open.others.insert(uri);
      publish_list(uri, std::nullopt, std::move(list));
    }
  }

  json capabilities() const {
    return {{"positionEncoding", "utf-16"},
            {"textDocumentSync", {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
            {"hoverProvider", true},
            {"completionProvider", {{"triggerCharacters", {"$", "<", " ", "="}}}},
            {"definitionProvider", true},
            {"referencesProvider", true},
            {"documentSymbolProvider", true},
            {"foldingRangeProvider", true},
            {"codeActionProvider", {{"codeActionKinds", {"quickfix", "source.fixAll", "source.fixAll.pmtalint"}}}},
            {"documentFormattingProvider", true},
            {"documentRangeFormattingProvider", true},
            {"renameProvider", true}};
  }

  void request(const json& id, const std::string& method, const json& params) {
    if (method == "initialize") {
      if (initialized_) return error(id, kInvalidRequest, "the server is already initialized");
      initialized_ = true;
      return reply(id, {{"capabilities", capabilities()}, {"serverInfo", {{"name", "pmtalint"}, {"version", version_}}}});
    }
    if (!initialized_) return error(id, kServerNotInitialized, "initialize must come first");
    if (shutdown_) return error(id, kInvalidRequest, "the server is shutting down");
    if (method == "shutdown") {
      shutdown_ = true;
      return reply(id, nullptr);
    }
    using Handler = json (*)(const Analysis&, const TextDocument&, const json&);
    static const std::map<std::string, Handler, std::less<>> handlers = {
        {"textDocument/hover", hover},
        {"textDocument/completion", completion},
        {"textDocument/definition", definition},
        {"textDocument/references", references},
        {"textDocument/codeAction", code_actions},
        {"textDocument/formatting", formatting},
        {"textDocument/rangeFormatting", range_formatting},
        {"textDocument/rename", rename},
        {"textDocument/documentSymbol", [](const Analysis& a, const TextDocument& d, const json&) { return document_symbols(a, d); }},
        {"textDocument/foldingRange", [](const Analysis& a, const TextDocument& d, const json&) { return folding_ranges(a, d); }},
    };
    const auto handler = handlers.find(method);
    if (handler == handlers.end()) return error(id, kMethodNotFound, "pmtalint does not handle " + method);
    Open* open = find(params);
    if (!open) return reply(id, nullptr);  // a document the client never opened
    const Analysis& a = *analysis(*open);
    if (a.document() == kNoNode) return reply(id, nullptr);  // not a configuration (binary, key material)
    reply(id, handler->second(a, open->doc, params));
  }

  void notification(const std::string& method, const json& params) {
    if (method == "exit") {
      exit_ = true;
      return;
    }
    if (!initialized_ || method == "initialized" || method.starts_with("$/")) return;
    if (method == "textDocument/didOpen") {
      const json& item = params.at("textDocument");
      const std::string uri = item.at("uri");
      Open open{TextDocument(uri, item.at("text").get<std::string>(), item.value("version", 0)), nullptr, Clock::now(), {}};
      docs_.insert_or_assign(uri, std::move(open));
      return publish(docs_.at(uri));
    }
    if (method == "textDocument/didChange") {
      Open* open = find(params);
      if (!open) return;
      for (const json& change : params.at("contentChanges")) {
        const std::string text = change.at("text");
        if (change.contains("range"))
          open->doc.replace(position_from(change.at("range").at("start")), position_from(change.at("range").at("end")), text);
        else
          open->doc.replace_all(text);
      }
      open->doc.set_version(params.at("textDocument").value("version", open->doc.version() + 1));
      stale(uri_to_path(open->doc.uri()));
      return;
    }
    if (method == "textDocument/didSave") {
      // Included files or .pmtalint.toml may have changed on disk: lint again now.
      if (Open* open = find(params)) {
        stale(uri_to_path(open->doc.uri()));
        publish(*open);
      }
      return;
    }
    if (method == "textDocument/didClose") {
      const std::string uri = params.at("textDocument").at("uri");
      if (docs_.erase(uri)) {
        send({{"jsonrpc", "2.0"},
              {"method", "textDocument/publishDiagnostics"},
              {"params", {{"uri", uri}, {"diagnostics", json::array()}}}});
        // Unsaved edits are gone with it: the documents whose configuration reads the file see
        // it as it is on disk again.
        stale(uri_to_path(uri));
      }
    }
  }

  int out_;
  const char* version_;
  ServerSettings settings_;
  std::map<std::string, Open, std::less<>> docs_;
  std::set<std::string> shown_errors_;
  std::function<bool()> edit_waiting_;
  bool initialized_ = false, shutdown_ = false, exit_ = false;
};

bool readable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, timeout_ms) > 0;
}

}  // namespace

int serve(int in_fd, int out_fd, const char* version, const ServerSettings& settings) {
  MessageReader reader(in_fd);
  std::deque<MessageReader::Result> queue;
  // Moves what the client has already sent into the queue, within its bounds; with `one_more`
  // also the next message when the queue is empty (the caller saw input ready, and a partly
  // arrived message is finished by waiting).
  const auto read_ahead = [&](bool one_more) {
    size_t queued_bytes = 0;
    for (const auto& m : queue) queued_bytes += m.body.size();
    while ((queue.empty() || queue.back().status != MessageReader::Status::End) && queue.size() < kMaxQueued &&
           queued_bytes < kMaxQueuedBytes && ((one_more && queue.empty()) || reader.buffered() || readable(in_fd, 0))) {
      queue.push_back(reader.next());
      queued_bytes += queue.back().body.size();
    }
  };
  // Whether a change to the open documents is waiting (read without blocking).
  const auto edit_waiting = [&] {
    read_ahead(false);
    return std::any_of(queue.begin(), queue.end(), [](const MessageReader::Result& m) {
      return m.status == MessageReader::Status::Message &&
             (m.body.find("\"textDocument/didChange\"") != std::string::npos ||
              m.body.find("\"textDocument/didClose\"") != std::string::npos ||
              m.body.find("\"textDocument/didOpen\"") != std::string::npos);
    });
  };
  Server server(out_fd, version, settings, edit_waiting);
  while (!server.exiting()) {
    if (queue.empty() && !reader.buffered() && !readable(in_fd, server.timeout_ms())) {
      server.publish_due();
      continue;
    }
    // Take everything already waiting, so that a $/cancelRequest can overtake its request. The
    // queue may already hold what edit_waiting read during the last publication.
    read_ahead(true);
    std::set<std::string> cancelled;
    for (const auto& m : queue) {
      if (m.status != MessageReader::Status::Message || m.body.find("$/cancelRequest") == std::string::npos ||
          nesting_depth(m.body) > kMaxMessageNesting)
        continue;
      try {
        const json j = json::parse(m.body);
        if (j.value("method", "") == "$/cancelRequest") cancelled.insert(j.at("params").at("id").dump());
      } catch (const json::exception&) {
      }
    }
    while (!queue.empty() && !server.exiting()) {
      MessageReader::Result m = std::move(queue.front());
      queue.pop_front();
      if (m.status == MessageReader::Status::End) return server.exit_code();
      if (m.status == MessageReader::Status::Malformed) server.malformed(m.error);
      else server.receive(m.body, cancelled);
    }
    server.publish_due();
  }
  return server.exit_code();
}

}  // namespace pmtalint::lsp
