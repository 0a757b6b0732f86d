#!/usr/bin/python3
"""Every output format on the same fixture set: golden output, well-formedness (XML parses,
each JSON line parses), and SARIF validated against the official SARIF 2.1.0 JSON Schema
shipped in the npm package @microsoft/sarif-multitool-linux, plus that package's validator
(no error-level results). A deliberately broken SARIF log must fail the same checks.

    check_formats.py --binary PATH --sarif-package DIR [--update]
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURES = ["tests/cli/cases/broken.conf", "examples/web-hot-config.conf", "tests/fixtures/rules/deprecated.conf",
            "tests/fixtures/rules/non-lowercase-keyword.conf"]
FORMATS = ["text", "json", "json-lines", "gcc", "github", "sarif", "checkstyle", "junit"]

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + what + (("\n     " + detail.replace("\n", "\n     ")) if detail and not ok else ""))
    if ok:
        passed += 1
    else:
        failed += 1


def lint(binary, fmt):
    proc = subprocess.run([binary, "config", "--format", fmt, "--color", "never", *FIXTURES], cwd=ROOT,
                          capture_output=True, timeout=60, env=dict(os.environ, NO_COLOR="1"))
    return proc.returncode, proc.stdout.decode()


def sarif_problems(schema, multitool, path):
    """Schema violations and validator errors for one SARIF file."""
    errors = [f"schema: {e.message} at {list(e.absolute_path)}"
              for e in jsonschema.Draft202012Validator(schema).iter_errors(json.loads(pathlib.Path(path).read_text()))]
    with tempfile.TemporaryDirectory() as tmp:
        out = pathlib.Path(tmp) / "validation.sarif"
        subprocess.run([str(multitool), "validate", str(path), "-o", str(out)], capture_output=True, timeout=300,
                       cwd=tmp, check=True)
        for result in json.loads(out.read_text())["runs"][0].get("results", []):
            if result.get("level", "warning") == "error":
                errors.append(f"validator: {result['ruleId']} {result['message'].get('arguments')}")
    return errors


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--sarif-package", required=True)
    parser.add_argument("--update", action="store_true")
    opts = parser.parse_args()

    outputs = {}
    for fmt in FORMATS:
        code, out = lint(opts.binary, fmt)
        outputs[fmt] = out
        check(code == 1, f"{fmt}: exit code 1 for findings (got {code})")
        golden = HERE / "golden" / f"{fmt}.out"
        if opts.update:
            golden.write_text(out)
        check(golden.exists() and golden.read_text() == out, f"{fmt}: output matches {golden.relative_to(ROOT)}")

    for fmt in ["checkstyle", "junit"]:
        try:
            root = ET.fromstring(outputs[fmt])
            check(True, f"{fmt}: parses as XML ({len(list(root.iter()))} elements)")
        except ET.ParseError as e:
            check(False, f"{fmt}: parses as XML", str(e))
    junit = ET.fromstring(outputs["junit"])
    check(int(junit.get("failures")) == len(junit.findall(".//failure")), "junit: failure count matches the cases")
    lines = outputs["json-lines"].splitlines()
    check(all(json.loads(line)["rule"] for line in lines) and len(lines) == len(json.loads(outputs["json"])["diagnostics"]),
          f"json-lines: {len(lines)} lines, one JSON object per finding")
    check(len(outputs["gcc"].splitlines()) == len(lines), "gcc: one line per finding")

    package = pathlib.Path(opts.sarif_package).resolve()
    schema = json.loads((package / "sarif-2.1.0.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    multitool = package / "Sarif.Multitool"
    multitool.chmod(multitool.stat().st_mode | 0o100)  # npm does not run the package's chmod script
    with tempfile.TemporaryDirectory() as tmp:
        ours = pathlib.Path(tmp) / "pmtalint.sarif"
        ours.write_text(outputs["sarif"])
        problems = sarif_problems(schema, multitool, ours)
        check(not problems, "sarif: valid against the official SARIF 2.1.0 schema and validator", "\n".join(problems))
        broken = json.loads(outputs["sarif"])
        broken["runs"][0]["results"][0]["level"] = "fatal"
        broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
        bad = pathlib.Path(tmp) / "broken.sarif"
        bad.write_text(json.dumps(broken))
        check(len(sarif_problems(schema, multitool, bad)) >= 2, "sarif: the same checks reject a broken log")
    sarif = json.loads(outputs["sarif"])
    run = sarif["runs"][0]
    check(all(r["ruleId"] == run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] for r in run["results"]),
          "sarif: every result points at its rule")
    check(any("fixes" in r for r in run["results"]), "sarif: fixes are included where a rule has one")

    # Secrets (AUTH passwords, API keys, certificate passwords) never reach any output.
    for fmt in FORMATS:
        proc = subprocess.run([opts.binary, "config", "--format", fmt, "--color", "always", "tests/cli/cases/secrets.conf"],
                              cwd=ROOT, capture_output=True, timeout=60)
        shown = (proc.stdout + proc.stderr).decode("utf-8", "replace")
        check(proc.returncode == 1 and "hunter2" not in shown, f"{fmt}: findings on secret lines show no secret")

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
