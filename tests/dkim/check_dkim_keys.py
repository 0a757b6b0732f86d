#!/usr/bin/python3
"""dkim-key on real key files, generated here with the openssl command (no private key is ever
committed): RSA 512/1024/2048, Ed25519, an EC key, garbage, a certificate, a public key, a
passphrase-protected key, and a 0644 file. Each domain-key line must give exactly the expected
finding, and no output may contain key material.

    check_dkim_keys.py --binary PATH
"""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=120)


def make_keys(d):
    keys = {}

    def rsa(bits):
        path = d / f"rsa{bits}.pem"
        openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", f"rsa_keygen_bits:{bits}", "-out", str(path))
        return path
    keys["rsa512"] = rsa(512)
    keys["rsa1024"] = rsa(1024)
    keys["rsa2048"] = rsa(2048)
    keys["ed25519"] = d / "ed25519.pem"
    openssl("genpkey", "-algorithm", "ED25519", "-out", str(keys["ed25519"]))
    keys["ec"] = d / "ec.pem"
    openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", str(keys["ec"]))
    keys["garbage"] = d / "garbage.pem"
    keys["garbage"].write_text("this is not a key\n")
    keys["cert"] = d / "cert.pem"
    openssl("req", "-x509", "-key", str(keys["rsa2048"]), "-out", str(keys["cert"]), "-subj", "/CN=example.net", "-days", "1")
    keys["public"] = d / "public.pem"
    openssl("pkey", "-in", str(keys["rsa2048"]), "-pubout", "-out", str(keys["public"]))
    keys["encrypted"] = d / "encrypted.pem"
    openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256", "-pass", "pass:secret",
            "-out", str(keys["encrypted"]))
    keys["open"] = d / "open.pem"
    keys["open"].write_bytes(keys["rsa2048"].read_bytes())
    for name, path in keys.items():
        os.chmod(path, 0o644 if name == "open" else 0o600)
    return keys


# (key, domain, expected severity or None for no finding, a word the message must contain)
CASES = [
    ("rsa2048", "good.example", None, ""),
    ("rsa512", "weak.example", "error", "512-bit"),
    ("rsa1024", "old.example", "warning", "1024-bit"),
    ("ed25519", "modern.example", "info", "Ed25519"),
    ("ec", "curve.example", "error", "RSA or Ed25519"),
    ("garbage", "junk.example", "error", "not a PEM private key"),
    ("cert", "cert.example", "error", "certificate"),
    ("public", "public.example", "error", "public key"),
    ("encrypted", "locked.example", "error", "passphrase"),
    ("open", "open.example", "warning", "0644"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    opts = parser.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        d = pathlib.Path(tmp)
        keys = make_keys(d)
        secrets = [k.read_text().splitlines()[1] for n, k in keys.items() if n in ("rsa2048", "ed25519", "ec")]
        lines = [f"domain-key s1,{domain},{keys[key]}" for key, domain, _, _ in CASES]
        # An RSA key for the Ed25519 domain under another selector silences the Ed25519 advice.
        lines.append(f"domain-key s1,paired.example,{keys['ed25519']}")
        lines.append(f"domain-key s2,paired.example,{keys['rsa2048']}")
        config = d / "keys.conf"
        config.write_text("\n".join(lines) + "\n")
        for fmt in ("json", "text", "sarif"):
            proc = subprocess.run([opts.binary, "config", "--format", fmt, str(config)], capture_output=True, text=True,
                                  timeout=60)
            for secret in secrets:
                if secret in proc.stdout + proc.stderr:
                    print(f"FAIL key material printed in the {fmt} output")
                    failed += 1
        proc = subprocess.run([opts.binary, "config", "--format", "json", str(config)], capture_output=True, text=True,
                              timeout=60)
        found = {}
        for diag in json.loads(proc.stdout)["diagnostics"]:
            found.setdefault(diag["line"], []).append(diag)
        expected = {i + 1: case for i, case in enumerate(CASES)}
        expected[len(CASES) + 1] = ("ed25519", "paired.example", None, "")
        expected[len(CASES) + 2] = ("rsa2048", "paired.example", None, "")
        for line, (key, domain, severity, word) in expected.items():
            got = [d for d in found.get(line, []) if d["rule"] == "dkim-key"]
            others = [d["rule"] for d in found.get(line, []) if d["rule"] != "dkim-key"]
            ok = (not got if severity is None else len(got) == 1 and got[0]["severity"] == severity
                  and word in got[0]["message"]) and not others
            print(f"{'ok  ' if ok else 'FAIL'} {key} for {domain}: {[(g['severity'], g['message']) for g in got] or 'no finding'}"
                  + (f" (other rules: {others})" if others else ""))
            failed += not ok
        if proc.returncode != 1:
            print(f"FAIL exit code {proc.returncode}, expected 1 (errors present)")
            failed += 1
    print(f"{len(CASES) + 2 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
