#!/usr/bin/python3
"""Hostile inputs for `pmtalint config` and `pmtalint send --dry-run`. Every case is generated here (nothing large is
committed) and asserts: the exit code, a clear message, a bounded time (timeout) and peak
memory (rusage of the child), that no input file was modified (SHA-256 before/after), and
where given, what the output must not contain (control bytes, secrets). Hostile SMTP and DNS
servers (servers.py) listen on 127.0.0.1 for the cases that need one.

    run_hostile.py --binary PATH [--rss-limit-mb N] [--only REGEX]
"""
import argparse
import hashlib
import json
import os
import pathlib
import re
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ElementTree

from servers import dns_server, smtp_server

passed = failed = 0

# Control bytes that must never reach a terminal or a log from input text.
CONTROL = ["\x1b", "\x00", "\x07", "\x9b"]


def fnv1a(text, h=0xCBF29CE484222325):
    for byte in text.encode():
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def legacy_fingerprint(rule, path, line, message):
    """The version 1 baseline fingerprint: FNV-1a of rule, file, raw line and message."""
    h = fnv1a(rule)
    for part in (path, line.strip(" \t"), message):
        h = fnv1a(part, fnv1a("\x1f", h))
    return f"{h:016x}"


def digest_tree(root):
    sums = {}
    for path in sorted(pathlib.Path(root).rglob("*")):
        try:
            mode = path.lstat().st_mode
        except OSError:
            continue
        if stat.S_ISREG(mode) and os.access(path, os.R_OK) and path.name != ".rss":
            sums[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def run(binary, args, cwd, timeout=60, user=None):
    """Exit status (None on timeout), stdout, stderr, seconds, peak RSS in MB (GNU time)."""
    rss_file = pathlib.Path(cwd) / ".rss"
    # Unprivileged (setpriv) so that file permissions apply even when the suite runs as root.
    drop = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"] if user else []
    cmd = ["/usr/bin/time", "-o", str(rss_file), "-f", "%M"] + drop + [binary] + args
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = proc.communicate(timeout=timeout)
        status = proc.returncode
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        status = None
    elapsed = time.monotonic() - start
    rss_mb = 0.0
    if rss_file.exists():
        lines = rss_file.read_text().split()
        rss_mb = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else 0.0
        rss_file.unlink()
    return status, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), elapsed, rss_mb


def svg_problems(path):
    """The plot must be well-formed XML holding no control byte."""
    try:
        data = pathlib.Path(path).read_bytes()
        ElementTree.fromstring(data)
    except (OSError, ElementTree.ParseError) as e:
        return [f"{path} is not well-formed XML: {e}"]
    return [f"{path} holds {c!r}" for c in CONTROL if c.encode() in data]


def add_round2_cases(case, tmp, binary):
    """Hardening, round 2 (issue 21): SMTP deadlines and reply budgets, send's input limits,
    non-regular path arguments, live DNS deadline and spoofed replies, control characters in
    every human-readable output, secrets in snippets and baselines, outputs onto inputs."""
    conf = {"r2.conf": "<smtp-pattern-list hostile>\n  reply /550/ mode=backoff\n</smtp-pattern-list>\n"
                       "<domain *>\n  max-smtp-out 1\n  retry-after 1h\n  retry-recipients-after 1h\n"
                       "  smtp-pattern-list hostile\n</domain>\n"}
    one = '{"streams": [{"domain": "a.test", "messages": 1}]}'
    forty = '{"streams": [{"domain": "a.test", "messages": 40}]}'
    smtp = ["send", "--dry-run", "r2.conf", "--backend", "smtp", "--smtp-server"]

    # 1. SMTP backend: absolute deadlines, the horizon in wall-clock time, reply budgets.
    case("smtp: a greeting dripped one byte every 2 s ends at --horizon 6s (wall clock)", dict(conf, **{"w1.json": one}),
         smtp + [f"127.0.0.1:{smtp_server('drip-greeting')}", "--workload", "w1.json", "--horizon", "6s"],
         0, r"stopped at the horizon", timeout=20)

    def deferred_once(out, err):
        doc = json.loads(out)
        got = doc["queues"][0]["deferrals"]
        return [] if got == 1 else [f"{got} deferrals, expected 1 (the dripped reply cut at its 30 s deadline)"]
    case("smtp: a MAIL FROM reply dripped one byte every 2 s is cut at its 30 s deadline", dict(conf, **{"w1.json": one}),
         smtp + [f"127.0.0.1:{smtp_server('drip-mail')}", "--workload", "w1.json", "--horizon", "36s", "--format", "json"],
         0, r'"deferrals"', timeout=50, check=deferred_once)
    case("smtp: an endless multi-line reply is cut after 256 KiB (bounded memory)", dict(conf, **{"w40.json": forty}),
         smtp + [f"127.0.0.1:{smtp_server('flood')}", "--workload", "w40.json", "--horizon", "5s"],
         0, r"a\.test", timeout=20)

    def short_lines(out, err):
        longest = max((len(line) for line in out.splitlines()), default=0)
        problems = [] if longest < 6000 else [f"a report line of {longest} bytes: reply text not truncated"]
        return problems + svg_problems(tmp / "ctl.svg")
    case("smtp: 200 KB replies with escape sequences are truncated and shown escaped (text, SVG)",
         dict(conf, **{"w40.json": forty}),
         smtp + [f"127.0.0.1:{smtp_server('control')}", "--workload", "w40.json", "--horizon", "30s", "--plot", "ctl.svg"],
         0, r"backoff episodes", timeout=30, absent=CONTROL + ["\nLINE"], check=short_lines, writes=("ctl.svg",))

    # 2. send: queue cap, rates of zero, numbers no double holds, ports out of range.
    case("send: 200 000 distinct domains (queues) are refused", dict(conf, **{"many.csv": "domain,messages\n" + "".join(
         f"d{i}.test,1\n" for i in range(200_000))}), ["send", "--dry-run", "r2.conf", "--workload", "many.csv"], 2,
         r"more than 100000 queues", timeout=30)
    case("send: 100 000 domains (the queue cap) with --plot and JSON stay bounded", dict(conf, **{"cap.csv": "domain,messages\n" +
         "".join(f"d{i}.test,1\n" for i in range(100_000))}),
         ["send", "--dry-run", "r2.conf", "--workload", "cap.csv", "--plot", "cap.svg", "--format", "json"], 0, r'"queues"',
         timeout=120, check=lambda out, err: svg_problems(tmp / "cap.svg"), writes=("cap.svg",))
    case("send --format json: a domain name that is not UTF-8 is replaced, not an internal error",
         dict(conf, **{"latin1.csv": b"domain,messages\nbad\xff.test,1\n"}),
         ["send", "--dry-run", "r2.conf", "--workload", "latin1.csv", "--format", "json"], 0, r"bad\ufffd\.test|bad\\ufffd",
         absent=["internal error"])
    case("send: a workload rate of 0/h is refused, not read as unlimited",
         dict(conf, **{"zero-rate.json": '{"streams": [{"domain": "a.test", "messages": 5, "rate": "0/h"}]}'}),
         ["send", "--dry-run", "r2.conf", "--workload", "zero-rate.json"], 2, r"never inject")
    case("send: messages 1e400 in a workload is an input error", dict(conf, **{"big.json":
         '{"streams": [{"domain": "a.test", "messages": 1e400}]}'}),
         ["send", "--dry-run", "r2.conf", "--workload", "big.json"], 2, r"big\.json: .*number overflow", absent=["internal error"])
    case("send: 1e400 in a scenario is an input error", dict(conf, **{"w1.json": one, "big-scenario.json":
         '{"default": {"connect_latency": 1e400}}'}),
         ["send", "--dry-run", "r2.conf", "--workload", "w1.json", "--scenario", "big-scenario.json"], 2, r"number overflow",
         absent=["internal error"])
    for port in ("0", "99999", "", "65536", "x"):
        case(f"send: --smtp-server 127.0.0.1:{port} is refused", dict(conf, **{"w1.json": one}),
             smtp + [f"127.0.0.1:{port}", "--workload", "w1.json"], 2, r"port must be a number from 1 to 65535", timeout=10)

    # 3. Path arguments that are not regular files.
    for cmd, label in ((["send", "--dry-run", "r2.conf", "--workload", "w1.json"], "send"), (["r2.conf"], "config")):
        case(f"{label}: --dns-zone /dev/zero is refused before reading", dict(conf, **{"w1.json": one}),
             cmd + ["--dns-zone", "/dev/zero"], 2, r"/dev/zero: cannot read the zone file: is a device", timeout=10)
        case(f"{label}: --dns-zone naming a FIFO is refused (no hang)", dict(conf, **{"w1.json": one}),
             cmd + ["--dns-zone", "zone-fifo"], 2, r"is a FIFO", timeout=10,
             before=lambda: os.path.exists(tmp / "zone-fifo") or os.mkfifo(tmp / "zone-fifo"))
        case(f"{label}: --dns-zone naming a directory is refused", dict(conf, **{"w1.json": one, "zdir/x": "x"}),
             cmd + ["--dns-zone", "zdir"], 2, r"is a directory", timeout=10)
    case("send: --workload /dev/zero is refused", conf, ["send", "--dry-run", "r2.conf", "--workload", "/dev/zero"], 2,
         r"is a device", timeout=10)
    case("send: --scenario naming a FIFO is refused", dict(conf, **{"w1.json": one}),
         ["send", "--dry-run", "r2.conf", "--workload", "w1.json", "--scenario", "s-fifo"], 2, r"FIFO", timeout=10,
         before=lambda: os.mkfifo(tmp / "s-fifo"))
    case("send: --starttls-ca naming a FIFO is refused (OpenSSL never opens it)", dict(conf, **{"w1.json": one}),
         smtp + ["127.0.0.1:25", "--workload", "w1.json", "--starttls-ca", "ca-fifo"], 2, r"ca-fifo: is a FIFO", timeout=10,
         before=lambda: os.mkfifo(tmp / "ca-fifo"))

    # 4. --online: one DNS deadline for the run; replies that do not answer the query are ignored.
    many_ips = "".join(f"<virtual-mta v{i}>\n  smtp-source-host 192.0.2.{i} m{i}.example.net\n</virtual-mta>\n" for i in range(1, 41))
    case("--online: a server answering in 1.5 s: 40 lookups stop at the run's DNS deadline (20 s)", {"ips.conf": many_ips},
         ["-q", "ips.conf", "--online", "--resolver", f"127.0.0.1:{dns_server('slow')}"], 1,
         r"skipped: the run's DNS deadline", timeout=40)
    case("--online: spoofed replies (wrong ID, wrong question) are ignored, never 'no PTR record'",
         {"ip1.conf": "<virtual-mta v1>\n  smtp-source-host 192.0.2.1 m1.example.net\n</virtual-mta>\n"},
         ["-q", "ip1.conf", "--online", "--resolver", f"127.0.0.1:{dns_server('spoof')}"], 0,
         r"could not be checked: no answer .* ignored: ID, question or sender did not match", timeout=20,
         absent=["no PTR record"])

    # 5. Control characters from inputs, in every human-readable format.
    evil = {"streams": [{"domain": d, "messages": 2} for d in
                        ("evil\x1b]0;pwned\x07.test", "evil\nFORGED.test", "nul\x00.test", "c1\x9b31m.test")]}
    case("send: workload domains with ESC/OSC, newline, NUL, C1: text report and SVG escaped",
         dict(conf, **{"evil.json": json.dumps(evil)}),
         ["send", "--dry-run", "r2.conf", "--workload", "evil.json", "--plot", "evil.svg"], 0, r"evil\\x1B\]0;pwned",
         absent=CONTROL + ["\nFORGED"], check=lambda out, err: svg_problems(tmp / "evil.svg"), writes=("evil.svg",))
    case("send: an error quoting a domain with control characters is escaped",
         dict(conf, **{"evil-vmta.json": '{"streams": [{"domain": "a.test", "messages": 1, "vmta": "v\\u001b[2J\\nFORGED"}]}'}),
         ["send", "--dry-run", "r2.conf", "--workload", "evil-vmta.json"], 2, r"v\\x1B\[2J\\x0AFORGED", absent=CONTROL + ["\nFORGED"])
    bad_name = "bad\nforged\x1b[31m.conf"
    for fmt in ("text", "gcc", "github"):
        case(f"config --format {fmt}: a file name with a newline and ESC, a value with ESC and C1",
             {bad_name: "<domain *>\n  max-smtp-out \x1b[2J\xc2\x9b5\n</domain>\n"}, ["--format", fmt, bad_name], 1,
             r"forged", absent=CONTROL + ["\nforged"])

    def well_formed(out, err):
        try:
            ElementTree.fromstring(out.encode())
        except ElementTree.ParseError as e:
            return [f"not well-formed XML: {e}"]
        return []
    for fmt in ("checkstyle", "junit"):
        case(f"config --format {fmt}: the same file gives well-formed XML without control bytes",
             {bad_name: "<domain *>\n  max-smtp-out \x1b[2J\xc2\x9b5\n</domain>\n"}, ["--format", fmt, bad_name], 1,
             r"forged", absent=CONTROL, check=well_formed)

    # 6. Secrets: masked to the end of the line; baselines hash the masked line.
    case("a password cut by '#' is masked to the end of the line, comment tail included",
         {"cut.conf": "<smtp-user ops@example.com>\n    password \"S3cr3t#PART2\"\n</smtp-user>\n"}, ["cut.conf"], 1,
         r"password \*+", absent=["S3cr3t", "PART2"])
    secret_line = "    pasword zebra77 # zebra77-tail"

    def baseline_problems(out, err):
        text = (tmp / "b2.json").read_text()
        problems = [f"the baseline holds {w!r}" for w in ("zebra77",) if w in text]
        doc = json.loads(text)
        report = json.loads(subprocess.run([binary, "config", "--format", "json", "b2.conf"], cwd=tmp, capture_output=True,
                                           timeout=30).stdout)
        lines = (tmp / "b2.conf").read_text().split("\n")
        legacy = {legacy_fingerprint(d["rule"], "b2.conf", lines[d["line"] - 1], d["message"])
                  for d in report["diagnostics"]}
        if not legacy:
            problems.append("no finding on the secret line")
        if any(f["fingerprint"] in legacy for f in doc["findings"]):
            problems.append("a fingerprint is the FNV-1a of the raw secret line")
        return problems
    b2 = {"b2.conf": f"<smtp-user ops@example.com>\n{secret_line}\n</smtp-user>\n"}
    case("--write-baseline: a finding on a secret line is fingerprinted without the secret", b2,
         ["--write-baseline", "b2.json", "b2.conf"], 0, r"recorded [1-9]", check=baseline_problems, writes=("b2.json",))
    case("--baseline: the masked fingerprints still match", b2, ["--baseline", "b2.json", "b2.conf"], 0, r"suppressed",
         absent=["zebra77"])

    # 7. Outputs onto inputs.
    conf7 = {"r7.conf": "include inc7.conf\n", "inc7.conf": "<domain *>\n  max-smtp-out 2\n</domain>\n", "w7.json": one}
    send7 = ["send", "--dry-run", "r7.conf", "--workload", "w7.json", "--plot"]
    case("send --plot onto the workload is refused", conf7, send7 + ["w7.json"], 2, r"is the workload w7\.json; refusing")
    case("send --plot onto the configuration is refused", conf7, send7 + ["r7.conf"], 2, r"is the configuration r7\.conf")
    case("send --plot onto an included file is refused", conf7, send7 + ["inc7.conf"], 2, r"a file this run reads")
    case("send --plot onto a symlink to the workload is refused", conf7, send7 + ["to-workload.svg"], 2, r"refusing",
         before=lambda: os.symlink("w7.json", tmp / "to-workload.svg"))

    case("config -o onto the file being linted is refused", conf7, ["config", "-o", "r7.conf", "r7.conf"], 2,
         r"--output r7\.conf is a configuration named to lint")
    case("config -o onto an included file is refused", conf7, ["config", "-o", "inc7.conf", "r7.conf"], 2,
         r"a file this run reads")
    case("config --write-baseline onto the file being linted is refused", conf7,
         ["config", "--write-baseline", "r7.conf", "r7.conf"], 2, r"--write-baseline r7\.conf is a configuration")

    def link_kept(out, err):
        problems = [] if os.path.islink(tmp / "link7.svg") else ["link7.svg is no longer a symlink"]
        return problems + svg_problems(tmp / "target7.svg")
    case("send --plot onto a symlink writes through to its target (the link stays)", conf7, send7 + ["link7.svg"], 0,
         r"dry run", check=link_kept, writes=("target7.svg",),
         before=lambda: ((tmp / "target7.svg").write_text("old"), os.symlink("target7.svg", tmp / "link7.svg")))


def main():
    global passed, failed
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rss-limit-mb", type=int, default=1200)
    parser.add_argument("--time-factor", type=float, default=1.0,
                        help="multiplies every time limit (sanitizer builds run several times slower)")
    parser.add_argument("--only", help="run only the cases whose name matches this regular expression")
    opts = parser.parse_args()
    binary = str(pathlib.Path(opts.binary).resolve())

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = pathlib.Path(tmp_name)
        os.chmod(tmp, 0o755)
        cases = []

        def case(name, files, args, code, pattern, user=None, timeout=60, before=None, absent=(), check=None, writes=()):
            """absent: strings that must not be in stdout or stderr; check(out, err) returns
            problems; writes: files the case may change (outputs)."""
            cases.append((name, files, args, code, pattern, user, timeout, before, absent, check, writes))

        def write(rel, data):
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data if isinstance(data, bytes) else data.encode())
            return str(path)

        case("empty file", {"empty.conf": b""}, ["empty.conf"], 0, r"no problems found")
        case("only comments", {"comments.conf": "# one\n  # two\n#<domain x>\n"}, ["comments.conf"], 0, r"no problems found")
        case("whitespace and CRLF only", {"blank.conf": "\r\n  \t\r\n\r\n"}, ["blank.conf"], 0, r"no problems found")
        case("binary file", {"binary.conf": b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 4}, ["binary.conf"], 2, r"binary")
        case("NUL bytes after the binary sniff window", {"nul.conf": "# x\n" * 3000 + "postmaster a@example.com\x00\n"},
             ["nul.conf"], 1, r"NUL byte")
        case("invalid UTF-8", {"latin1.conf": b"host-name m\xe9l.example.com\n"}, ["latin1.conf"], 1, r"invalid UTF-8")
        case("UTF-16 with BOM", {"utf16.conf": "\ufeffpostmaster a@example.com\n".encode("utf-16-le")}, ["utf16.conf"], 2,
             r"UTF-16")
        case("100 MB single line", {"long.conf": b"domain-macro big " + b"a.example," * 10_000_000 + b"\n"},
             ["-q", "long.conf"], 1, r"bytes long")
        case("100 000 nested open tags", {"nested.conf": "".join(f"<b{i} x>\n" for i in range(100_000))},
             ["-q", "--format", "gcc", "nested.conf"], 1, r"nested more than 64")
        case("1 000 000 directives in one block",
             {"many.conf": "<virtual-mta v>\n" + "    smtp-source-host 192.0.2.1 mta.example.com\n" * 1_000_000 + "</virtual-mta>\n"},
             ["many.conf"], 0, r"no problems found")
        # Each level includes the next twice: 2^30 readings if every include were spliced in.
        diamond = {f"d/l{i}.conf": f"include l{i + 1}.conf\ninclude l{i + 1}.conf\n" for i in range(30)}
        diamond["d/l30.conf"] = "postmaster a@example.com\n"
        case("30 levels of files each included twice (a diamond) are read once per block", diamond,
             ["-q", "--fail-on", "warning", "d/l0.conf"], 1,
             r"already included into this block", timeout=20)
        # Every conf.d file includes all of them: each file once into the top level, cycles reported.
        mesh = {f"m/{i:02d}.conf": f"include *.conf\n<virtual-mta v{i}>\n</virtual-mta>\n" for i in range(22)}
        case("22 conf.d files that each include *.conf stay linear", mesh, ["-q", "m/00.conf"], 1, r"include cycle", timeout=20,
             check=lambda out, err: [] if out.count("\n") < 5000 else [f"{out.count(chr(10))} lines of output"])
        key_body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secretkeymaterialAAAA"
        pem = f"-----BEGIN PRIVATE KEY-----\n{key_body}\n{key_body[::-1]}\n-----END PRIVATE KEY-----\n"
        case("a private key behind a UTF-8 byte-order mark is refused, nothing of it shown", {"bom.pem": b"\xef\xbb\xbf" + pem.encode()},
             ["bom.pem"], 2, r"holds a private key", absent=(key_body, key_body[::-1]))
        case("an indented private key is refused, nothing of it shown",
             {"indented.pem": "".join("    " + line + "\n" for line in pem.splitlines())},
             ["indented.pem"], 2, r"holds a private key", absent=(key_body,))
        case("a key body without its armour is refused, nothing of it shown",
             {"body.txt": "".join(key_body + str(i) + "\n" for i in range(6))},
             ["body.txt"], 2, r"holds base64-encoded data", absent=(key_body,))
        # --root stands for a copy of /etc/pmta: '..' and symlinks must not lead to this machine's files.
        case("--root: include /../../../../etc/passwd is refused, nothing of it quoted",
             {"rootcase/etc/pmta/config": "include /../../../../../../../../etc/passwd\n"},
             ["--root", "rootcase", "rootcase/etc/pmta/config"], 1, r"leads outside the root", absent=("root:x:0:0",))
        case("--root: a symlink inside the root that points outside is refused, nothing of it quoted",
             {"rootlink/etc/pmta/config": "include /etc/pmta/out.conf\n"},
             ["--root", "rootlink", "rootlink/etc/pmta/config"], 1, r"leads outside the root", absent=("root:x:0:0",),
             before=lambda: os.symlink("/etc/passwd", tmp / "rootlink/etc/pmta/out.conf"))
        # Wide wildcards and files that are not configuration: bounded, one finding each, nothing quoted.
        case("include /usr/share/*/* (system files) in bounded time, one finding each, quoting none",
             {"wide.conf": "include /usr/share/*/*\n"}, ["-q", "wide.conf"], 1, r"its lines are not PowerMTA directives",
             timeout=30,
             check=lambda out, err: [] if len(out) < 4_000_000 else [f"{len(out)} bytes of output"])
        case("an included data file is one finding, none of its lines quoted",
             {"data-main.conf": "include data-list.txt\n",
              "data-list.txt": "".join(f"customer-{i} token-{i}-c0ffee plan-gold\n" for i in range(60))},
             ["-q", "data-main.conf"], 1, r"its lines are not PowerMTA directives", absent=("token-7-c0ffee", "customer-12"))
        # Macros whose names are long: the expansion is bounded in bytes, not only in names.
        long_name = "x" * 20000
        bomb = ["domain-macro a " + ",".join(long_name[:20000 - i] + str(i) for i in range(3))]
        bomb += [f"domain-macro m{k} $a,$b{k},$c{k}" for k in range(8)]
        bomb += [f"domain-macro b{k} {long_name[:19000]}b\ndomain-macro c{k} {long_name[:19000]}c" for k in range(8)]
        bomb += [f"<domain $m0.$m1.$m2.$m3.x{j}>\n</domain>" for j in range(60)]
        case("domain macros of 20 KB names expand within a byte budget, in bounded time and memory",
             {"bomb.conf": "\n".join(bomb) + "\n"}, ["-q", "--main", "bomb.conf", "bomb.conf"], 1, r"MiB of them", timeout=30)
        case("config --config naming a FIFO is refused at once, not read forever", {"fifo-user.conf": "postmaster a@example.com\n"},
             ["--config", "settings.fifo", "fifo-user.conf"], 2, r"is a FIFO", timeout=10,
             before=lambda: os.mkfifo(tmp / "settings.fifo"))
        case("a wildcard matching 20 001 files reads the first 20 000",
             {f"wider/conf.d/{i:05d}.conf": "" for i in range(20001)} | {"wider/main.conf": "include conf.d/*.conf\n"},
             ["-q", "wider/main.conf"], 1, r"matches 20001 files; only the first 20000 are read", timeout=60)
        case("include cycle", {"cycle-a.conf": "include cycle-b.conf\n", "cycle-b.conf": "include cycle-a.conf\n"},
             ["cycle-a.conf"], 1, r"include cycle")
        case("include cycle through a wildcard",
             {"wild/main.conf": "include parts/*.conf\n", "wild/parts/a.conf": "include ../main.conf\n"},
             ["wild/main.conf"], 1, r"include cycle")
        case("include of /dev/zero", {"zero.conf": "include /dev/zero\n"}, ["zero.conf"], 1, r"device")
        case("include of /dev/urandom", {"urandom.conf": "include /dev/urandom\n"}, ["urandom.conf"], 1, r"device")
        case("include of a FIFO", {"fifo.conf": "include the-fifo\n"}, ["fifo.conf"], 1, r"FIFO",
             before=lambda: os.mkfifo(tmp / "the-fifo"))
        case("include of a directory", {"dir.conf": "include somedir\n", "somedir/x.txt": "x"}, ["dir.conf"], 1,
             r"is a directory")
        case("symlink loop", {"loop.conf": "include loop-a\n"}, ["loop.conf"], 1, r"too many levels of symbolic links",
             before=lambda: (os.symlink("loop-b", tmp / "loop-a"), os.symlink("loop-a", tmp / "loop-b")))
        case("file without read permission", {"secret.conf": "postmaster a@example.com\n"}, ["secret.conf"], 2,
             r"Permission denied", user="65534", before=lambda: os.chmod(tmp / "secret.conf", 0o600))
        deep = {f"deep/f{i}.conf": f"include f{i + 1}.conf\n" for i in range(1000)}
        deep["deep/f1000.conf"] = "postmaster a@example.com\n"
        case("include depth 1000", deep, ["deep/f0.conf"], 1, r"nested more than 64")
        many = {f"wide/conf.d/{i:05}.conf": f"postmaster p{i}@example.com\n" for i in range(10_000)}
        many["wide/main.conf"] = "include conf.d/*.conf\n"
        case("10 000 files matched by one wildcard", many, ["wide/main.conf"], 0, r"no problems found in 10001 files")
        case("numbers that overflow every integer type",
             {"overflow.conf": "<domain *>\n  max-smtp-out 99999999999999999999999999999999\n"
                               "  max-msg-rate 184467440737095516160/h\n  bounce-after 99999999999999999999w\n</domain>\n"},
             ["overflow.conf"], 1, r"too large")
        case("a rate of 1/0s", {"rate.conf": "<domain *>\n  max-msg-rate 1/0s\n</domain>\n"}, ["rate.conf"], 1,
             r"multiplier")
        # The shadowing check of unreachable-rule runs each earlier regex on a later rule's literal;
        # PCRE2's match limit bounds it.
        case("catastrophic-backtracking regex meets a long literal (PCRE2 match limit)",
             {"regex.conf": "<smtp-pattern-list p>\n  reply /(a+)+b/ mode=backoff\n  reply /(x*)*y/ bounce-rcpt\n"
                            "  reply /" + "a" * 5000 + "/ mode=backoff\n  reply /" + "x" * 5000 + "/ bounce-queue\n"
                            "</smtp-pattern-list>\n"},
             ["regex.conf"], 0, r"no problems found", timeout=10)
        case("20 000 reply rules in one smtp-pattern-list (shadowing check stays bounded)",
             {"replies.conf": "<smtp-pattern-list p>\n" + "".join(f"  reply /42{i % 10} x{i} y/ mode=backoff\n"
                                                                   for i in range(20_000)) + "</smtp-pattern-list>\n"},
             ["-q", "replies.conf"], 0, r"^$", timeout=20)
        # Rules that relate <domain> blocks to each other (overrides, queue routing) must look up
        # the blocks that can match, not compare every pair: 20 000 x 20 000 would take minutes.
        cross = ("<mx-rollup-list>\n  mx *.mx.invalid rollup.q\n</mx-rollup-list>\n<domain rollup.q>\n  max-smtp-out 5\n</domain>\n"
                 + "".join(f"<domain d{i}.example>\n  max-msg-rate 100/h\n</domain>\n" for i in range(20_000))
                 + "".join(f"<virtual-mta v{i}>\n  <domain x{i}.example>\n    max-smtp-out 2\n  </domain>\n</virtual-mta>\n"
                           for i in range(20_000)))
        case("20 000 top-level domains and 20 000 VMTAs with their own (cross-block rules stay near-linear)",
             {"cross.conf": cross}, ["-q", "cross.conf"], 0, r"^$", timeout=20)
        # Rules that follow one block into another (pools, reply lists, rollups, keys) must not
        # rescan the other block for each of thousands of blocks that refer to it.
        header = "log-file /var/log/pmta/log\n<spool /var/spool/pmta>\n</spool>\n"

        def vmtas(n, inside=""):
            return "".join(f"<virtual-mta v{i}>\n  smtp-source-host 10.0.{i // 256}.{i % 256} v{i}.x.net\n{inside}</virtual-mta>\n"
                           for i in range(n))

        case("32 000 pools with their own <domain *> (local-domain-override indexes broader blocks by scope)",
             {"config.pool-wildcards": header + vmtas(32_000)
              + "".join(f"<virtual-mta-pool p{i}>\n  virtual-mta v{i}\n  <domain *>\n    max-smtp-out 3\n  </domain>\n"
                        "</virtual-mta-pool>\n" for i in range(32_000))},
             ["-q", "config.pool-wildcards"], 0, r"^$", timeout=20)
        case("24 000 domains sharing a 24 000-line smtp-pattern-list (backoff-default-looser reads it once)",
             {"config.shared-list": header + "<smtp-pattern-list L>\n"
              + "".join(f"  reply /code{i} z/ disable-source-ip\n" for i in range(24_000)) + "</smtp-pattern-list>\n"
              + "".join(f"<domain d{i}.com>\n  max-smtp-out 5\n  smtp-pattern-list L\n</domain>\n" for i in range(24_000))},
             ["-q", "config.shared-list"], 0, r"^$", timeout=20)
        case("40 000 mx-rollup lines and 40 000 domains without DNS (rerouted-domain-limits indexes rollup names)",
             {"config.rollups": header + "<mx-rollup-list>\n"
              + "".join(f"  mx *.mx{i}.net q{i}.rollup\n" for i in range(40_000)) + "</mx-rollup-list>\n"
              + "".join(f"<domain d{i}.com>\n  max-smtp-out 5\n</domain>\n" for i in range(40_000))},
             ["-q", "config.rollups"], 0, r"^$", timeout=20)
        case("80 000 signing VMTAs in one pool whose key is its first line (dkim-key reads the pool once)",
             {"config.pool-key": header + vmtas(80_000, "  <domain *>\n    dkim-sign yes\n  </domain>\n")
              + "<virtual-mta-pool p0>\n  domain-key s,p0.x.net,/etc/p0.pem\n"
              + "".join(f"  virtual-mta v{i}\n" for i in range(80_000)) + "</virtual-mta-pool>\n"},
             ["-q", "config.pool-key"], 1, r"DKIM key file /etc/p0.pem: no such file", timeout=20)
        case("domain macros that multiply into millions of domains",
             {"macros.conf": "".join(f"domain-macro {m} " + ", ".join(f"v{i}" for i in range(10)) + "\n" for m in "abcd")
                             + "<domain $a.$b.$c.$d>\n  max-smtp-out 1\n</domain>\n" * 3000},
             ["-q", "macros.conf"], 1, r"expand to more than 200000", timeout=30)
        # A value continued over many lines is joined in place: copying the joined value again
        # for every line took about 5 s at 40 000 lines, and grew with the square of the count.
        case("a domain-macro continued over 200 000 lines (the joined value grows linearly)",
             {"continued/config": header + "domain-macro big d0.com,\n" + "".join(f"d{i}.com,\n" for i in range(1, 200_000))
                                  + "dl.com\n"},
             ["-q", "continued/config"], 0, r"^$", timeout=20)
        # Each level looked for its name among the macros being expanded: cubic, 36 s at 2 000.
        # Each level is also a stack frame: 20 000 levels crashed the process. Expansion stops at
        # Model::kMaxMacroDepth and says so, once.
        for levels, seconds in ((2_000, 20), (20_000, 30)):
            case(f"{levels // 1000} 000 domain macros each defined by the one before (expansion stops at a depth and says so once)",
                 {"nested-macros/config": header + "domain-macro m0 a.com\n"
                                          + "".join(f"domain-macro m{i} $m{i - 1}\n" for i in range(1, levels))
                                          + f"<domain $m{levels - 1}>\n max-smtp-out 5\n</domain>\n"},
                 ["-q", "nested-macros/config"], 0, r"^[^\n]*more than 256 macros defined by one another[^\n]*\n(?:(?!warning|error).*\n?)*$",
                 timeout=seconds)
        # Lookups across a generated configuration must not compare every pair: each of these
        # took well over 20 s when the rule scanned the whole list for every entry.
        head = "log-file /var/log/pmta/log\n<spool /var/spool/pmta>\n</spool>\n"
        case("40 000 named sources each selected by its own listener (exposure looks listeners up)",
             {"listeners.conf": head + "".join(f"smtp-listener 10.0.{i // 256}.{i % 256}:25 source=s{i}\n" for i in range(40_000))
                                + "".join(f"<source s{i}>\n  always-allow-relaying yes\n  allow-unencrypted-plain-auth yes\n</source>\n"
                                          for i in range(40_000))},
             ["-q", "listeners.conf"], 0, r"^$", timeout=20)
        case("a queue-to loop through 20 000 domains (each queue is walked once)",
             {"loop.conf": head + "".join(f"<domain d{i}.com>\n  queue-to d{(i + 1) % 20_000}.com\n</domain>\n" for i in range(20_000))},
             ["-q", "loop.conf"], 0, r"queue-to lines form a loop \(d0\.com → d1\.com → .* → d19999\.com → d0\.com\)", timeout=20)
        case("80 000 domains queued to one rollup (its <domain> block is looked up, not searched)",
             {"rollup.conf": head + "".join(f"<domain d{i}.com>\n  queue-to all.rollup\n</domain>\n" for i in range(80_000))
                             + "<domain all.rollup>\n  max-smtp-out 5\n</domain>\n"},
             ["-q", "rollup.conf"], 0, r"^$", timeout=20)
        case("120 000 suppressions, most matching nothing (each finding meets only those around it)",
             {"suppressed.conf": head + "".join(f"# pmtalint: disable=unknown-directive -- ok\n<domain d{i}.com>\n"
                                                f"  max-smtp-out 5 # pmtalint: disable=duplicate-directive\n"
                                                f"  max-smtp-out 6 # pmtalint: disable=duplicate-directive -- x\n</domain>\n"
                                                for i in range(40_000))},
             ["-q", "suppressed.conf"], 0, r"suppressed\.conf:\d+:1: warning: nothing here is reported as 'unknown-directive'", timeout=20)
        case("150 000 passwords and 150 000 findings shown with their lines (each line meets only its own secrets)",
             {"secrets.conf": head + "".join(f"<smtp-user u{i}>\n  password s{i}\n</smtp-user>\n"
                                             f"<domain d{i}.com>\n  max-smtp-out 5\n  max-smtp-out 6\n</domain>\n"
                                             for i in range(150_000))},
             ["-q", "secrets.conf"], 0, r"already set in this block", timeout=20, absent=("password s",))
        # A conf.d named on the command line: 16 000 configurations of one file each. Looking a file
        # up among those already read, finding its .pmtalint.toml, and telling which configuration
        # holds which file must not cost a pass over every file per file (9-15 s when it did; under a
        # second since configurations() reads the include graph once).
        fragments = {f"conf.d/f{i:06d}.conf": f"<domain d{i}.com>\n max-smtp-out 5\n</domain>\n" for i in range(16_000)}
        fragments["conf.d/f000000.conf"] = head + fragments["conf.d/f000000.conf"]
        case("16 000 conf.d fragments named at once", fragments, ["-q"] + sorted(fragments), 0, r"^$", timeout=6)
        case("a DKIM key path that is a device", {"key.conf": "domain-key s1,example.com,/dev/zero\n"}, ["key.conf"], 1,
             r"device")
        case("a configuration path that is a socket", {}, ["the-socket"], 2, r"socket",
             before=lambda: socket.socket(socket.AF_UNIX).bind(str(tmp / "the-socket")))
        case("output to a full disk", {"ok.conf": "<domain *>\n  max-conn 1\n</domain>\n"}, ["--output", "/dev/full", "ok.conf"],
             2, r"cannot write")
        case("a directory without configuration files", {"adir/x": "x"}, ["adir"], 2, r"no PMTA configuration files in this directory")
        case("a missing configuration", {}, ["does-not-exist.conf"], 2, r"no such file")
        # `pmtalint send --dry-run`: inputs that could make the simulator spin or balloon.
        send_conf = {"send.conf": "<domain *>\n  retry-after 0s\n  retry-recipients-after 0s\n  bounce-after never\n</domain>\n"}
        one_stream = '{"streams": [{"domain": "a.test", "messages": 3}]}'
        case("send: retry waits of 0s against a server that always says 451 (no endless loop at one instant)",
             dict(send_conf, **{"w.json": one_stream, "always-451.json":
                  '{"default": {"connect_latency": 0, "message_latency": 0, "replies": [{"share": 1, "reply": "451 later"}]}}'}),
             ["send", "--dry-run", "send.conf", "--workload", "w.json", "--scenario", "always-451.json", "--horizon", "1d"],
             0, r"retry waits under 1s are taken as 1s", timeout=60)
        case("send: ten billion messages are refused", dict(send_conf, **{"huge.json":
             '{"streams": [{"domain": "a.test", "messages": 10000000000}]}'}),
             ["send", "--dry-run", "send.conf", "--workload", "huge.json"], 2, r"up to 1000000000")
        case("send: a recipient split into five billion transactions is refused", dict(send_conf, **{"split.json":
             '{"streams": [{"domain": "a.test", "messages": 1000000000, "recipients_per_message": 5000}]}'}),
             ["send", "--dry-run", "send.conf", "--workload", "split.json"], 2, r"5000000000 SMTP transactions")
        case("send: a scenario nested a million levels deep", dict(send_conf, **{"w.json": one_stream,
             "deep.json": "[" * 1_000_000 + "]" * 1_000_000}),
             ["send", "--dry-run", "send.conf", "--workload", "w.json", "--scenario", "deep.json"], 2, r"expected an object")
        case("send: a 100 MB workload line", dict(send_conf, **{"long.csv": b"domain,messages\n" + b"a.test," * 15_000_000 + b"\n"}),
             ["send", "--dry-run", "send.conf", "--workload", "long.csv"], 2, r"line 2 is longer than 65536 bytes")
        case("send: a workload that is a FIFO", send_conf, ["send", "--dry-run", "send.conf", "--workload", "w-fifo"], 2, r"FIFO",
             before=lambda: os.mkfifo(tmp / "w-fifo"))
        case("send: --plot to a full disk", dict(send_conf, **{"w.json": one_stream}),
             ["send", "--dry-run", "send.conf", "--workload", "w.json", "--plot", "/dev/full"], 2, r"cannot write")
        case("deeply broken tags on one line", {"tags.conf": "<" * 100_000 + ">" * 100_000 + "\n</" * 1000},
             ["-q", "--format", "gcc", "tags.conf"], 1, r"syntax-error")

        add_round2_cases(case, tmp, binary)

        for name, files, args, code, pattern, user, timeout, before, absent, check, writes in cases:
            if opts.only and not re.search(opts.only, name):
                continue
            for rel, data in files.items():
                write(rel, data)
            if before:
                before()
            sums = {k: v for k, v in digest_tree(tmp).items() if os.path.relpath(k, tmp) not in writes}
            command = args if args[0] == "send" else ["config", "--color", "never"] + args
            timeout = timeout * opts.time_factor
            status, out, err, elapsed, rss_mb = run(binary, command, tmp, timeout, user)
            problems = []
            if status is None:
                problems.append(f"did not finish within {timeout:g}s")
            elif status != code:
                problems.append(f"exit {status}, expected {code}")
            if not re.search(pattern, out + err):
                problems.append(f"no /{pattern}/ in the output: {(out + err)[:300]!r}")
            for text in absent:
                if text in out or text in err:
                    problems.append(f"the output contains {text!r}")
            if check and status is not None:
                problems.extend(check(out, err))
            if rss_mb > opts.rss_limit_mb:
                problems.append(f"peak RSS {rss_mb:.0f} MB over {opts.rss_limit_mb} MB")
            if {k: v for k, v in digest_tree(tmp).items() if os.path.relpath(k, tmp) not in writes} != sums:
                problems.append("an input file changed")
            label = f"{name} ({elapsed:.2f}s, {rss_mb:.0f} MB)"
            if problems:
                failed += 1
                print(f"FAIL {label}\n     " + "\n     ".join(problems))
            else:
                passed += 1
                print(f"ok   {label}")

        if opts.only:
            print(f"{passed} passed, {failed} failed")
            return 1 if failed else 0
        # Input modified while being read: a writer appends for two seconds while pmtalint runs.
        growing = tmp / "growing.conf"
        growing.write_text("<domain *>\n  max-smtp-out 5\n</domain>\n")
        stop = time.monotonic() + 2

        def writer():  # about 10 MB in two seconds
            with growing.open("a") as f:
                while time.monotonic() < stop:
                    f.write("postmaster a@example.com\n" * 2000)
                    f.flush()
                    time.sleep(0.01)

        thread = threading.Thread(target=writer)
        thread.start()
        results = [run(binary, ["config", "-q", "growing.conf"], tmp, 60)[0] for _ in range(5)]
        thread.join()
        ok = all(r in (0, 1) for r in results)
        print(("ok   " if ok else "FAIL ") + f"input modified while being read (exits {results})")
        passed += ok
        failed += not ok

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
