#!/usr/bin/python3
"""docs/rules must be exactly what `pmtalint rules --write-docs` generates from the registry."""
import filecmp
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run([sys.argv[1], "rules", "--write-docs", tmp], check=True, timeout=60)
    fresh = sorted(p.name for p in pathlib.Path(tmp).iterdir())
    committed = sorted(p.name for p in (ROOT / "docs/rules").iterdir())
    stale = [n for n in fresh if n not in committed or not filecmp.cmp(pathlib.Path(tmp) / n, ROOT / "docs/rules" / n, shallow=False)]
    extra = [n for n in committed if n not in fresh]
for name in stale:
    print(f"FAIL docs/rules/{name} is stale: run `pmtalint rules --write-docs docs/rules`")
for name in extra:
    print(f"FAIL docs/rules/{name} documents no rule")
ok = not stale and not extra
print(f"{len(fresh) - len(stale)} passed, {len(stale) + len(extra)} failed")
sys.exit(0 if ok else 1)
