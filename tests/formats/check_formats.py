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
import urllib.parse
import xml.etree.ElementTree as ET

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIXTURES = ["tests/cli/cases/broken.conf", "examples/web-hot-config.conf", "tests/fixtures/rules/deprecated.conf",
            "tests/fixtures/rules/non-lowercase-keyword.conf"]
FORMATS = ["text", "json", "json-lines", "gcc", "github", "sarif", "checkstyle", "junit", "gitlab"]
# SARIF names the working directory (the checkout) as %SRCROOT%; goldens hold a placeholder.
ROOT_URI = "file://" + urllib.parse.quote(str(ROOT), safe="/") + "/"

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + what + (("\n     " + detail.replace("\n", "\n     ")) if detail and not ok else ""))
    if ok:
        passed += 1
    else:
        failed += 1


def lint(binary, fmt, files=FIXTURES, cwd=ROOT, extra=()):
    proc = subprocess.run([binary, "config", "--format", fmt, "--color", "never", *extra, *files], cwd=cwd,
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
        shown = out.replace(ROOT_URI, "file:///ROOT/")
        if opts.update:
            golden.write_text(shown)
        check(golden.exists() and golden.read_text() == shown, f"{fmt}: output matches {golden.relative_to(ROOT)}")

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
        check(not problems, "sarif: valid against the official SARIF 2.1.0 schema and validator (relative paths)", "\n".join(problems))
        # The same files named by absolute paths from a directory outside the checkout: file:// URIs.
        code, absolute = lint(opts.binary, "sarif", [str(ROOT / f) for f in FIXTURES], cwd=tmp)
        ours_abs = pathlib.Path(tmp) / "absolute.sarif"
        ours_abs.write_text(absolute)
        problems = sarif_problems(schema, multitool, ours_abs)
        uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(absolute)["runs"][0]["results"]
                for loc in r["locations"]]
        check(not problems and uris and all(u.startswith("file:///") for u in uris),
              "sarif: valid against the schema and validator with absolute paths (file:// URIs)", "\n".join(problems) or str(uris[:3]))
        # Absolute paths under the working directory become relative to %SRCROOT%.
        code, under = lint(opts.binary, "sarif", [str(ROOT / f) for f in FIXTURES])
        check(under.replace(ROOT_URI, "file:///ROOT/") == outputs["sarif"].replace(ROOT_URI, "file:///ROOT/"),
              "sarif: an absolute path under the working directory reads as the relative one")
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
    check(all(r["locations"][0]["physicalLocation"]["artifactLocation"].get("uriBaseId") == "%SRCROOT%" for r in run["results"])
          and run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT_URI, "sarif: relative paths are relative to %SRCROOT%")
    check(all(r.get("partialFingerprints", {}).get("pmtalint/v1") for r in run["results"])
          and len({r["partialFingerprints"]["pmtalint/v1"] for r in run["results"]}) == len(run["results"]),
          "sarif: every result has its own partialFingerprints")
    check("helpUri" not in outputs["sarif"]
          and "pmtalint/pmtalint" not in outputs["sarif"], "sarif: no placeholder URLs (no helpUri without --docs-url)")
    code, linked = lint(opts.binary, "sarif", extra=["--docs-url", "https://docs.example.org/pmtalint/rules"])
    rules = json.loads(linked)["runs"][0]["tool"]["driver"]["rules"]
    check(all(r["helpUri"] == f"https://docs.example.org/pmtalint/rules/{r['id']}.md" for r in rules), "sarif: --docs-url links every rule")

    # Fingerprints (SARIF partialFingerprints, GitLab fingerprint) survive lines inserted above.
    with tempfile.TemporaryDirectory() as tmp:
        text = (ROOT / "examples/web-hot-config.conf").read_text()
        conf = pathlib.Path(tmp) / "web.conf"
        conf.write_text(text)
        prints = {}
        for shifted in (False, True):
            if shifted:
                conf.write_text("# three\n# new\n# lines\n" + text)
            _, sarif_out = lint(opts.binary, "sarif", ["web.conf"], cwd=tmp)
            _, gitlab_out = lint(opts.binary, "gitlab", ["web.conf"], cwd=tmp)
            prints[shifted] = ([r["partialFingerprints"]["pmtalint/v1"] for r in json.loads(sarif_out)["runs"][0]["results"]],
                               [i["fingerprint"] for i in json.loads(gitlab_out)],
                               [i["location"]["lines"]["begin"] for i in json.loads(gitlab_out)])
        check(prints[False][0] == prints[True][0] and prints[False][1] == prints[True][1]
              and prints[True][2] == [n + 3 for n in prints[False][2]], "sarif and gitlab: fingerprints stable across line shifts")

    gitlab_schema = json.loads((ROOT / "schemas/gitlab-codequality.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(gitlab_schema)
    issues = json.loads(outputs["gitlab"])
    errors = [f"{e.message} at {list(e.absolute_path)}" for e in jsonschema.Draft202012Validator(gitlab_schema).iter_errors(issues)]
    check(not errors and len(issues) == len(lines), "gitlab: valid against schemas/gitlab-codequality.schema.json, one issue per finding",
          "\n".join(errors))
    check(len({i["fingerprint"] for i in issues}) == len(issues), "gitlab: fingerprints are unique")
    check(all(not i["location"]["path"].startswith(("/", "./")) for i in issues), "gitlab: paths are relative to the project")
    check({i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}, "gitlab: severities are GitLab's")

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
