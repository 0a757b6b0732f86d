#!/usr/bin/env bash
# Benchmark of `pmtalint diff` on two generated 100 000-line configurations that differ in ten
# places (rates, connection limits and a macro spread over the file), next to `pmtalint config`
# on the old one. diff reads and lints both sides, so it should cost about twice one lint run;
# the figure printed is the ratio diff / (2 × config). Best of three runs each.
#   bench/diff.sh [LINES]
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${1:-100000}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j 2 --target pmtalint >/dev/null
out=bench/out
mkdir -p "$out"
pmtalint=build/tools/pmtalint/pmtalint
old=$out/diff-old-$lines.conf
new=$out/diff-new-$lines.conf
python3 bench/gen_config.py --lines "$lines" --seed 1 > "$old"
# Ten edits spread evenly: every tenth of the max-msg-rate, max-smtp-out and domain-macro lines.
python3 - "$old" "$new" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().split("\n")
targets = [i for i, l in enumerate(lines) if re.match(r"\s*(max-msg-rate|max-smtp-out) \d+", l)]
macros = [i for i, l in enumerate(lines) if l.startswith("domain-macro ")]
picked = [targets[k * len(targets) // 9] for k in range(9)] + ([macros[len(macros) // 2]] if macros else [])
for i in picked:
    if lines[i].startswith("domain-macro "):
        lines[i] = lines[i].rsplit(",", 1)[0]  # a domain leaves the macro
    else:
        lines[i] = re.sub(r"(\d+)", lambda m: str(int(m.group(1)) + 7), lines[i], count=1)
open(sys.argv[2], "w").write("\n".join(lines))
print(f"bench: {len(picked)} lines edited", file=sys.stderr)
PY

wall() {  # best of three, seconds; exit 1 (findings, changes) is a normal run
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

config=$(wall "$pmtalint" config -q "$old")
diff=$(wall "$pmtalint" diff "$old" "$new")
"$pmtalint" diff "$old" "$new" > "$out/diff-report.txt" || [ $? -le 1 ]
echo "bench: $(tail -1 "$out/diff-report.txt")"
awk -v n="$lines" -v c="$config" -v d="$diff" \
  'BEGIN { printf "lines %d: pmtalint config %.3f s, pmtalint diff %.3f s, diff / (2 x config) = %.2f\n", n, c, d, d / (2 * c) }'
