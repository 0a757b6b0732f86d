#!/usr/bin/env bash
# The simulator's speed (issue: 10 million messages over 10 000 queues, goal ≥ 5 M simulated
# deliveries per second on one core). Engine time only; planning (effective settings per
# queue) is printed apart.
#   bench/delivery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target delivery_bench >/dev/null
for run in 1 2 3; do build/bench/delivery_bench 10000 1000; done
build/bench/delivery_bench 10000 1000 --realistic
