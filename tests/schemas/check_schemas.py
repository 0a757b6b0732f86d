#!/usr/bin/python3
"""Validates every data file in schemas/ against its JSON Schema (Draft 2020-12, with the
jsonschema package), and checks that the knowledge base covers every directive of the
reference table: the committed name list, and ../shared/reference/directives.tsv when the
team's reference folder is present beside the checkout (as it is in CI)."""
import csv
import json
import pathlib
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
failures = []
checks = 0


def check(ok, what):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
    print(("ok   " if ok else "FAIL ") + what)


for name in ["directives", "blocks", "not-pmta", "reference-facts", "report"]:
    schema = json.loads((ROOT / f"schemas/{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    check(True, f"{name}.schema.json is a valid Draft 2020-12 schema")
    if name == "report":
        continue
    data = json.loads((ROOT / f"schemas/{name}.json").read_text())
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    for e in errors[:5]:
        print("    ", e.message, list(e.absolute_path))
    check(not errors, f"{name}.json validates against its schema")

# The dry-run inputs shipped in examples/ are documented by their schemas.
for name in ["workload", "scenario", "send-report"]:
    schema = json.loads((ROOT / f"schemas/{name}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    check(True, f"{name}.schema.json is a valid Draft 2020-12 schema")
for kind in ["workload", "scenario"]:
    schema = json.loads((ROOT / f"schemas/{kind}.schema.json").read_text())
    examples = sorted((ROOT / "examples/send").glob(f"*{kind}*.json"))
    check(bool(examples), f"examples/send has {kind} files ({len(examples)})")
    for example in examples:
        errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(example.read_text())))
        for e in errors[:5]:
            print("    ", e.message, list(e.absolute_path))
        check(not errors, f"{example.relative_to(ROOT)} validates against {kind}.schema.json")

directives = json.loads((ROOT / "schemas/directives.json").read_text())["directives"]
blocks = json.loads((ROOT / "schemas/blocks.json").read_text())["blocks"]
names = {d["name"] for d in directives}
check(len(names) == len(directives), "directive names are unique")
snapshot = set((ROOT / "tests/data/reference-directive-names.txt").read_text().split())
check(names == snapshot, f"directives.json has exactly the {len(snapshot)} reference directives")
reference = ROOT.parent / "shared/reference/directives.tsv"
if reference.exists():
    tsv = {row["name"].strip() for row in csv.DictReader(reference.open(encoding="utf-8"), delimiter="\t")}
    check(names == tsv, f"directives.json matches {reference} ({len(tsv)} names)")
contexts = {b["name"] for b in blocks} | {"global"}
unknown = sorted({c for d in directives for c in d["contexts"]} - contexts)
check(not unknown, f"every directive context is a known block ({unknown})")
parents = sorted({p for b in blocks for p in b["parents"]} - contexts)
check(not parents, f"every block parent is a known block ({parents})")
for d in directives:
    if d["deprecated"] and "rewrite" in d["deprecated"]:
        check("{value}" in d["deprecated"]["rewrite"], f"rewrite of {d['name']} uses {{value}}")

print(f"{checks - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
