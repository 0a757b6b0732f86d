#!/usr/bin/env bash
# Prints lib/syntax parse throughput (MB/s) on a generated 100 000-line configuration, and the
# end-to-end `pmtalint config` time next to `wc -l` on the same file.
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-100000}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target parse_bench pmtalint >/dev/null
mkdir -p bench/out
config=bench/out/config-$lines
/usr/bin/python3 bench/gen_config.py --lines "$lines" --seed 1 > "$config"
echo "input: $config ($(wc -c < "$config") bytes, $lines lines)"
build/bench/parse_bench "$config" 5

# Wall seconds of a command; exit status 1 (findings) counts as a normal run.
seconds() {
  local start end status=0
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || status=$?
  end=$(date +%s%N)
  [ "$status" -le 1 ] || { echo "bench: '$*' failed with exit $status" >&2; exit 1; }
  awk -v ns=$((end - start)) 'BEGIN { printf "%.4f", ns / 1e9 }'
}
lint=$(seconds build/tools/pmtalint/pmtalint config -q "$config")
wc=$(seconds wc -l "$config")
awk -v l="$lint" -v w="$wc" 'BEGIN { printf "pmtalint config: %.3f s   wc -l: %.4f s   ratio: %.1fx\n", l, w, l / w }'
