#!/usr/bin/python3
"""Golden tests of the pmtalint command line: output and exit code of each case are compared
with tests/cli/golden/<case>.out, and every JSON output is validated against its schema
(schemas/report.schema.json, schemas/settings.schema.json) with the jsonschema package (Debian
python3-jsonschema).

Run with --update to rewrite the golden files after an intended change (then review the diff).
"""
import argparse
import json
import os
import shutil
import pathlib
import subprocess
import sys
import tempfile
from xml.etree import ElementTree

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CASES = HERE / "cases"

# name, arguments (paths relative to the repository root), stdin text or None
SCENARIOS = [
    ("syntax-text", ["config", "--color", "never", "tests/cli/cases/broken.conf"], None),
    ("syntax-json", ["config", "--format", "json", "tests/cli/cases/broken.conf"], None),
    ("clean-text", ["config", "tests/cli/cases/clean.conf"], None),
    ("clean-json", ["config", "--format", "json", "tests/cli/cases/clean.conf"], None),
    ("check-alias-quiet", ["check", "-q", "tests/cli/cases/broken.conf"], None),
    ("includes-root", ["config", "--root", "tests/cli/cases/root", "tests/cli/cases/root/etc/pmta/config"], None),
    ("includes-no-root", ["config", "tests/cli/cases/root/etc/pmta/config"], None),
    ("stdin", ["config", "--stdin-filename", "from-stdin.conf", "-"], "<domain *>\nmax-smtp-out 1;\n"),
    ("warning-passes", ["config", "tests/cli/cases/warning-only.conf"], None),
    ("warning-fails-on-warning", ["config", "--fail-on", "warning", "tests/cli/cases/warning-only.conf"], None),
    ("secret-masked", ["config", "tests/cli/cases/secret.conf"], None),
    ("missing-file", ["config", "tests/cli/cases/does-not-exist.conf"], None),
    ("directory", ["config", "tests/cli/cases/tree"], None),
    ("directory-empty", ["config", "tests/cli/cases/send"], None),
    ("directory-statistics", ["config", "--statistics", "tests/cli/cases/tree"], None),
    ("binary-file", ["config", "tests/cli/cases/binary.bin"], None),
    ("bad-option", ["config", "--format", "yaml", "tests/cli/cases/clean.conf"], None),
    ("output-unwritable", ["config", "--output", "/nonexistent-dir/report.json", "tests/cli/cases/clean.conf"], None),
    ("output-full-disk", ["config", "--output", "/dev/full", "tests/cli/cases/broken.conf"], None),
    ("no-files", ["config"], None),
    ("baseline-write", ["config", "--write-baseline", "/tmp/pmtalint-golden-baseline.json", "tests/cli/cases/broken.conf"], None),
    ("baseline-apply", ["config", "--baseline", "/tmp/pmtalint-golden-baseline.json", "tests/cli/cases/broken.conf"], None),
    ("baseline-garbage", ["config", "--baseline", "tests/cli/cases/clean.conf", "tests/cli/cases/broken.conf"], None),
    ("suppressions", ["config", "tests/cli/cases/suppressed.conf"], None),
    ("project-config", ["config", "tests/cli/cases/project/config", "tests/cli/cases/project/legacy/config"], None),
    ("project-nearest-wins", ["config", "tests/cli/cases/project/nested/config"], None),
    ("project-per-file", ["config", "tests/cli/cases/project/config", "tests/cli/cases/project/nested/config"], None),
    ("project-no-config", ["config", "--no-config", "tests/cli/cases/project/config"], None),
    ("project-explicit", ["config", "--config", "tests/cli/cases/project/nested/.pmtalint.toml", "tests/cli/cases/project/config"], None),
    ("project-show", ["config", "--show-config", "tests/cli/cases/project/config"], None),
    ("project-bad", ["config", "--config", "tests/cli/cases/project/bad.toml", "tests/cli/cases/project/config"], None),
    # Fixing and formatting work on a fresh copy of tests/cli/cases/fix and format ({work}); the
    # files named after the arguments are shown as they are afterwards.
    ("fix-safe", ["config", "--fix", "{work}/fix/fixable.conf"], None, ["{work}/fix/fixable.conf"]),
    ("fix-unsafe", ["config", "--unsafe-fixes", "{work}/fix/fixable.conf"], None, ["{work}/fix/fixable.conf"]),
    ("fix-diff", ["config", "--diff", "{work}/fix/fixable.conf"], None, ["{work}/fix/fixable.conf"]),
    ("fix-diff-unsafe", ["config", "--diff", "--unsafe-fixes", "tests/cli/cases/fix/fixable.conf"], None),
    ("fix-diff-nothing", ["config", "--diff", "tests/cli/cases/clean.conf"], None),
    ("fix-stdin-diff", ["config", "--diff", "--stdin-filename", "from-stdin.conf", "-"], "<Domain *>\n    Max-SMTP-Out 2\n</Domain>\n"),
    ("fix-stdin-refused", ["config", "--fix", "-"], "<Domain *>\n</Domain>\n"),
    ("fix-and-diff", ["config", "--fix", "--diff", "tests/cli/cases/fix/fixable.conf"], None),
    ("format-write", ["format", "{work}/format/misindented.conf"], None, ["{work}/format/misindented.conf"]),
    ("format-check", ["format", "--check", "tests/cli/cases/format/misindented.conf", "tests/cli/cases/format/formatted.conf"], None),
    ("format-check-clean", ["format", "--check", "tests/cli/cases/format/formatted.conf"], None),
    ("format-diff", ["format", "--diff", "tests/cli/cases/format/misindented.conf"], None),
    ("format-stdin", ["format", "-"], "<domain *>\nmax-smtp-out 1\n</domain>\n"),
    ("format-missing", ["format", "--check", "tests/cli/cases/format/nope.conf"], None),
    ("select", ["config", "--select", "non-lowercase-keyword,PMT0105", "tests/cli/cases/fix/fixable.conf"], None),
    ("ignore", ["config", "--ignore", "unknown-directive", "--ignore", "PMT0202,non-lowercase-keyword", "tests/cli/cases/fix/fixable.conf"], None),
    ("select-unknown", ["config", "--select", "no-such-rule", "tests/cli/cases/fix/fixable.conf"], None),
    ("ignore-security", ["config", "--ignore", "open-relay", "tests/fixtures/rules/open-relay.conf"], None),
    ("exit-zero", ["config", "--exit-zero", "tests/cli/cases/broken.conf"], None),
    ("exit-zero-still-fails", ["config", "--exit-zero", "tests/cli/cases/does-not-exist.conf"], None),
    ("statistics", ["config", "--statistics", "examples/web-hot-config.conf"], None),
    ("statistics-json", ["config", "--statistics", "--format", "json", "examples/web-hot-config.conf"], None),
    ("gitlab", ["config", "--format", "gitlab", "tests/cli/cases/fix/fixable.conf", "tests/cli/cases/broken.conf"], None),
    ("gitlab-clean", ["config", "--format", "gitlab", "tests/cli/cases/clean.conf"], None),
    ("rules", ["rules"], None),
    ("explain", ["explain", "unclosed-block"], None),
    ("explain-unknown", ["explain", "no-such-rule"], None),
    ("explain-directive", ["explain", "retry-after"], None),
    ("explain-block", ["explain", "<virtual-mta-pool>"], None),
    ("web-hot-config", ["config", "examples/web-hot-config.conf"], None),
    ("production-clean", ["config", "--root", "{keyroot}", "examples/production/config"], None),
    ("production-no-key", ["config", "examples/production/config"], None),
    ("dns-example", ["config", "--dns-zone", "examples/dns/example.net.zone", "--dns-zone",
                     "examples/dns/2.0.192.in-addr.arpa.zone", "examples/dns/mta.conf"], None),
    ("dns-zone-missing", ["config", "--dns-zone", "examples/dns/nope.zone", "examples/dns/mta.conf"], None),
    ("dns-zone-invalid", ["config", "--dns-zone", "examples/dns/mta.conf", "examples/dns/mta.conf"], None),
    ("dns-resolver-without-online", ["config", "--resolver", "127.0.0.1", "examples/dns/mta.conf"], None),
    ("dns-resolver-bad", ["config", "--online", "--resolver", "not-an-ip:99999", "examples/dns/mta.conf"], None),
    ("pmta-version-old", ["config", "--pmta-version", "4.0", "tests/cli/cases/versions.conf"], None),
    ("pmta-version-latest", ["config", "tests/cli/cases/versions.conf"], None),
    ("pmta-version-bad", ["config", "--pmta-version", "five", "tests/cli/cases/versions.conf"], None),
    ("settings-inheritance", ["show", "settings", "gmail.com/mta1", "--only-set", "tests/cli/cases/settings/config"], None),
    ("settings-inheritance-json", ["show", "settings", "gmail.com/mta1", "--only-set", "--format", "json", "tests/cli/cases/settings/config"], None),
    ("settings-no-vmta", ["show", "settings", "gmail.com", "--only-set", "tests/cli/cases/settings/config"], None),
    ("settings-macro", ["show", "settings", "yahoo.co.uk", "--only-set", "tests/cli/cases/settings/config"], None),
    ("settings-explicit-beats-macro", ["show", "settings", "AOL.com", "--only-set", "tests/cli/cases/settings/config"], None),
    ("settings-wildcards", ["show", "settings", "mail.example.org", "--only-set", "tests/cli/cases/settings/config"], None),
    ("settings-self-and-subs", ["show", "settings", "example.org", "--only-set", "tests/cli/cases/settings/config"], None),
    ("settings-rollup", ["show", "settings", "outlook.com/mta2", "--only-set", "tests/cli/cases/settings/config"], None),
    ("settings-rollup-json", ["show", "settings", "outlook.com/mta2", "--format", "json", "tests/cli/cases/settings/config"], None),
    ("settings-defaults", ["show", "settings", "unknown.example", "tests/cli/cases/settings/config"], None),
    # The MX rollup followed as `send` follows it: corp.example's MX is Google's (mx.zone).
    ("settings-dns-zone-rollup", ["show", "settings", "corp.example/mta1", "--only-set", "--dns-zone", "examples/send/mx.zone",
                                 "examples/production/config"], None),
    ("settings-dns-zone-rollup-json", ["show", "settings", "corp.example/marketing-pool", "--format", "json", "--only-set",
                                      "--dns-zone", "examples/send/mx.zone", "examples/production/config"], None),
    ("settings-dns-zone-no-rollup", ["show", "settings", "shop.example/transactional", "--only-set", "--dns-zone",
                                    "examples/send/mx.zone", "examples/production/config"], None),
    ("settings-dns-zone-outside", ["show", "settings", "gmail.com/mta1", "--only-set", "--dns-zone", "examples/send/mx.zone",
                                  "examples/production/config"], None),
    ("settings-dns-zone-missing", ["show", "settings", "gmail.com", "--dns-zone", "tests/cli/cases/nope.zone",
                                  "examples/production/config"], None),
    ("settings-scenario-rollup", ["show", "settings", "gmail.com/mta1", "--only-set", "--scenario",
                                 "examples/send/isp-mix-scenario.json", "examples/production/config"], None),
    ("settings-secret", ["show", "settings", "relay.example.net", "--only-set", "tests/cli/cases/settings/config"], None),
    ("settings-secret-json", ["show", "settings", "relay.example.net", "--format", "json", "tests/cli/cases/settings/config"], None),
    ("settings-unknown-vmta", ["show", "settings", "gmail.com/mta9", "tests/cli/cases/settings/config"], None),
    ("settings-bad-queue", ["show", "settings", "/mta1", "tests/cli/cases/settings/config"], None),
    ("settings-missing-file", ["show", "settings", "gmail.com", "tests/cli/cases/settings/nope"], None),
    ("settings-broken-config", ["show", "settings", "example.com", "--only-set", "tests/cli/cases/broken.conf"], None),
    ("send-campaign", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.json",
                       "--scenario", "examples/send/isp-mix-scenario.json", "--plot", "{tmp}/campaign.svg"], None),
    ("send-campaign-json", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.json",
                            "--scenario", "examples/send/isp-mix-scenario.json", "--format", "json"], None),
    ("send-mx-from-dns", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/b2b-workload.csv",
                          "--scenario", "examples/send/isp-mix-scenario.json", "--dns-zone", "examples/send/mx.zone"], None),
    ("send-microsoft-scenario", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.csv",
                                 "--scenario", "examples/send/microsoft-rp001-scenario.json", "--format", "json"], None),
    ("send-csv-default-scenario", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.csv"], None),
    ("send-yahoo-scenario-seed", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.csv",
                                  "--scenario", "examples/send/yahoo-tss04-scenario.json", "--seed", "42"], None),
    ("send-recipients", ["send", "--dry-run", "examples/production/config", "--recipients", "tests/cli/cases/send/recipients.txt",
                         "--vmta", "transactional"], None),
    ("send-sources", ["send", "--dry-run", "examples/production/config", "--workload", "tests/cli/cases/send/sources.json"], None),
    ("send-split-and-rate", ["send", "--dry-run", "examples/production/config", "--workload", "tests/cli/cases/send/split-workload.json",
                             "--format", "json"], None),
    ("send-horizon", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.json",
                      "--scenario", "examples/send/isp-mix-scenario.json", "--horizon", "2h"], None),
    ("send-without-dry-run", ["send", "examples/production/config", "--workload", "examples/send/campaign-workload.json"], None),
    ("send-no-workload", ["send", "--dry-run", "examples/production/config"], None),
    ("send-unknown-vmta", ["send", "--dry-run", "examples/production/config", "--workload", "tests/cli/cases/send/unknown-vmta.json"], None),
    ("send-bad-workload", ["send", "--dry-run", "examples/production/config", "--workload", "tests/cli/cases/send/bad-workload.json"], None),
    ("send-binary-workload", ["send", "--dry-run", "examples/production/config", "--workload", "tests/cli/cases/binary.bin"], None),
    ("send-bad-scenario", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.json",
                           "--scenario", "tests/cli/cases/send/bad-scenario.json"], None),
    ("send-bad-horizon", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.json",
                          "--horizon", "soon"], None),
    ("send-broken-config", ["send", "--dry-run", "tests/cli/cases/broken.conf", "--recipients", "tests/cli/cases/send/recipients.txt"], None),
    ("send-missing-config", ["send", "--dry-run", "tests/cli/cases/nope.conf", "--workload", "examples/send/campaign-workload.json"], None),
    ("send-smtp-remote-refused", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.json",
                                  "--backend", "smtp", "--smtp-server", "192.0.2.1:25"], None),
    ("send-smtp-no-server", ["send", "--dry-run", "examples/production/config", "--workload", "examples/send/campaign-workload.json",
                             "--backend", "smtp"], None),
    # pmtalint diff: each case compares tests/cli/cases/diff/base.conf with one edit of it.
    ("diff-cosmetic", ["diff", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/cosmetic/config"], None),
    ("diff-rate-one-domain", ["diff", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/rate.conf"], None),
    ("diff-macro-moves-domain", ["diff", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/macro.conf"], None),
    ("diff-macro-moves-domain-json", ["diff", "--format", "json", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/macro.conf"], None),
    ("diff-pool-member", ["diff", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/pool-member.conf"], None),
    ("diff-vmta-removed", ["diff", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/vmta-removed.conf"], None),
    ("diff-vmta-removed-markdown", ["diff", "--format", "markdown", "tests/cli/cases/diff/base.conf",
                                    "tests/cli/cases/diff/vmta-removed.conf"], None),
    ("diff-http-access-security", ["diff", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/http-access.conf"], None),
    ("diff-http-access-json", ["diff", "--format", "json", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/http-access.conf"], None),
    ("diff-fail-on-security-passes", ["diff", "--fail-on", "security", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/rate.conf"], None),
    ("diff-mgmt-port-restart", ["diff", "--fail-on", "restart", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/mgmt-port.conf"], None),
    ("diff-mgmt-port-json", ["diff", "--format", "json", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/mgmt-port.conf"], None),
    ("diff-only-queues", ["diff", "--only-queues", "gmail.*", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/macro.conf"], None),
    ("diff-git", ["diff", "--git", "HEAD~1", "{tmp}/repo/etc/pmta/config"], None),
    ("diff-git-range-json", ["diff", "--format", "json", "--git", "HEAD~1..HEAD", "{tmp}/repo/etc/pmta/config"], None),
    ("diff-git-bad-revision", ["diff", "--git", "no-such-rev", "{tmp}/repo/etc/pmta/config"], None),
    ("diff-missing-file", ["diff", "tests/cli/cases/diff/base.conf", "tests/cli/cases/diff/nope.conf"], None),
    ("diff-one-file", ["diff", "tests/cli/cases/diff/base.conf"], None),
]


def make_git_repo(scratch):
    """A repository for the --git cases: a configuration with an include, then a commit that
    changes a rate in the included file and one in the main file (the work tree adds a VMTA)."""
    repo = pathlib.Path(scratch, "repo")
    conf = repo / "etc/pmta"
    conf.mkdir(parents=True)
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.invalid", GIT_AUTHOR_DATE="2024-01-01T00:00:00Z",
               GIT_COMMITTER_DATE="2024-01-01T00:00:00Z", GIT_CONFIG_GLOBAL="/dev/null", GIT_CONFIG_NOSYSTEM="1")
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True, capture_output=True, env=env, timeout=60)
    git("init", "-q", "-b", "main")
    base = (CASES / "diff/base.conf").read_text()
    main = base.replace("<domain *>", "include limits.conf\n\n<domain *>", 1)
    (conf / "config").write_text(main)
    (conf / "limits.conf").write_text("<domain gmail.com>\n    max-msg-per-connection 100\n</domain>\n")
    git("add", "-A")
    git("commit", "-q", "-m", "first")
    (conf / "limits.conf").write_text("<domain gmail.com>\n    max-msg-per-connection 25\n</domain>\n")
    (conf / "config").write_text(main.replace("max-msg-rate 1000/h", "max-msg-rate 2000/h"))
    git("commit", "-q", "-am", "second")
    (conf / "config").write_text(main.replace("max-msg-rate 1000/h", "max-msg-rate 2000/h") +
                                 "\n<virtual-mta mta4>\n    smtp-source-host 192.0.2.13 mta4.example.net\n</virtual-mta>\n")


def run(binary, args, stdin):
    # No user-level config may leak into the expected output.
    env = dict(os.environ, NO_COLOR="1", XDG_CONFIG_HOME="/nonexistent-pmtalint-test")
    proc = subprocess.run([binary] + args, cwd=ROOT, input=(stdin or "").encode(), capture_output=True,
                          env=env, timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def check_plot(path):
    """The --plot picture: well-formed SVG with a depth and a rate line per queue drawn."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as e:
        return [f"--plot: {e}"]
    lines = root.findall("{http://www.w3.org/2000/svg}polyline")
    return [] if root.tag == "{http://www.w3.org/2000/svg}svg" and len(lines) >= 2 else [f"--plot: {len(lines)} lines drawn"]


def render(code, out, err):
    return f"exit: {code}\n--- stdout\n{out}--- stderr\n{err}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--update", action="store_true")
    opts = parser.parse_args()
    validators = {}
    for kind, file in (("report", "report.schema.json"), ("settings", "settings.schema.json"), ("send", "send-report.schema.json"),
                       ("gitlab", "gitlab-codequality.schema.json"),
                       ("diff", "diff.schema.json")):
        schema = json.loads((ROOT / "schemas" / file).read_text())
        jsonschema.Draft202012Validator.check_schema(schema)
        validators[kind] = jsonschema.Draft202012Validator(schema)

    # The binary case is made here: a committed binary fixture would hide what it contains.
    (CASES / "binary.bin").write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)))

    # The production example's DKIM key is generated, never committed (mode 0600, 2048 bits).
    keyroot = tempfile.mkdtemp(prefix="pmtalint-keyroot-")
    key = pathlib.Path(keyroot, "etc/pmta/dkim/example.net.pem")
    key.parent.mkdir(parents=True)
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(key)],
                   check=True, capture_output=True, timeout=120)
    key.chmod(0o600)

    scratch = tempfile.mkdtemp(prefix="pmtalint-golden-")
    make_git_repo(scratch)
    failed = passed = 0
    for name, args, stdin, *shown in SCENARIOS:
        work = None
        if any("{work}" in a for a in args):
            work = tempfile.mkdtemp(prefix="pmtalint-work-")
            for sub in ("fix", "format"):
                shutil.copytree(CASES / sub, pathlib.Path(work, sub))
        args = [a.replace("{keyroot}", keyroot).replace("{tmp}", scratch).replace("{work}", work or "") for a in args]
        code, out, err = run(opts.binary, args, stdin)
        actual = render(code, out, err).replace(scratch, "{tmp}")
        for path in (shown[0] if shown else []):
            actual += f"--- {path}\n" + pathlib.Path(path.replace("{work}", work)).read_text()
        if work:
            actual = actual.replace(work, "{work}")
            shutil.rmtree(work)
        golden = HERE / "golden" / f"{name}.out"
        problems = []
        if "--format" in args and ("json" in args or "gitlab" in args) and code in (0, 1):
            validator = validators["gitlab" if "gitlab" in args else {"show": "settings", "send": "send", "diff": "diff"}.get(args[0], "report")]
            errors = sorted(validator.iter_errors(json.loads(out)), key=str)
            problems += [f"schema: {e.message} at {list(e.absolute_path)}" for e in errors]
            if "gitlab" in args:
                prints = [issue["fingerprint"] for issue in json.loads(out)]
                if len(set(prints)) != len(prints):
                    problems.append("gitlab: fingerprints are not unique")
        if "secret" in name and "hunter2" in out + err:
            problems.append("a password was printed")
        if "--plot" in args:
            problems += check_plot(pathlib.Path(args[args.index("--plot") + 1]))
        if opts.update:
            golden.write_text(actual)
        elif not golden.exists():
            problems.append(f"no golden file {golden.relative_to(ROOT)}")
        elif golden.read_text() != actual:
            with tempfile.NamedTemporaryFile("w", suffix=".out", delete=False) as tmp:
                tmp.write(actual)
            diff = subprocess.run(["diff", "-u", str(golden), tmp.name], capture_output=True, text=True).stdout
            problems.append("output differs from golden:\n" + diff)
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for p in problems:
                print("    " + p.replace("\n", "\n    "))
        else:
            passed += 1
            print(f"ok   {name}")
    (CASES / "binary.bin").unlink()
    shutil.rmtree(keyroot)
    shutil.rmtree(scratch)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
