#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each for SECONDS on a seed
# corpus made from the test fixtures and examples. Prints executions per target; exits non-zero
# on any crash, leak or sanitizer report (the crashing input is left in build-fuzz/crashes/).
#   fuzz/run_fuzz.sh [SECONDS_PER_TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DPMTALINT_FUZZ=ON -DPMTALINT_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_parse fuzz_config fuzz_grammar fuzz_lsp fuzz_send >/dev/null
mkdir -p build-fuzz/crashes
total=0
for target in parse config grammar lsp send; do
  corpus=build-fuzz/corpus/$target
  mkdir -p "$corpus"
  if [ "$target" = lsp ]; then
    cp fuzz/seeds/lsp/* "$corpus"/  # LSP message streams
  elif [ "$target" = send ]; then
    cp fuzz/seeds/send/* "$corpus"/  # configuration --- workload --- scenario
  else
    cp tests/fixtures/syntax/*.conf tests/fixtures/rules/*.conf examples/web-hot-config.conf "$corpus"/
    cp examples/production/config "$corpus"/production.conf
  fi
  log=build-fuzz/fuzz_$target.log
  status=0
  build-fuzz/fuzz/fuzz_$target "$corpus" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 \
    -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  total=$((total + runs))
  echo "fuzz_$target: $runs executions in ${seconds}s (exit $status)"
  if [ "$status" -ne 0 ]; then
    grep -E "ERROR|SUMMARY|==[0-9]+==" "$log" | head -20 >&2
    exit 1
  fi
done
echo "fuzz: $total executions in all, no crash"
