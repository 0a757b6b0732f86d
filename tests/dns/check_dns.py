#!/usr/bin/python3
"""rdns-mismatch and dkim-dns against DNS, offline and live.

The test generates DKIM keys with openssl (never committed), writes two zone files (forward
example.net with the DKIM records, reverse 2.0.192.in-addr.arpa), lints a configuration with
--dns-zone and checks every expected finding (and that the clean lines stay clean). Then it
starts a real nsd (Debian package) on 127.0.0.1 with a free high port serving the same zones,
lints again with --online --resolver 127.0.0.1:PORT, asserts the same findings, and stops nsd.

    check_dns.py --binary PATH
"""
import argparse
import base64
import json
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def openssl(*args, **kw):
    return subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=120, **kw).stdout


def public_b64(key, ed=False):
    der = openssl("pkey", "-in", str(key), "-pubout", "-outform", "DER")
    return base64.b64encode(der[-32:] if ed else der).decode()  # Ed25519: the raw 32 bytes (RFC 8463)


def txt(text, size=60):
    """A TXT record split into strings of `size` characters; one string holds at most 255."""
    return " ".join('"' + text[i:i + size] + '"' for i in range(0, len(text), size))


SOA = "@ 3600 IN SOA ns.example.net. hostmaster.example.net. 1 3600 600 86400 300\n@ 3600 IN NS ns.example.net.\n"


def write_zones(d, keys):
    good = public_b64(keys["good"])
    forward = f"""$ORIGIN example.net.
$TTL 300
{SOA}ns A 127.0.0.1
good A 192.0.2.10
named A 192.0.2.12
lonely A 192.0.2.99
helo A 192.0.2.14
s-good._domainkey TXT {txt("v=DKIM1; k=rsa; p=" + good, 255)}
s-split._domainkey TXT {txt("v=DKIM1; k=rsa; p=" + good)}
s-revoked._domainkey TXT "v=DKIM1; k=rsa; p="
s-mismatch._domainkey TXT {txt("v=DKIM1; k=rsa; p=" + good)}
s-kind._domainkey TXT "v=DKIM1; k=rsa; p={public_b64(keys['ed'], ed=True)}"
s-other._domainkey TXT "google-site-verification=abc"
"""
    reverse = f"""$ORIGIN 2.0.192.in-addr.arpa.
$TTL 300
{SOA}10 PTR good.example.net.
12 PTR other.example.net.
13 PTR lonely.example.net.
14 PTR helo.example.net.
"""
    (d / "example.net.zone").write_text(forward)
    (d / "2.0.192.in-addr.arpa.zone").write_text(reverse)
    return [d / "example.net.zone", d / "2.0.192.in-addr.arpa.zone"]


def write_config(d, keys):
    lines = [
        "<virtual-mta good>",                                       # 1
        "    smtp-source-host 192.0.2.10 good.example.net",         # 2  clean
        "    host-name good.example.net",                           # 3  clean
        "</virtual-mta>",                                           # 4
        "<virtual-mta noptr>",                                      # 5
        "    smtp-source-host 192.0.2.11 noptr.example.net",        # 6  no PTR
        "</virtual-mta>",                                           # 7
        "<virtual-mta ptrdiff>",                                    # 8
        "    smtp-source-host 192.0.2.12 named.example.net",        # 9  PTR names another host
        "</virtual-mta>",                                           # 10
        "<virtual-mta nofcrdns>",                                   # 11
        "    smtp-source-host 192.0.2.13 lonely.example.net",       # 12 does not resolve back
        "</virtual-mta>",                                           # 13
        "<virtual-mta helo>",                                       # 14
        "    smtp-source-host 192.0.2.14 helo.example.net",         # 15 clean
        "    host-name wrong.example.net",                          # 16 clean: the reference does not make host-name the EHLO name
        "</virtual-mta>",                                           # 17
        "<virtual-mta outside>",                                    # 18
        "    smtp-source-host 198.51.100.1 x.example.org",          # 19 outside the zones: cannot check
        "</virtual-mta>",                                           # 20
        f"domain-key s-good,example.net,{keys['good']}",            # 21 clean
        f"domain-key s-split,example.net,{keys['good']}",           # 22 clean: split TXT joined
        f"domain-key s-missing,example.net,{keys['good']}",         # 23 no record
        f"domain-key s-revoked,example.net,{keys['good']}",         # 24 p= empty
        f"domain-key s-mismatch,example.net,{keys['other']}",       # 25 another key's public half
        f"domain-key s-kind,example.net,{keys['ed']}",              # 26 k=rsa for an Ed25519 key
        f"domain-key s-other,example.net,{keys['good']}",           # 27 TXT without p=
    ]
    path = d / "mta.conf"
    path.write_text("\n".join(lines) + "\n")
    return path


# line -> (rule, severity, word in the message)
EXPECTED = {
    6: ("rdns-mismatch", "error", "no PTR record"),
    9: ("rdns-mismatch", "warning", "other.example.net"),
    12: ("rdns-mismatch", "error", "does not resolve back"),
    19: ("rdns-mismatch", "warning", "could not be checked"),
    23: ("dkim-dns", "error", "no DKIM key record"),
    24: ("dkim-dns", "error", "revoked"),
    25: ("dkim-dns", "error", "does not belong"),
    26: ("dkim-dns", "error", "k=rsa"),
    27: ("dkim-dns", "error", "TXT without p="),
}


def lint(binary, args):
    proc = subprocess.run([binary, "config", "--format", "json", *args], capture_output=True, text=True, timeout=120)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"pmtalint failed ({proc.returncode}): {proc.stderr}")
    return [d for d in json.loads(proc.stdout)["diagnostics"] if d["rule"] in ("rdns-mismatch", "dkim-dns")]


def verify(label, found):
    failed = 0
    by_line = {}
    for d in found:
        by_line.setdefault(d["line"], []).append(d)
    for line in sorted(set(by_line) | set(EXPECTED)):
        got = by_line.get(line, [])
        want = EXPECTED.get(line)
        ok = (not got) if want is None else (len(got) == 1 and got[0]["rule"] == want[0]
                                              and got[0]["severity"] == want[1] and want[2] in got[0]["message"])
        if not ok:
            failed += 1
            print(f"FAIL {label} line {line}: expected {want}, got {[(g['rule'], g['severity'], g['message']) for g in got]}")
    print(f"{'ok  ' if not failed else 'FAIL'} {label}: {len(found)} findings on {len(by_line)} lines")
    return failed


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nsd(d, zones):
    port = free_port()
    run = d / "nsd"
    run.mkdir()
    zone_lines = "".join(f"zone:\n  name: \"{z.name[:-5]}\"\n  zonefile: \"{z}\"\n" for z in zones)
    conf = run / "nsd.conf"
    conf.write_text(f"""server:
  ip-address: 127.0.0.1@{port}
  port: {port}
  username: ""
  chroot: ""
  database: ""
  zonesdir: "{d}"
  pidfile: "{run}/nsd.pid"
  xfrdfile: "{run}/xfrd.state"
  zonelistfile: "{run}/zone.list"
  logfile: "{run}/nsd.log"
  xfrdir: "{run}"
  verbosity: 1
remote-control:
  control-enable: no
{zone_lines}""")
    subprocess.run(["nsd-checkconf", str(conf)], check=True, timeout=30)
    proc = subprocess.Popen(["nsd", "-d", "-c", str(conf)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline:  # ready once it answers the SOA of the forward zone
        probe = subprocess.run(["drill", "-p", str(port), "@127.0.0.1", "example.net", "SOA"], capture_output=True,
                               text=True, timeout=10)
        if "NOERROR" in probe.stdout and "SOA" in probe.stdout.split("ANSWER SECTION")[-1]:
            return proc, port
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    proc.kill()
    raise SystemExit("nsd did not start: " + (run / "nsd.log").read_text(errors="replace") if (run / "nsd.log").exists() else "nsd did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    opts = parser.parse_args()
    for tool in ("openssl", "nsd", "nsd-checkconf", "drill"):
        if not shutil.which(tool) and not pathlib.Path("/usr/sbin", tool).exists():
            print(f"FAIL {tool} is not installed (tools/bootstrap.sh installs it)")
            return 1
    with tempfile.TemporaryDirectory() as tmp:
        d = pathlib.Path(tmp)
        keys = {}
        for name, algorithm in (("good", "RSA"), ("other", "RSA"), ("ed", "ED25519")):
            keys[name] = d / f"{name}.pem"
            extra = ["-pkeyopt", "rsa_keygen_bits:2048"] if algorithm == "RSA" else []
            openssl("genpkey", "-algorithm", algorithm, *extra, "-out", str(keys[name]))
            keys[name].chmod(0o600)
        zones = write_zones(d, keys)
        config = write_config(d, keys)
        offline = lint(opts.binary, [*sum((["--dns-zone", str(z)] for z in zones), []), str(config)])
        failed = verify("offline (--dns-zone)", offline)
        nsd, port = start_nsd(d, zones)
        try:
            started = time.time()
            online = lint(opts.binary, ["--online", "--resolver", f"127.0.0.1:{port}", str(config)])
            print(f"     live lookups took {time.time() - started:.2f} s")
        finally:
            nsd.terminate()
            try:
                nsd.wait(timeout=10)
            except subprocess.TimeoutExpired:
                nsd.kill()
        failed += verify(f"online (nsd on 127.0.0.1:{port})", online)
        key = lambda d: (d["rule"], d["line"], d["column"], d["severity"])
        if sorted(map(key, offline)) != sorted(map(key, online)):
            failed += 1
            print("FAIL live findings differ from the zone-file findings")
        else:
            print("ok   live findings equal the zone-file findings")
        # A server that does not answer: a warning naming it, never a crash or a false mismatch.
        dead = lint(opts.binary, ["--online", "--resolver", f"127.0.0.1:{free_port()}", str(config)])
        bad = [d for d in dead if d["severity"] != "warning" or "could not be checked" not in d["message"]]
        if bad or not dead:
            failed += 1
            print(f"FAIL an unreachable server must give only 'could not be checked' warnings: {bad[:3]}")
        else:
            print(f"ok   unreachable server: {len(dead)} warnings, no mismatch reported")
    print("passed" if not failed else f"{failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
