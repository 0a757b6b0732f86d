// The language server's message parser must give exactly what nlohmann::json::parse gives,
// valid or not: long strings take a fast path, everything else does not.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "lsp/message_json.h"

namespace pmtalint::lsp {
namespace {

using nlohmann::json;

// "ok:<dump>" or "error" for comparison.
std::string outcome(const std::function<json()>& parse) {
  try {
    return "ok:" + parse().dump();
  } catch (const json::parse_error&) {
    return "error";
  }
}

void same(const std::string& body) {
  INFO(body.substr(0, 200));
  CHECK(outcome([&] { return parse_message(body); }) == outcome([&] { return json::parse(body); }));
}

std::string did_open(const std::string& escaped_text) {
  return R"({"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///c","version":1,"text":")" +
         escaped_text + R"("}}})";
}

}  // namespace

TEST_CASE("long strings in a message parse as nlohmann parses them") {
  const std::string line = R"(<domain example.com>\n  max-smtp-out 5 # caf\u00e9 \ud83d\ude00 \"q\" \\ \/ \t\r\n</domain>\n)";
  std::string text;
  while (text.size() < 20000) text += line;
  same(did_open(text));
  same(did_open(text + "é😀"));                               // raw UTF-8
  same(did_open(text + "\\ud83d"));                          // lone high surrogate
  same(did_open(text + "\\ude00x"));                         // lone low surrogate
  same(did_open(text + "\\x"));                              // bad escape
  same(did_open(text + "\\u12G4"));                          // bad hex
  same(did_open(text + std::string(1, '\x01')));             // control character
  same(did_open(text + "\xC3"));                             // truncated UTF-8
  same(did_open(text + "\xED\xA0\x80"));                     // UTF-8 encoded surrogate
  same(did_open(text) + " ");                                // trailing blank
  same(did_open(text).substr(0, 15000));                     // cut inside the string
  same(did_open(text) + "}");                                // trailing garbage
  // A long key stays a key; several long values in one message; a placeholder look-alike.
  same("{\"" + std::string(5000, 'k') + "\" : \"" + std::string(5000, 'v') + "\"}");
  same(R"({"contentChanges":[{"text":")" + text + R"("},{"text":")" + text + R"(x"}]})");
  same(R"({"a":"\u0001pmtalint-long-string-0","b":")" + text + "\"}");
  same(R"({"a":"\u0001pmtalint-long-string-1","b":")" + text + "\"}");
}

TEST_CASE("random damage to a message never makes the fast path differ") {
  std::string text;
  while (text.size() < 6000) text += R"(max-msg-rate 10/h \u00e9\n)";
  const std::string body = did_open(text);
  std::mt19937 random(7);
  const std::string alphabet = "\"\\u0dD8{}[]:,x \n\x01\xC3\xA9";
  for (int i = 0; i < 300; ++i) {
    std::string damaged = body;
    for (int k = 0; k < 3; ++k) damaged[random() % damaged.size()] = alphabet[random() % alphabet.size()];
    same(damaged);
  }
}

TEST_CASE("nesting depth counts arrays and objects, not brackets inside strings") {
  CHECK(nesting_depth(R"({"a": 1})") == 1);
  CHECK(nesting_depth(R"({"a": [1, {"b": []}]})") == 4);
  CHECK(nesting_depth(R"({"text": "[[[[{{{{\"]]]]"})") == 1);
  CHECK(nesting_depth(std::string(100, '[') + std::string(100, ']')) == 100);
  CHECK(nesting_depth("]]]] [ ]") == 1);  // stray closers do not go below zero
}

}  // namespace pmtalint::lsp
