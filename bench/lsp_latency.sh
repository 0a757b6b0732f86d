#!/usr/bin/env bash
# LSP latency benchmark (not a test): a generated 100 000-line document opened through the Node
# client, 200 one-character edits, p50/p95/max from edit to diagnostics. Needs the npm modules
# that `tools/bootstrap.sh test` installs under build/npm.
#   bench/lsp_latency.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-100000}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target pmtalint >/dev/null
mkdir -p bench/out
python3 bench/gen_config.py --lines "$lines" --seed 1 > bench/out/lsp-$lines.conf
node bench/lsp_latency.js build/tools/pmtalint/pmtalint build/npm/node_modules bench/out/lsp-$lines.conf
