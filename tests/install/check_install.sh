#!/usr/bin/env bash
# `cmake --install` puts the command, man page, completions, headers and CMake package in
# place; a separate project builds against the installed library; CPack makes a .deb holding
# the command.
set -euo pipefail
build=$1
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0
check() { if eval "$2"; then echo "ok   $1"; passed=$((passed + 1)); else echo "FAIL $1"; failed=$((failed + 1)); fi; }

cmake --install "$build" --prefix "$scratch/prefix" >/dev/null
p=$scratch/prefix
check "binary installed and runs" "[ \"\$($p/bin/pmtalint --version)\" != '' ]"
check "man page installed" "[ -f $p/share/man/man1/pmtalint.1 ]"
check "bash completion installed" "[ -f $p/share/bash-completion/completions/pmtalint ]"
check "zsh completion installed" "[ -f $p/share/zsh/vendor-completions/_pmtalint ]"
check "headers installed" "[ -f $p/include/pmtalint/checks/lint.h ]"
check "CMake package installed" "[ -f $p/lib/cmake/pmtalint/pmtalintConfig.cmake ] || [ -f $p/lib/x86_64-linux-gnu/cmake/pmtalint/pmtalintConfig.cmake ]"

cmake -S "$source_dir/tests/install/consumer" -B "$scratch/consumer" -DCMAKE_PREFIX_PATH="$p" >/dev/null
cmake --build "$scratch/consumer" >/dev/null
check "a consumer project links the library and lints" "[ \"\$($scratch/consumer/consumer)\" = 1 ]"

(cd "$scratch" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null)
deb=$(ls "$scratch"/*.deb 2>/dev/null | head -n 1)
check "cpack builds a .deb" "[ -n \"$deb\" ]"
listing=$(dpkg-deb -c "$deb")
check "the .deb holds the command and the man page" "grep -q './usr/bin/pmtalint' <<<\"\$listing\" && grep -q 'man1/pmtalint.1' <<<\"\$listing\""
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
