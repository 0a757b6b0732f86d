#!/usr/bin/python3
"""Hostile inputs for `pmtalint config` and `pmtalint send --dry-run`. Every case is generated here (nothing large is
committed) and asserts: the exit code, a clear message, a bounded time (timeout) and peak
memory (rusage of the child), and that no input file was modified (SHA-256 before/after).

    run_hostile.py --binary PATH [--rss-limit-mb N]
"""
import argparse
import hashlib
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

passed = failed = 0


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


def main():
    global passed, failed
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rss-limit-mb", type=int, default=1200)
    opts = parser.parse_args()
    binary = str(pathlib.Path(opts.binary).resolve())

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = pathlib.Path(tmp_name)
        os.chmod(tmp, 0o755)
        cases = []

        def case(name, files, args, code, pattern, user=None, timeout=60, before=None):
            cases.append((name, files, args, code, pattern, user, timeout, before))

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
        case("domain macros that multiply into millions of domains",
             {"macros.conf": "".join(f"domain-macro {m} " + ", ".join(f"v{i}" for i in range(10)) + "\n" for m in "abcd")
                             + "<domain $a.$b.$c.$d>\n  max-smtp-out 1\n</domain>\n" * 3000},
             ["-q", "macros.conf"], 1, r"expand to more than 200000", timeout=30)
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

        for name, files, args, code, pattern, user, timeout, before in cases:
            for rel, data in files.items():
                write(rel, data)
            if before:
                before()
            sums = digest_tree(tmp)
            command = args if args[0] == "send" else ["config", "--color", "never"] + args
            status, out, err, elapsed, rss_mb = run(binary, command, tmp, timeout, user)
            problems = []
            if status is None:
                problems.append(f"did not finish within {timeout}s")
            elif status != code:
                problems.append(f"exit {status}, expected {code}")
            if not re.search(pattern, out + err):
                problems.append(f"no /{pattern}/ in the output: {(out + err)[:300]!r}")
            if rss_mb > opts.rss_limit_mb:
                problems.append(f"peak RSS {rss_mb:.0f} MB over {opts.rss_limit_mb} MB")
            if digest_tree(tmp) != sums:
                problems.append("an input file changed")
            label = f"{name} ({elapsed:.2f}s, {rss_mb:.0f} MB)"
            if problems:
                failed += 1
                print(f"FAIL {label}\n     " + "\n     ".join(problems))
            else:
                passed += 1
                print(f"ok   {label}")

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
