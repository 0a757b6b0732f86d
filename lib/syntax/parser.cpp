#include "syntax/parser.h"

#include <fmt/format.h>

#include <span>

#include "base/slugs.h"
#include "base/text.h"
#include "syntax/lexer.h"
#include "syntax/template_text.h"

namespace pmtalint {
namespace {

bool is_value_token(TokenKind k) { return k == TokenKind::Word || k == TokenKind::Quoted; }

class Parser {
 public:
  Parser(const SourceFile& file, FileId id, const ParseOptions& options)
      : file_(file), id_(id), options_(options), tree_(file), lexer_(file.text(), id, lex_diagnostics_) {
    tree_.reserve(file.line_count());
  }

  ParseResult run() {
    if (options_.keep_tokens) all_tokens_.reserve(file_.text().size() / 4 + 16);  // about one per four bytes
    while (fetch(0)) {
      const Line line = lines_[head_];
      if (!template_line(line)) handle_line(value_tokens(line));
      ++head_;
    }
    if (template_.lines > 0) {
      auto& d = report(slug::kTemplateFile, template_.first,
                       fmt::format("this file is a template ({}); lint its rendered output. {} template line{} "
                                   "skipped",
                                   template_.kind, template_.lines, template_.lines == 1 ? " was" : "s were"));
      d.severity = Severity::Warning;
    }
    close_all_at_end();
    tree_.mutable_node(tree_.root()).span = {0, static_cast<uint32_t>(file_.text().size())};
    if (options_.keep_tokens) tree_.set_tokens(std::move(all_tokens_));
    // The lexer's findings come first, as when the whole file was lexed before parsing.
    lex_diagnostics_.insert(lex_diagnostics_.end(), std::make_move_iterator(diagnostics_.begin()),
                            std::make_move_iterator(diagnostics_.end()));
    return {std::move(tree_), std::move(lex_diagnostics_)};
  }

 private:
  struct Open {
    NodeId node;
    bool brace;
  };
  struct Line {
    uint32_t first, end;  // its value tokens (no trivia): value_tokens_[first, end)
    Span span;            // the whole line without its newline
  };
  using Tokens = std::span<const Token>;
  Tokens value_tokens(const Line& line) const {
    return Tokens(value_tokens_).subspan(line.first, line.end - line.first);
  }

  // Lines are lexed as they are read; a broken regular expression looks a few lines ahead.
  // Whether the line `ahead` lines after the current one exists, lexing up to it. The buffers
  // hold only the lines not yet read, so they stay a few lines long.
  bool fetch(size_t ahead) {
    if (head_ == lines_.size()) {
      lines_.clear();
      value_tokens_.clear();
      head_ = 0;
    }
    while (head_ + ahead >= lines_.size()) {
      if (lexer_.done()) return false;
      line_buffer_.clear();
      const Span span = lexer_.next_line(line_buffer_);
      const auto first = static_cast<uint32_t>(value_tokens_.size());
      for (const Token& t : line_buffer_) {
        if (t.kind == TokenKind::Comment) tree_.add_comment({t.span, value_tokens_.size() > first});
        else if (!is_trivia(t.kind)) value_tokens_.push_back(t);
      }
      lines_.push_back({first, static_cast<uint32_t>(value_tokens_.size()), span});
      if (options_.keep_tokens) all_tokens_.insert(all_tokens_.end(), line_buffer_.begin(), line_buffer_.end());
    }
    return true;
  }
  struct TemplateLines {
    size_t lines = 0;
    Span first;
    std::string_view kind;
  };

  // Template lines (`{{#each vmtas}}`, `{% for %}`, `smtp-source-host {{ip}} {{host}}`) are
  // skipped; a tag line keeps its block, so the lines inside are still read where they belong.
  bool template_line(const Line& whole) {
    const std::string_view raw = text(whole.span);
    if (!has_template_syntax(raw)) return false;
    const Tokens tokens = value_tokens(whole);
    if (template_.lines++ == 0) {
      template_.first = tokens.empty() ? whole.span : Span{(tokens.front()).span.begin, whole.span.end};
      template_.kind = raw.find("{%") != std::string_view::npos ? "Jinja {% %}"
                       : raw.find("{{") != std::string_view::npos ? "Handlebars/Jinja {{ }}"
                                                                  : "${…} variables";
    }
    if (tokens.empty()) return true;
    const TokenKind first = (tokens.front()).kind;
    if (first == TokenKind::TagCloseOpen) return false;
    if (first == TokenKind::TagOpen) {
      const std::string_view after = raw.substr(raw.find('<') + 1);
      // `<{{tag}}>` or `<% … %>`: no block name to keep.
      return after.empty() || !(after[0] == '_' || ((after[0] | 0x20) >= 'a' && (after[0] | 0x20) <= 'z'));
    }
    continuing_ = kNoNode;
    return true;
  }

  // The closing '/' of a regular expression starting at `at` (its opening '/'), or npos.
  static size_t closing_slash(std::string_view s, size_t at) {
    for (size_t i = at + 1; i < s.size(); ++i) {
      if (s[i] == '\\') ++i;
      else if (s[i] == '/') return i;
    }
    return std::string_view::npos;
  }

  // A `reply /…`, `mail-from /…` or `/…/ category` line whose regular expression is not closed on
  // its line, when a following line (blank lines between allowed) closes it: the user broke the
  // pattern over lines. Those lines belong to this directive (its span grows over them, its value
  // does not: PMTA reads one line); they are not directives of their own.
  void absorb_broken_regex(NodeId id, Span line_span) {
    const std::string_view line = text(line_span);
    const size_t open = line.find('/');
    if (open == std::string_view::npos || closing_slash(line, open) != std::string_view::npos) return;
    size_t seen = 0;
    for (size_t ahead = 1; seen < 3 && fetch(ahead); ++ahead) {
      const Tokens candidate = value_tokens(lines_[head_ + ahead]);
      if (candidate.empty()) continue;
      ++seen;
      if ((candidate.front()).kind != TokenKind::Word) return;
      const std::string_view first = tok_text(candidate.front());
      for (std::string_view keyword : {"reply", "mail-from", "rcpt-to", "header", "include", "mx", "*"})
        if (iequals(first, keyword)) return;
      if (first.starts_with('/')) return;
      const Span words{(candidate.front()).span.begin, (candidate.back()).span.end};
      const std::string_view rest = text(words);
      bool closes = false;
      for (size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '\\') ++i;
        else if (rest[i] == '/') { closes = true; break; }
      }
      if (!closes) continue;
      Node& node = tree_.mutable_node(id);
      node.span.end = words.end;
      extend_to(node.parent, words.end);
      head_ += ahead;  // the lines up to here are read
      return;
    }
  }

  std::string_view text(Span span) const { return file_.slice(span); }
  std::string_view tok_text(const Token& token) const { return text(token.span); }

  Diagnostic& report(std::string_view rule, Span span, std::string message) {
    diagnostics_.push_back({rule, Severity::Error, {id_, span}, std::move(message), {}, {}});
    return diagnostics_.back();
  }
  void note(Diagnostic& d, Span span, std::string message) { d.notes.push_back({{id_, span}, std::move(message)}); }

  NodeId current() const { return stack_.empty() ? tree_.root() : stack_.back().node; }

  void handle_line(Tokens line) {
    if (line.empty()) {
      continuing_ = kNoNode;
      return;
    }
    const TokenKind first = (line[0]).kind;
    if (continuing_ != kNoNode && is_value_token(first)) {
      continue_directive(line);
      return;
    }
    continuing_ = kNoNode;
    if (first == TokenKind::TagOpen) open_tag(line);
    else if (first == TokenKind::TagCloseOpen) close_tag(line);
    else directive(line);
  }

  // The parts of a tag line: name, argument words, the '>' and anything after it.
  struct TagParts {
    int name = -1;  // index into the line
    Tokens args;
    int end = -1;
    Tokens trailing;
    Span span;  // from '<' to '>' (or to the last tag word when '>' is missing)
  };

  TagParts split_tag(Tokens line) {
    TagParts parts;
    size_t i = 1;
    if (i < line.size() && (line[i]).kind == TokenKind::Word) parts.name = static_cast<int>(i++);
    const size_t args_from = i;
    while (i < line.size() && (line[i]).kind != TokenKind::TagEnd) ++i;
    parts.args = line.subspan(args_from, i - args_from);
    if (i < line.size()) parts.end = static_cast<int>(i++);
    parts.trailing = line.subspan(i);
    uint32_t tag_end = (line[0]).span.end;
    if (parts.end >= 0) tag_end = (line[parts.end]).span.end;
    else if (!parts.args.empty()) tag_end = (parts.args.back()).span.end;
    else if (parts.name >= 0) tag_end = (line[parts.name]).span.end;
    parts.span = {(line[0]).span.begin, tag_end};
    return parts;
  }

  Span args_span(Tokens args) const {
    if (args.empty()) return {};
    return {(args.front()).span.begin, (args.back()).span.end};
  }

  // Checks shared by opening and closing tags; returns false when the line is no usable tag.
  bool check_tag_shape(Tokens line, const TagParts& parts, bool closing) {
    const std::string_view opener = closing ? "</" : "<";
    if (parts.name < 0) {
      report(slug::kSyntaxError, parts.span, fmt::format("empty tag: '{}' must be followed by a block name", opener));
      return false;
    }
    if ((line[parts.name]).span.begin != (line[0]).span.end)
      report(slug::kSyntaxError, parts.span, fmt::format("no space is allowed between '{}' and the block name", opener));
    if (parts.end < 0)
      report(slug::kSyntaxError, parts.span,
             fmt::format("tag '{}{}' is missing its closing '>'", opener, tok_text(line[parts.name])));
    return true;
  }

  void open_tag(Tokens line) {
    TagParts parts = split_tag(line);
    if (!check_tag_shape(line, parts, false)) return;
    const Span name_span = (line[parts.name]).span;
    const std::string_view name = text(name_span);
    if (name.ends_with('/') || (!parts.args.empty() && tok_text(parts.args.back()).ends_with('/'))) {
      report(slug::kForeignSyntax, parts.span,
             "'<name/>' is XML; PMTA blocks always end with a separate '</name>' line");
      return;
    }
    if (!parts.trailing.empty()) {
      const Span rest = args_span(parts.trailing);
      if (text(rest).find("</") != std::string_view::npos) {
        xml_element(parts, name_span, rest);
        return;
      }
      report(slug::kSyntaxError, rest, "text after a tag: a tag must stand alone on its line");
    }
    if (parts.args.size() > 1 && !tok_text(parts.args.front()).starts_with('|'))
      report(slug::kSyntaxError, args_span(parts.args),
             fmt::format("'<{}>' takes one argument, found {}; only a '|command' argument may contain spaces",
                         name, parts.args.size()));
    close_implied_by(name, parts.span);
    if (stack_.size() >= kMaxBlockDepth) {
      if (!depth_reported_)
        report(slug::kSyntaxError, parts.span,
               fmt::format("blocks are nested more than {} deep; deeper tags are ignored", kMaxBlockDepth));
      depth_reported_ = true;
      ++ignored_depth_;
      return;
    }
    Node node;
    node.kind = NodeKind::Block;
    node.span = {parts.span.begin, parts.span.end};
    node.head = parts.span;
    node.name = name_span;
    node.argument = args_span(parts.args);
    stack_.push_back({tree_.add(current(), node), false});
  }

  // A block never contains another of its own kind, and top-level-only tags cannot be nested:
  // either means the blocks still open were never closed.
  void close_implied_by(std::string_view name, Span tag) {
    size_t keep = stack_.size();
    const bool top_level = options_.top_level_only && options_.top_level_only(name);
    for (size_t depth = 0; depth < stack_.size(); ++depth) {
      if (stack_[depth].brace) continue;
      if (top_level || iequals(text(tree_.node(stack_[depth].node).name), name)) {
        keep = depth;
        break;
      }
    }
    while (stack_.size() > keep) {
      const Node& open = tree_.node(stack_.back().node);
      if (!stack_.back().brace) {
        auto& d = report(slug::kUnclosedBlock, open.head,
                         fmt::format("'<{}>' is never closed; add '</{}>' before the next '<{}>'", text(open.name),
                                     text(open.name), name));
        note(d, tag, fmt::format("'<{}>' cannot be nested here, so the open block must have ended", name));
      }
      close_top(Span{tag.begin, tag.begin});
    }
  }

  // `<max-cpu-usage>90</max-cpu-usage>`: kept as a directive so that later stages can say
  // what the real directive is.
  void xml_element(const TagParts& parts, Span name_span, Span rest) {
    const std::string_view rest_text = text(rest);
    const size_t close = rest_text.find("</");
    Node node;
    node.kind = NodeKind::Directive;
    node.foreign = Foreign::XmlElement;
    node.name = name_span;
    node.span = node.head = {parts.span.begin, rest.end};
    uint32_t value_end = rest.begin + static_cast<uint32_t>(close);
    while (value_end > rest.begin && (file_.text()[value_end - 1] == ' ' || file_.text()[value_end - 1] == '\t'))
      --value_end;
    node.argument = {rest.begin, value_end};
    const NodeId id = tree_.add(current(), node);
    const Word value{node.argument, false};
    if (!node.argument.empty()) tree_.add_words(id, std::span(&value, 1));
    report(slug::kForeignSyntax, node.span,
           fmt::format("'<{0}>value</{0}>' is XML, not PMTA syntax; a setting is written as one line: '{0} value'",
                       text(name_span)));
  }

  void close_tag(Tokens line) {
    TagParts parts = split_tag(line);
    if (!check_tag_shape(line, parts, true)) return;
    const std::string_view name = tok_text(line[parts.name]);
    if (!parts.trailing.empty())
      report(slug::kSyntaxError, args_span(parts.trailing), "text after a closing tag: it must stand alone on its line");
    if (ignored_depth_ > 0) {
      --ignored_depth_;
      return;
    }
    if (stack_.empty()) {
      report(slug::kStrayCloseTag, parts.span, fmt::format("'</{}>' closes nothing: no block is open here", name));
      return;
    }
    const Node& top = tree_.node(stack_.back().node);
    if (iequals(text(top.name), name)) {
      check_close_argument(parts, stack_.back().node);
      close_top(parts.span);
      return;
    }
    for (size_t depth = stack_.size(); depth-- > 0;) {
      const Node& open = tree_.node(stack_[depth].node);
      if (!iequals(text(open.name), name)) continue;
      while (stack_.size() > depth + 1) {
        const Node& inner = tree_.node(stack_.back().node);
        auto& d = report(slug::kUnclosedBlock, inner.head,
                         fmt::format("'<{}>' is never closed; add '</{}>' before the enclosing block ends",
                                     text(inner.name), text(inner.name)));
        note(d, parts.span, fmt::format("the enclosing '<{}>' is closed here", name));
        close_top(Span{parts.span.begin, parts.span.begin});
      }
      check_close_argument(parts, stack_.back().node);
      close_top(parts.span);
      return;
    }
    // No open block has this name. A near miss of the innermost name is a typo that closes it;
    // anything else is a stray tag, and the open block stays open.
    const std::string_view top_name = text(top.name);
    if (edit_distance(name, top_name, 2) <= 2) {
      auto& d = report(slug::kMismatchedCloseTag, parts.span,
                       fmt::format("'</{}>' does not match the open block '<{}>'", name, top_name));
      note(d, top.head, fmt::format("'<{}>' is opened here", top_name));
      close_top(parts.span);
      return;
    }
    auto& d = report(slug::kStrayCloseTag, parts.span,
                     fmt::format("'</{}>' closes nothing: the innermost open block is '<{}>'", name, top_name));
    note(d, top.head, fmt::format("'<{}>' is opened here", top_name));
  }

  void check_close_argument(const TagParts& parts, NodeId open) {
    if (parts.args.empty()) return;
    const Node& node = tree_.node(open);
    const Span given = args_span(parts.args);
    if (iequals(text(given), text(node.argument))) return;  // `</domain-key-list NAME>` is accepted
    auto& d = report(slug::kMismatchedCloseTag, parts.span,
                     fmt::format("closing tag names '{}' but the block was opened as '<{} {}>'", text(given),
                                 text(node.name), text(node.argument)));
    note(d, node.head, "the block is opened here");
  }

  void close_top(Span close) {
    Node& node = tree_.mutable_node(stack_.back().node);
    node.close = close;
    node.span.end = std::max(node.span.end, close.end);
    const NodeId closed = stack_.back().node;
    stack_.pop_back();
    extend_to(current(), tree_.node(closed).span.end);
  }

  void extend_to(NodeId block, uint32_t end) {
    if (block == tree_.root()) return;
    Node& n = tree_.mutable_node(block);
    n.span.end = std::max(n.span.end, end);
  }

  void close_all_at_end() {
    const auto end = static_cast<uint32_t>(file_.text().size());
    while (!stack_.empty()) {
      const Node& node = tree_.node(stack_.back().node);
      if (!stack_.back().brace) {
        auto& d = report(slug::kUnclosedBlock, node.head,
                         fmt::format("'<{}>' is never closed; add '</{}>'", text(node.name), text(node.name)));
        note(d, {end, end}, "the file ends here");
      }
      tree_.mutable_node(stack_.back().node).span.end = end;
      stack_.pop_back();
    }
  }

  void directive(Tokens line) {
    std::vector<Word>& words = words_;
    words.clear();
    for (const Token& t : line) words.push_back({t.span, t.kind == TokenKind::Quoted});
    const Span line_span{words.front().span.begin, words.back().span.end};
    const std::string_view first = text(words.front().span);

    if (first == "}") {
      report(slug::kForeignSyntax, words.front().span, "'}' is not PMTA syntax: blocks end with a '</name>' line");
      if (!stack_.empty() && stack_.back().brace) close_top(words.front().span);
      return;
    }
    if (!words.back().quoted && text(words.back().span).ends_with('{')) {
      brace_block(words, line_span);
      return;
    }
    trailing_semicolon(words);
    Node node;
    node.kind = NodeKind::Directive;
    node.span = node.head = line_span;
    node.name = words.front().span;
    size_t values_from = 1;
    assignment(words, node, values_from);
    std::span<const Word> values = std::span<const Word>(words).subspan(std::min(values_from, words.size()));
    while (!values.empty() && values.back().span.empty()) values = values.first(values.size() - 1);
    if (!values.empty()) node.argument = {values.front().span.begin, values.back().span.end};
    const NodeId id = tree_.add(current(), node);
    tree_.add_words(id, values);
    extend_to(current(), line_span.end);
    if (!values.empty() && !values.back().quoted && text(values.back().span).ends_with(',')) continuing_ = id;
    else if (node.foreign == Foreign::None &&
             (first.starts_with('/') || ((iequals(first, "reply") || iequals(first, "mail-from") || iequals(first, "rcpt-to")) &&
                                         !values.empty() && text(values.front().span).starts_with('/'))))
      absorb_broken_regex(id, line_span);
  }

  // `key = value`, `key=value`, `key: value`: report, then read it as `key value` so that the
  // keyword can still be checked.
  void assignment(std::vector<Word>& words, Node& node, size_t& values_from) {
    const Span first = words.front().span;
    const std::string_view key = text(first);
    const size_t eq = key.find('=');
    std::string_view separator;
    if (eq != std::string_view::npos && eq > 0) {
      node.name = {first.begin, first.begin + static_cast<uint32_t>(eq)};
      separator = "=";
      if (eq + 1 < key.size()) {  // `key=value`: the value is the rest of the first word
        words.front().span.begin += static_cast<uint32_t>(eq + 1);
        values_from = 0;
      }
    } else if (words.size() > 1 && text(words[1].span).starts_with('=') && !words[1].quoted) {
      separator = "=";
      if (text(words[1].span).size() == 1) values_from = 2;
      else words[1].span.begin += 1;
    } else if (key.size() > 1 && key.ends_with(':')) {
      node.name = {first.begin, first.end - 1};
      separator = ":";
    }
    if (separator.empty()) return;
    node.foreign = Foreign::Assignment;
    const std::string_view gap = separator == ":" ? "" : " ";
    report(slug::kForeignSyntax, node.head,
           fmt::format("'{0}{2}{1} value' is not PMTA syntax: a setting is written 'keyword value', with no '{1}'",
                       text(node.name), separator, gap));
  }

  void trailing_semicolon(std::vector<Word>& words) {
    Word& last = words.back();
    if (last.quoted || !text(last.span).ends_with(';')) return;
    const Span semicolon{last.span.end - 1, last.span.end};
    auto& d = report(slug::kForeignSyntax, semicolon, "PMTA lines do not end with ';'");
    d.fix = Fix{"remove the ';'", {TextEdit{{id_, semicolon}, ""}}, /*safe=*/false};
    last.span.end -= 1;
    if (last.span.empty()) words.pop_back();
    if (words.empty()) words.push_back(Word{semicolon, false});
  }

  // `domain example.com {` — opened as a block named by the first word so that its contents
  // are still checked where they were meant to be.
  void brace_block(const std::vector<Word>& words, Span line_span) {
    Node node;
    node.kind = NodeKind::Block;
    node.foreign = Foreign::BraceBlock;
    node.span = node.head = line_span;
    Span name = words.front().span;
    if (text(name).ends_with('{')) name.end -= 1;
    node.name = name;
    if (words.size() > 2) node.argument = {words[1].span.begin, words[words.size() - 2].span.end};
    const std::string_view shown = text(name).empty() ? std::string_view("name") : text(name);
    report(slug::kForeignSyntax, line_span,
           fmt::format("'{{ … }}' blocks are not PMTA syntax: write '<{0}{1}{2}>' … '</{0}>'", shown,
                       node.argument.empty() ? "" : " ", text(node.argument)));
    if (stack_.size() >= kMaxBlockDepth) {
      ++ignored_depth_;
      return;
    }
    stack_.push_back({tree_.add(current(), node), true});
  }

  void continue_directive(Tokens line) {
    std::vector<Word>& words = words_;
    words.clear();
    for (const Token& t : line) {
      if (!is_value_token(t.kind)) break;
      words.push_back({t.span, t.kind == TokenKind::Quoted});
    }
    const NodeId id = continuing_;
    const Span added{words.front().span.begin, words.back().span.end};
    tree_.add_words(id, words);
    tree_.continue_value(id, added);
    Node& node = tree_.mutable_node(id);
    node.span.end = node.head.end = added.end;
    extend_to(node.parent, added.end);
    if (words.back().quoted || !text(words.back().span).ends_with(',')) continuing_ = kNoNode;
  }

  const SourceFile& file_;
  FileId id_;
  const ParseOptions& options_;
  Tree tree_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<Open> stack_;
  size_t ignored_depth_ = 0;
  bool depth_reported_ = false;
  NodeId continuing_ = kNoNode;
  std::vector<Diagnostic> lex_diagnostics_;
  LineLexer lexer_;
  std::vector<Token> line_buffer_;   // every token of the line being lexed
  std::vector<Token> all_tokens_;    // the lossless token vector, when kept
  std::vector<Line> lines_;          // lexed lines not yet read, from head_ on
  std::vector<Token> value_tokens_;  // their value tokens
  size_t head_ = 0;
  std::vector<Word> words_;  // the line being read: one buffer for all lines
  TemplateLines template_;
};

}  // namespace

ParseResult parse(const SourceFile& file, FileId id, const ParseOptions& options) {
  return Parser(file, id, options).run();
}

}  // namespace pmtalint
