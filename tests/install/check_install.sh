#!/usr/bin/env bash
# `cmake --install` puts the command, man page, completions, headers and CMake package in
# place; a separate project builds against the installed library; CPack makes two .deb
# packages: pmtalint (stripped command, man page, completions, docs; Depends computed by
# dpkg-shlibdeps) and pmtalint-dev (headers, static library, CMake package). The runtime package
# is installed into an empty root with dpkg --root and run from there, and every DT_NEEDED
# library of its binary must belong to a package its Depends names.
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

mkdir "$scratch/debs"
(cd "$scratch/debs" && cpack -G DEB --config "$build/CPackConfig.cmake" >/dev/null)
runtime=$(ls "$scratch"/debs/pmtalint_*.deb 2>/dev/null | head -n 1)
dev=$(ls "$scratch"/debs/pmtalint-dev_*.deb 2>/dev/null | head -n 1)
check "cpack builds pmtalint and pmtalint-dev" "[ -n \"$runtime\" ] && [ -n \"$dev\" ]"
runtime_files=$(dpkg-deb -c "$runtime")
dev_files=$(dpkg-deb -c "$dev")
check "runtime: command, man page, completions, docs" \
  "grep -q '\./usr/bin/pmtalint\$' <<<\"\$runtime_files\" && grep -q 'man1/pmtalint.1' <<<\"\$runtime_files\" &&
   grep -q 'bash-completion/completions/pmtalint' <<<\"\$runtime_files\" && grep -q 'zsh/vendor-completions/_pmtalint' <<<\"\$runtime_files\" &&
   grep -q 'doc/pmtalint/copyright' <<<\"\$runtime_files\" && grep -q 'doc/pmtalint/rules/open-relay.md' <<<\"\$runtime_files\""
check "runtime: no headers, library or CMake package" "! grep -qE '\.h\$|\.a\$|cmake/' <<<\"\$runtime_files\""
check "dev: headers, static library, CMake package" \
  "grep -q 'include/pmtalint/checks/lint.h' <<<\"\$dev_files\" && grep -q 'libpmtalint_core.a' <<<\"\$dev_files\" &&
   grep -q 'cmake/pmtalint/pmtalintConfig.cmake' <<<\"\$dev_files\" && ! grep -q 'bin/pmtalint' <<<\"\$dev_files\""

dpkg-deb -x "$runtime" "$scratch/extracted"
binary=$scratch/extracted/usr/bin/pmtalint
check "runtime: the binary is stripped (no symbol table, no debug sections)" \
  "! readelf -S \"$binary\" | grep -qE '\.symtab|\.debug_'"
depends=$(dpkg-deb -f "$runtime" Depends)
echo "     Depends: $depends"
depends_names=$(sed 's/ ([^)]*)//g; s/ *| */\n/g; s/, */\n/g' <<<"$depends")  # one package name a line
echo "     Installed-Size: $(dpkg-deb -f "$runtime" Installed-Size) KiB (pmtalint), $(dpkg-deb -f "$dev" Installed-Size) KiB (pmtalint-dev)"
# Each library the binary needs, found as ld.so would, belongs to a Debian package in Depends.
missing=""
for lib in $(readelf -d "$binary" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64|x86_64|64bit/ { print $NF; exit }')
  [ -n "$path" ] || path=$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')
  owner=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n 1 | cut -d: -f1) || true
  [ -n "$owner" ] || owner=$(dpkg -S "$path" 2>/dev/null | head -n 1 | cut -d: -f1) || true
  echo "     $lib -> ${owner:-?}"
  if [ -z "$owner" ] || ! grep -qxF "$owner" <<<"$depends_names"; then missing="$missing $lib"; fi
done
check "every DT_NEEDED library maps to a package in Depends (missing:${missing:- none})" "[ -z \"$missing\" ]"

# dpkg --root into an empty root: the package unpacks and registers on its own. Its Depends are
# checked above; the root has none of them installed, so only those are forced.
root=$scratch/root
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/lib/dpkg/triggers"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
check "dpkg --root installs the runtime package into an empty root" \
  "dpkg --root=\"$root\" --force-depends --force-script-chrootless --log=/dev/null -i \"$runtime\" >/dev/null 2>&1 &&
   dpkg --root=\"$root\" -s pmtalint 2>/dev/null | grep -q '^Status: install ok installed'"
check "the installed command runs (libraries from the host, as Depends would provide)" \
  "\"$root/usr/bin/pmtalint\" config \"$source_dir/tests/cli/cases/clean.conf\" >/dev/null"
check "the installed man page and rule pages are in place" \
  "[ -f \"$root/usr/share/man/man1/pmtalint.1\" ] || [ -f \"$root/usr/share/man/man1/pmtalint.1.gz\" ]"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
