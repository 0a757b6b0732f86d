#!/usr/bin/env bash
# The simulator's speed: 10 million messages over 10 000 queues, every reply 250 (all-250) and
# with 2 % 4xx replies under a 1000/m rate (realistic); goal ≥ 10 M simulated deliveries per
# second on one core for both (issue #17). Engine time only; planning (effective settings per
# queue) is printed apart. Three runs of each: on a shared machine the best says most, and the
# rate by the engine's CPU time (printed too) says more than the wall clock.
#   bench/delivery.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target delivery_bench >/dev/null
for variant in "" --realistic; do
  for run in 1 2 3; do build/bench/delivery_bench 10000 1000 $variant; done
done
