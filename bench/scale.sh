#!/usr/bin/env bash
# Scale benchmark of `pmtalint config` (all offline rules) on generated configurations of
# 10k, 100k and 1M lines, next to `wc -l` on the same file in the same run. Prints wall time,
# the ratio to wc, peak RSS against the input size, ns per line, and (with --callgrind) an
# instruction count that does not depend on machine load.
# Goals on the 2-core reference machine: 1M lines <= 20x wc -l; ns/line within +-30 % from 10k
# to 1M; peak RSS <= 8x the input size.
#   bench/scale.sh [--callgrind]
set -euo pipefail
cd "$(dirname "$0")/.."
callgrind=${1:-}
command -v /usr/bin/time >/dev/null || { echo "bench: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target pmtalint >/dev/null
out=bench/out
mkdir -p "$out"
pmtalint=build/tools/pmtalint/pmtalint

wall() {  # best of three, seconds; exit 1 (findings) is a normal run
  local best=999999999999999 start end status
  for _ in 1 2 3; do
    start=$(date +%s%N); status=0
    "$@" >/dev/null 2>&1 || status=$?
    end=$(date +%s%N)
    [ "$status" -le 1 ] || { echo "bench: '$*' failed with exit $status" >&2; exit 1; }
    best=$(( end - start < best ? end - start : best ))
  done
  awk -v ns="$best" 'BEGIN { printf "%.4f", ns / 1e9 }'
}

printf '%-10s %-9s %10s %10s %8s %10s %8s %9s\n' variant lines "bytes" "lint s" "wc s" "ratio" "RSS/size" "ns/line"
for lines in 10000 100000 1000000; do
  for variant in valid errors includes; do
    file=$out/config-$variant-$lines
    case $variant in
      valid) /usr/bin/python3 bench/gen_config.py --lines "$lines" --seed 1 > "$file" ;;
      errors) /usr/bin/python3 bench/gen_config.py --lines "$lines" --seed 1 --error-rate 0.01 > "$file" ;;
      includes) /usr/bin/python3 bench/gen_config.py --lines "$lines" --seed 1 --includes "$out/inc-$lines" > "$file" ;;
    esac
    if [ "$variant" = includes ]; then bytes=$(cat "$file" "$out"/inc-"$lines"/part-*.conf | wc -c); else bytes=$(wc -c < "$file"); fi
    # The generated file is a whole configuration: --main makes every check run, absence claims included.
    lint=$(wall "$pmtalint" config -q --main "$file" "$file")
    # wc reads what pmtalint reads: the included parts too.
    if [ "$variant" = includes ]; then wc=$(wall wc -l "$file" "$out"/inc-"$lines"/part-*.conf); else wc=$(wall wc -l "$file"); fi
    /usr/bin/time -v -o "$out/time.txt" "$pmtalint" config -q --main "$file" "$file" >/dev/null 2>&1 || [ $? -le 1 ]
    rss_kb=$(awk '/Maximum resident/ {print $6}' "$out/time.txt")
    awk -v v="$variant" -v n="$lines" -v b="$bytes" -v l="$lint" -v w="$wc" -v r="$rss_kb" \
      'BEGIN { printf "%-10s %-9d %10d %10.3f %8.4f %9.1fx %7.1fx %9.0f\n", v, n, b, l, w, l / w, r * 1024 / b, l * 1e9 / n }'
  done
done
if [ "$callgrind" = --callgrind ]; then
  file=$out/config-valid-100000
  valgrind --tool=callgrind --callgrind-out-file=$out/callgrind.out "$pmtalint" config -q "$file" >/dev/null 2>$out/callgrind.log || [ $? -le 1 ]
  echo "callgrind, 100k lines: $(grep -oE 'Collected : [0-9]+' $out/callgrind.log | grep -oE '[0-9]+') instructions"
fi
