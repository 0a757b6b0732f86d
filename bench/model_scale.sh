#!/usr/bin/env bash
# Model construction (lib/model: blocks, definitions, macro expansion, domain index) on
# generated configurations of 10k, 100k and 1M lines. Linear means ns/line stays flat.
#   bench/model_scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target model_bench >/dev/null
mkdir -p bench/out
for lines in 10000 100000 1000000; do
  file=bench/out/model-$lines
  /usr/bin/python3 bench/gen_config.py --lines "$lines" --seed 1 > "$file"
  printf '%8s lines: ' "$lines"
  build/bench/model_bench "$file" 5
done
