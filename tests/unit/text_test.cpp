#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "base/absolute_path.h"
#include "base/output_file.h"
#include "base/text.h"
#include "syntax/source_file.h"

using namespace pmtalint;

TEST_CASE("edit distance is case-insensitive and bounded") {
  CHECK(edit_distance("domain", "domian", 3) == 1);  // one transposition
  CHECK(edit_distance("bluk", "bulk", 3) == 1);
  CHECK(edit_distance("ca", "abc", 3) == 3);  // optimal string alignment, not full Damerau
  CHECK(edit_distance("DOMAIN", "domain", 3) == 0);
  CHECK(edit_distance("a", "abcdefgh", 3) == 4);
}

TEST_CASE("positions are 1-based lines and byte columns") {
  SourceFile f("f", "ab\r\ncd\n\nx");
  CHECK(f.position(0).line == 1);
  CHECK(f.position(4).line == 2);
  CHECK(f.position(5).column == 2);
  CHECK(f.position(8).line == 4);
  CHECK(f.line_text(1) == "ab");
  CHECK(f.line_text(3).empty());
  CHECK(f.line_count() == 4);
}

#include "checks/secrets.h"

TEST_CASE("secret keywords and their misspellings and credential-like names are secret") {
  for (auto k : {"password", "PASSWORD", "pasword", "auth-password", "auth_pass", "api-key", "http-api-keys", "smtp-token"}) {
    INFO(k);
    CHECK(is_secret_directive(k));
  }
  for (auto k : {"postmaster", "domain-key", "max-smtp-out", "host-name", "records"}) {
    INFO(k);
    CHECK(!is_secret_directive(k));
  }
}

TEST_CASE("UTF-8 sequences are measured strictly") {
  CHECK(utf8_sequence_length("a") == 1);
  CHECK(utf8_sequence_length("\xC3\xA9") == 2);
  CHECK(utf8_sequence_length("\xE4\xBE\x8B") == 3);
  CHECK(utf8_sequence_length("\xF0\x9F\x98\x80") == 4);
  CHECK(utf8_sequence_length("\xC0\xAF") == 0);          // overlong
  CHECK(utf8_sequence_length("\xED\xA0\x80") == 0);      // surrogate
  CHECK(utf8_sequence_length("\xE4\xBE") == 0);          // truncated
  CHECK(utf8_sequence_length("\xFF") == 0);
  CHECK(utf8_sequence_length("") == 0);
  CHECK(trim(" \t a b \t") == "a b");
}

TEST_CASE("printable escapes C0, DEL, C1 and invalid UTF-8 and keeps valid UTF-8") {
  CHECK(printable("plain é ✓") == "plain é ✓");
  CHECK(printable("a\x1b]0;t\x07z") == "a\\x1B]0;t\\x07z");
  CHECK(printable(std::string_view("n\0l\n\x7f", 5)) == "n\\x00l\\x0A\\x7F");
  CHECK(printable("c1 \xc2\x9b" "31m") == "c1 \\xC2\\x9B31m");
  CHECK(printable("bad \xff") == "bad \\xFF");
  CHECK(printable("keep\ttab\n", "\t\n") == "keep\ttab\n");
  CHECK(xml_escape("<a href=\"x\">&'\x1b") == "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\\x1B");
}

TEST_CASE("refuse_if_input compares device and inode through symlinks, write_output_file writes through links") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / fs::path("pmtalint-output-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string input = (dir / "w.json").string(), link = (dir / "link.svg").string(), fresh = (dir / "new.svg").string();
  REQUIRE(write_output_file(input, "{}"));
  fs::create_symlink("w.json", link);
  const std::vector<InputFile> inputs{{input, "the workload"}};
  CHECK(!refuse_if_input("--plot", input, inputs));
  CHECK(!refuse_if_input("--plot", link, inputs));
  CHECK(refuse_if_input("--plot", fresh, inputs));
  const std::vector<FileKey> keys{*file_key(input)};
  CHECK(!refuse_if_input("--plot", link, {}, keys));
  fs::remove(link);
  const std::string target = (dir / "target.svg").string();
  REQUIRE(write_output_file(target, "old"));
  fs::create_symlink("target.svg", link);
  REQUIRE(write_output_file(link, "<svg/>"));
  CHECK(fs::is_symlink(link));
  std::ifstream in(target);
  CHECK(std::string(std::istreambuf_iterator<char>(in), {}) == "<svg/>");
  fs::remove_all(dir);
}

TEST_CASE("absolute_path spells a path as the file system's normal form does, with or without its shortcut") {
  for (const std::string path : {"/etc/pmta/config", "/", "/etc/pmta/", "/etc//pmta/config", "/etc/./pmta", "/etc/pmta/..",
                                 "/etc/pmta/.", "/etc/../pmta/conf.d/a.conf", "/a/.hidden/b", "/a/..b/c", "/a/b../c",
                                 "relative/config", "./config", "../config", "config"}) {
    INFO(path);
    std::error_code ec;
    CHECK(absolute_path(path) == std::filesystem::absolute(path, ec).lexically_normal().string());
  }
}
