#!/usr/bin/env bash
# Entry of the `pmtalint-build` pre-commit hook: pre-commit runs it from its clone of this
# repository; the first run builds pmtalint there (incrementally afterwards), then lints.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x "$here/build/tools/pmtalint/pmtalint" ] || [ -n "$(find "$here/lib" "$here/tools" "$here/schemas" -newer "$here/build/tools/pmtalint/pmtalint" -type f -print -quit)" ]; then
  cmake -S "$here" -B "$here/build" -DCMAKE_BUILD_TYPE=Release -DPMTALINT_BUILD_TESTS=OFF >/dev/null
  cmake --build "$here/build" --target pmtalint -j "$(nproc)" >/dev/null
fi
exec "$here/build/tools/pmtalint/pmtalint" config --color always "$@"
