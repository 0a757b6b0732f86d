#!/usr/bin/python3
"""A conf.d layout as operators write it (tests/fixtures/confd): a main `config` including
conf.d/*.conf, virtual MTAs, pools and sources in three fragments, a DKIM include generated at
deploy time (missing here) inside two VMTAs, and a private key under etc/pmta/dkim.

The configuration is the unit: every order of naming the files gives the same findings, a
fragment named alone is checked as part of its main configuration when that is named (--main
or .pmtalint.toml), nothing is claimed absent past the missing include, and key material is
never linted or shown.
"""
import argparse
import itertools
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

FIXTURE = pathlib.Path(__file__).resolve().parents[1] / "fixtures" / "confd"
FILES = ["etc/pmta/config", "etc/pmta/conf.d/10-vmtas.conf", "etc/pmta/conf.d/20-pools.conf",
         "etc/pmta/conf.d/30-sources.conf"]
KEY = "etc/pmta/dkim/example.com.pem"

failures = 0


def check(name, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    failures += 0 if ok else 1


def run(binary, cwd, *args):
    return subprocess.run([binary, "config", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def findings(result):
    return [(d["file"], d["line"], d["rule"], d["message"]) for d in json.loads(result.stdout)["diagnostics"]]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    binary = str(pathlib.Path(parser.parse_args().binary).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        work = pathlib.Path(tmp) / "repo"
        shutil.copytree(FIXTURE, work)

        texts, jsons = set(), set()
        for order in itertools.permutations(FILES):
            texts.add(run(binary, work, "--no-config", "--root", ".", "--color", "never", *order).stdout)
            jsons.add(json.dumps(findings(run(binary, work, "--no-config", "--root", ".", "--format", "json", *order))))
        check("all 24 orders of the four files give the same report (text and JSON)", len(texts) == 1 and len(jsons) == 1,
              f"{len(texts)} texts, {len(jsons)} JSON reports")
        whole = json.loads(jsons.pop())
        rules = sorted(f[2] for f in whole)
        check("the whole configuration: one include-error, one note on what it hides, the one real undefined name",
              rules == ["include-error", "incomplete-configuration", "undefined-reference"], whole)
        check("... the undefined name is pool2, not pool1 (defined in a sibling fragment)",
              any("'pool2'" in f[3] for f in whole if f[2] == "undefined-reference"), whole)
        check("... no claim of a missing key past the unread include, nor of missing settings",
              not any(f[2] in ("dkim-key", "missing-required") for f in whole), whole)

        alone = run(binary, work, "--no-config", "--root", ".", "--main", "etc/pmta/config", "--format", "json", FILES[3])
        got = findings(alone)
        check("a fragment named alone with --main: its real undefined name, none defined elsewhere",
              alone.returncode == 1 and [f[2] for f in got] == ["undefined-reference"] and "'pool2'" in got[0][3], got)

        (work / ".pmtalint.toml").write_text('main = "etc/pmta/config"\nroot = "."\n')
        with_toml = findings(run(binary, work, "--format", "json", FILES[3]))
        check("... the same with main and root in .pmtalint.toml", with_toml == got, with_toml)
        elsewhere = findings(run(binary, pathlib.Path(tmp), "--format", "json", "repo/" + FILES[3]))
        check("... from another working directory too", [f[2:] for f in elsewhere] == [f[2:] for f in got], elsewhere)
        (work / ".pmtalint.toml").unlink()

        fragment = run(binary, work, "--no-config", "--root", ".", "--format", "json", FILES[3])
        got = findings(fragment)
        check("a fragment alone without main: no absence claim, one note saying how to set main",
              fragment.returncode == 0 and [f[2] for f in got] == ["incomplete-configuration"] and "--main" in got[0][3], got)

        key_lines = [line for line in (work / KEY).read_text().splitlines() if not line.startswith("-----")]
        for fmt in ("text", "json", "sarif", "gcc", "github"):
            r = run(binary, work, "--format", fmt, KEY)
            leaked = [line for line in key_lines if line in r.stdout or line in r.stderr]
            check(f"a private key named ({fmt}): exit 2, said what it is, nothing of it shown",
                  r.returncode == 2 and "holds a private key, not a PowerMTA configuration" in r.stderr and not leaked,
                  (r.returncode, r.stderr, leaked))
        (work / "etc/pmta/keys.conf").write_text("include dkim/example.com.pem\n")
        r = run(binary, work, "--no-config", "etc/pmta/keys.conf")
        leaked = [line for line in key_lines if line in r.stdout]
        check("a private key included: one include-error naming what it holds, nothing of it shown",
              r.returncode == 1 and r.stdout.count("[include-error]") == 1 and "holds a private key" in r.stdout and not leaked,
              r.stdout)
    print("passed" if not failures else f"{failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
