#include <catch2/catch.hpp>

#include "base/text.h"
#include "syntax/source_file.h"

using namespace pmtalint;

TEST_CASE("edit distance is case-insensitive and bounded") {
  CHECK(edit_distance("domain", "domian", 3) == 2);
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
