#!/usr/bin/env bash
# tools/new-rule on a scratch copy of the sources: the rule file, the registry and the CMake
# list it writes must compile (syntax and types checked with the project's flags), and a taken
# slug or code must be refused.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/tests/fixtures"
cp -r "$repo/lib" "$scratch/lib"
cp -r "$repo/tests/fixtures/rules" "$scratch/tests/fixtures/rules"
"$repo/tools/new-rule" --root "$scratch" sample-check PMT0999 warning "A sample rule" >/dev/null
flags=(-std=c++23 -fsyntax-only -I "$scratch/lib" -I "$repo/build/lib")
g++ "${flags[@]}" "$scratch/lib/checks/rules/sample_check.cpp"
g++ "${flags[@]}" "$scratch/lib/checks/registry.cpp"
grep -q '&kSampleCheck,' "$scratch/lib/checks/registry.cpp"
grep -q 'checks/rules/sample_check.cpp' "$scratch/lib/CMakeLists.txt"
test -f "$scratch/tests/fixtures/rules/sample-check.conf"
if "$repo/tools/new-rule" --root "$scratch" sample-check PMT0998 warning "again" 2>/dev/null; then
  echo "FAIL: a slug that exists was scaffolded again"; exit 1
fi
if "$repo/tools/new-rule" --root "$scratch" other-check PMT0202 warning "taken code" 2>/dev/null; then
  echo "FAIL: a code in use was given out again"; exit 1
fi
echo "new-rule: passed"
