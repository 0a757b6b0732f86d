#!/usr/bin/python3
"""The smtp backend against a real SMTP server on 127.0.0.1 (aiosmtpd, started and stopped
here), then the simulator on a scenario describing the same server: the server answers 421
after 4 messages on one connection.

Two queues share the run. gmail.com is configured below the server's limit
(max-msg-per-connection 3, max-smtp-out 1): no 421, 14 connections of at most 3 messages. (With
two connections, whether the last one opened finds a message left depends on timing.) yahoo.com is configured above it (max-smtp-out 3, max-msg-per-connection
10) with a reply rule that puts the queue into backoff on the 421, where backoff-max-smtp-out 1
applies; its deferred messages expire (bounce-after 20m before retry-recipients-after 1h), so
the counts do not depend on timing: 8 connections × (4 delivered + one 421). example.net sends
5 messages of 3 recipients with max-rcpt-per-message 2: 10 transactions (2 + 1 recipients),
4 per connection."""
import argparse
import json
import os
import pty
import pathlib
import subprocess
import sys
import tempfile
import threading

from smtp_sink import THROTTLE_REPLY, Sink

CONFIG = """\
log-file /var/log/pmta/log
spool /var/spool/pmta
<smtp-pattern-list yahoo-errors>
  reply /\\[TSS04\\]/ mode=backoff
</smtp-pattern-list>
<virtual-mta mta1>
  smtp-source-host 192.0.2.10 mta1.example.net
</virtual-mta>
<domain gmail.com>
  max-smtp-out 1
  max-msg-per-connection 3
</domain>
<domain example.net>
  max-smtp-out 1
  max-msg-per-connection 4
  max-rcpt-per-message 2
</domain>
<domain yahoo.com>
  max-smtp-out 3
  max-msg-per-connection 10
  smtp-pattern-list yahoo-errors
  backoff-max-smtp-out 1
  retry-recipients-after 1h
  bounce-after 20m
</domain>
"""
WORKLOAD = {"streams": [{"domain": "gmail.com", "messages": 40, "vmta": "mta1"},
                        {"domain": "yahoo.com", "messages": 40, "vmta": "mta1"},
                        {"domain": "example.net", "messages": 5, "vmta": "mta1", "recipients_per_message": 3}]}
SCENARIO = {"version": 1, "providers": [
    {"name": "yahoo", "domains": ["yahoo.com"],
     "throttle": [{"after_messages_per_connection": 4, "reply": THROTTLE_REPLY}]},
    {"name": "gmail", "domains": ["gmail.com"],
     "throttle": [{"after_messages_per_connection": 4, "reply": THROTTLE_REPLY}]}]}

failures = []


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        failures.append(what)


def peak_concurrency(connections):
    """The most connections open at once, counted at each opening."""
    return max((sum(1 for o in connections if o["opened"] <= c["opened"] < (o["closed"] or float("inf")))
                for c in connections), default=0)


def queue(report, name):
    return next(q for q in report["queues"] if q["name"] == name)


def run_with_terminal(command):
    """Runs with standard error on a pseudo-terminal, as a person would; returns (code, stdout, stderr)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = []

    def drain():
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO once the child has closed the terminal
                break
            if not chunk:
                break
            seen.append(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    stdout, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    return proc.returncode, stdout.decode(), b"".join(seen).decode("utf-8", "replace")


def run(binary, directory, *args, terminal=False):
    command = [binary, "send", "--dry-run", str(directory / "config"), "--workload",
               str(directory / "workload.json"), "--format", "json", *args]
    if terminal:
        code, stdout, stderr = run_with_terminal(command)
        check("messages final" in stderr and stderr.endswith("\r\033[K"),
              f"a run of over a second shows a progress bar on a terminal, cleared at the end ({stderr[-80:]!r})")
    else:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300)
        code, stdout, stderr = result.returncode, result.stdout, result.stderr
        check(stderr == "", f"no progress bar when standard error is not a terminal ({stderr[:80]!r})")
    if code != 0:
        print(stdout, stderr)
    check(code == 0, f"pmtalint send {' '.join(args)} exits 0 (got {code})")
    return json.loads(stdout) if code == 0 else None


def counts(q):
    return {k: q[k] for k in ("messages", "delivered", "deferrals", "bounced", "expired", "pending", "connections")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    binary = parser.parse_args().binary
    with tempfile.TemporaryDirectory() as tmp:
        directory = pathlib.Path(tmp)
        (directory / "config").write_text(CONFIG)
        (directory / "workload.json").write_text(json.dumps(WORKLOAD))
        (directory / "scenario.json").write_text(json.dumps(SCENARIO))
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                        "-keyout", str(directory / "key.pem"), "-out", str(directory / "cert.pem")],
                       check=True, capture_output=True)

        with Sink(4, directory / "cert.pem", directory / "key.pem") as sink:
            # 300 simulated seconds per real one: bounce-after 20m passes in 4 s.
            smtp = run(binary, directory, "--backend", "smtp", "--smtp-server", f"127.0.0.1:{sink.port}", "--speed", "300",
                       terminal=True)
        if smtp is None:
            return
        conns = sink.stats.connections
        gmail = [c for c in conns if c["domain"] == "gmail.com"]
        yahoo = [c for c in conns if c["domain"] == "yahoo.com"]
        print(f"     server saw {len(conns)} connections: gmail {[c['accepted'] for c in gmail]}, "
              f"yahoo {[(c['accepted'], c['throttled']) for c in yahoo]}")
        check(all(c["tls"] for c in conns if c["accepted"]), "every message went over STARTTLS (use-starttls defaults to yes)")
        check(sum(c["accepted"] for c in conns) == 82, f"the server accepted 82 messages ({sum(c['accepted'] for c in conns)})")
        split = [c for c in conns if c["domain"] == "example.net"]
        rcpts = sorted(n for c in split for n in c["recipients"])
        check(rcpts == [1] * 5 + [2] * 5 and [c["accepted"] for c in split] == [4, 4, 2],
              f"example.net: max-rcpt-per-message 2 split 5 × 3 recipients into 10 transactions on 3 connections ({rcpts})")
        check(max(c["accepted"] for c in gmail) == 3 and len(gmail) == 14,
              f"gmail: max-msg-per-connection 3 honoured, 14 connections ({len(gmail)})")
        check(peak_concurrency(gmail) == 1, f"gmail: max-smtp-out 1 honoured ({peak_concurrency(gmail)})")
        check(sum(c["throttled"] for c in gmail) == 0, "gmail: never throttled")
        check(max(c["accepted"] for c in yahoo) == 4 and sum(c["throttled"] for c in yahoo) == 8 and len(yahoo) == 8,
              f"yahoo: 8 connections, each 4 accepted then a 421 ({len(yahoo)})")
        check(peak_concurrency(yahoo) == 3, f"yahoo: max-smtp-out 3 honoured and reached ({peak_concurrency(yahoo)})")
        after = [c for c in yahoo if c["opened"] > sink.stats.first_throttle]
        alone = all(sum(1 for o in yahoo if o["opened"] <= c["opened"] < (o["closed"] or float("inf"))) == 1 for c in after)
        if not (len(after) == 5 and alone):
            t0 = sink.stats.first_throttle
            print("     yahoo connections (opened, closed) relative to the first 421:",
                  [(round(c["opened"] - t0, 3), c["closed"] and round(c["closed"] - t0, 3)) for c in yahoo])
        check(len(after) == 5 and alone,
              f"yahoo: after the first 421 connections opened one at a time (backoff-max-smtp-out 1): {len(after)} of them")
        y = queue(smtp, "yahoo.com/mta1")
        check(len(y["backoff"]) == 1 and "[TSS04]" in y["backoff"][0]["reply"] and "yahoo-errors" not in y["backoff"][0]["rule"]
              and "reply /" in y["backoff"][0]["rule"], f"yahoo: the report shows the backoff episode ({y['backoff']})")
        check(y["connections"] == len(yahoo) and y["delivered"] == 32 and y["deferrals"] == 8 and y["expired"] == 8,
              f"yahoo: the report matches the server ({counts(y)})")
        g = queue(smtp, "gmail.com/mta1")
        check(g["connections"] == len(gmail) and g["delivered"] == 40 and not g["backoff"],
              f"gmail: the report matches the server ({counts(g)})")

        sim = run(binary, directory, "--scenario", str(directory / "scenario.json"))
        if sim is None:
            return
        for name in ("gmail.com/mta1", "yahoo.com/mta1", "example.net/mta1"):
            check(counts(queue(sim, name)) == counts(queue(smtp, name)),
                  f"{name}: the simulator predicts the same counts as the real server ({counts(queue(sim, name))})")
            check(len(queue(sim, name)["backoff"]) == len(queue(smtp, name)["backoff"]),
                  f"{name}: and the same number of backoff episodes")
        check(queue(sim, "yahoo.com/mta1")["peak_connections"] == 3 and queue(sim, "gmail.com/mta1")["peak_connections"] == 1,
              "the simulator's peak connections match the caps reached on the server")

        refused = subprocess.run([binary, "send", "--dry-run", str(directory / "config"), "--workload",
                                  str(directory / "workload.json"), "--backend", "smtp", "--smtp-server", "192.0.2.1:25"],
                                 capture_output=True, text=True, timeout=60)
        check(refused.returncode == 2 and "loopback" in refused.stderr and "--allow-remote" in refused.stderr,
              "a non-loopback --smtp-server is refused without --allow-remote (exit 2)")


main()
print(f"{len(failures)} failed")
sys.exit(1 if failures else 0)
