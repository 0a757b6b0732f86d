#!/usr/bin/env python3
"""Builds schemas/directives.json and schemas/blocks.json from the team's reference tables.

    tools/knowledge/build_directives.py ../shared/reference

The reference tables (directives.tsv, blocks.tsv) are research notes; this script turns them
into the project's own data: typed value grammars, contexts, deprecation and version ranges.
Descriptions are ours: hand-written ones from descriptions.py, otherwise composed from the
typed fields. Re-run after editing the tables or descriptions.py, then review the diff.
"""
import csv
import json
import pathlib
import re
import sys

from descriptions import BLOCK_DESCRIPTIONS, DESCRIPTIONS

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Introduced in a later version than 3.5/4.0 (from the version landmarks of the research notes).
SINCE = {
    "4.5": ["cold-virtual-mta", "max-cold-virtual-mta-msg", "disable-mx-rollup", "http-redirect-to-https"],
    "5.0": ["max-memory-usage-percent", "enable-signals", "source-group", "reserved-smtp-in"],
    "5.5": ["smtp-proxy-source-host", "use-proxy", "proxy-protocol", "http-delivery-url"],
}
SINCE_PREFIX = {"5.0": ["mta-sts-", "dane-"], "5.5": ["second-dkim-", "http-webhook-"]}
BLOCK_SINCE = {"mx-rollup-list": "4.5", "smtp-listener": "5.0", "source-group": "5.0", "signals": "5.0",
               "transmissions-api": "5.5", "transmissions-api-listener": "5.5", "proxy": "5.5", "vault": "5.5",
               "domain-key-list": "5.5"}
REMOVED_BLOCKS = {"gm-imprinter": "4.5"}
REPLACEMENTS = {
    "spool": ("<spool DIRECTORY> block", None),
    "spool-min-free-space": ("min-free-space inside <spool>", None),
    "smtp-ip": ("smtp-listener IP:PORT", None),
    "smtp-port": ("smtp-listener 0/0:PORT", "smtp-listener 0/0:{value}"),
    "pickup-retry-interval": ("(nothing: PMTA retries pickup files by itself)", None),
    "http-mgmt-source": ("http-access CIDR monitor|operator|admin", None),
    "no-http-mgmt-source": ("http-access CIDR none", "http-access {value} none"),
    "deliver-email": ("deliver-matched-email / deliver-unmatched-email", None),
    "broken-auth-clients": ("(nothing: no longer needed)", None),
    "check-spf-inbound-best-guess": ("(nothing: do not use)", None),
    "deliver-local-dsn": ("suppress-local-dsn in <source>", None),
    "delivery-priority": ("queue-priority", "queue-priority {value}"),
    "max-msg-per-hour": ("max-msg-rate N/h", "max-msg-rate {value}/h"),
    "backoff-max-msg-per-hour": ("backoff-max-msg-rate N/h", "backoff-max-msg-rate {value}/h"),
    "max-smtp-out-per-source-ip": ("source-ip-max-smtp-out CIDR N", None),
    "route": ("smtp-hosts", "smtp-hosts {value}"),
    "dk-sign": ("dkim-sign (DomainKeys was replaced by DKIM)", None),
    "smtp-source-ip": ("smtp-source-host IP HOSTNAME", None),
    "thread-reuse": ("(nothing: no longer has an effect)", None),
}
ALIASES = {"max-rcpt-per-message": ["max-rcpt-per-transaction"]}
RESTART = {"run-as-root", "http-mgmt-port"}
HTTP_LEVELS = ["none", "monitor", "operator", "admin", "deny-logs"]


def enum_values(text):
    m = re.search(r"\{([^}]*)\}", text)
    values = [v.strip() for v in m.group(1).split(",")] if m else []
    if "true/false also seen" in text:
        values += ["true", "false"]
    return values


def grammar(name, vtype):
    """The value grammar of a directive, as data the C++ side interprets."""
    t = vtype.lower()
    overrides = {
        "smtp-source-host": {"kind": "fields", "fields": [{"kind": "cidr"}, {"kind": "hostname"}]},
        "http-access": {"kind": "fields", "fields": [{"kind": "cidr"}, {"kind": "enum_list", "values": HTTP_LEVELS}]},
        "smtp-listener": {"kind": "listener"},
        "domain-key": {"kind": "domain_key"},
        "reply": {"kind": "reply_rule"},
        "mx": {"kind": "fields", "fields": [{"kind": "domain_pattern"}, {"kind": "name"}]},
        "host-name": {"kind": "hostname"},
        "postmaster": {"kind": "email"},
        "queue-to": {"kind": "any"},
        "include": {"kind": "path"},
        "log-file": {"kind": "path"},
        "records": {"kind": "any"},
        "domain-macro": {"kind": "any"},
        "retry-after": {"kind": "interval_list"},
        "backoff-retry-after": {"kind": "interval_list"},
        "max-smtp-out": {"kind": "integer", "min": 0},
        "header": {"kind": "pattern_rule", "header": True},
        "rcpt-to": {"kind": "pattern_rule"},
        "mail-from": {"kind": "pattern_rule"},
        "max-cold-virtual-mta-msg": {"kind": "daily_limits"},
        "total-max-smtp-out": {"kind": "integer", "min": 0},
    }
    if name in overrides:
        return overrides[name]
    if t.startswith("bool |"):
        return {"kind": "enum", "values": ["yes", "no", "true", "false"] + [v.strip() for v in t[6:].split("(")[0].split("|") if v.strip()]}
    if t.startswith("bool"):
        return {"kind": "boolean"}
    if t.startswith("enum"):
        return {"kind": "enum", "values": enum_values(vtype)} if enum_values(vtype) else {"kind": "any"}
    if t.startswith("int"):
        g = {"kind": "integer", "min": 0}
        m = re.match(r"int (\d+)\.\.(\d+)", t)
        if m:
            g = {"kind": "integer", "min": int(m.group(1)), "max": int(m.group(2))}
        if "unlimited" in t:
            g["unlimited"] = True
        if "auto" in t:
            g["auto"] = True
        return g
    if t.startswith("duration list"):
        return {"kind": "interval_list"}
    if t.startswith("duration"):
        return {"kind": "interval", "never": "never" in t}
    if t.startswith("data rate"):
        return {"kind": "data_rate"}
    if t.startswith("rate") or t.startswith("rate ("):
        return {"kind": "rate"}
    if t.startswith("ip|cidr rate"):
        return {"kind": "fields", "fields": [{"kind": "cidr"}, {"kind": "rate"}]}
    if t.startswith("size"):
        return {"kind": "size", "zero": "| 0" in t, "unlimited": "unlimited" in t}
    if t.startswith("cidr") or t == "ip":
        return {"kind": "cidr"}
    if t.startswith("comma list of emails"):
        return {"kind": "email_list", "empty": '""' in t}
    if t.startswith("email |") or t.startswith("email (repeatable") or t == "email":
        return {"kind": "email"} if t in ("email", "email (repeatable: one address per line)") else {"kind": "any"}
    if t.startswith("hostname"):
        return {"kind": "hostname"}
    if t.startswith("host list"):
        return {"kind": "host_list"}
    if t.startswith("path") and "[password]" not in t and "path path" not in t:
        return {"kind": "path"}
    if t.startswith("vmta name") or t.startswith("name of"):
        return {"kind": "name"}
    return {"kind": "any"}


def parse_default(text):
    return text.strip() or None


def version_since(name):
    for version, names in SINCE.items():
        if name in names:
            return version
    for version, prefixes in SINCE_PREFIX.items():
        if any(name.startswith(p) for p in prefixes):
            return version
    return None


def compose_description(name, contexts, vtype):
    where = {
        "global": "at the top level", "domain": "per queue, inside <domain>", "source": "per injection source, inside <source>",
        "virtual-mta": "inside <virtual-mta>", "acct-file": "inside <acct-file>",
    }
    places = ", ".join(where.get(c, f"inside <{c}>") for c in contexts)
    kind = vtype.split(";")[0].split("(")[0].strip()
    return f"Sets {name.replace('-', ' ')} ({kind}); accepted {places}."


def build_directives(ref):
    rows = list(csv.DictReader(open(ref / "directives.tsv", encoding="utf-8"), delimiter="\t"))
    out = []
    for row in rows:
        name = row["name"].strip()
        contexts = [c.strip() for c in row["contexts"].split(",") if c.strip()]
        notes = row["notes"]
        low = notes.lower() + " " + row["value_type"].lower()
        obsolete = "no longer valid" in low or "(obsolete)" in row["value_type"].lower()
        goodmail = "goodmail" in low
        deprecated = None
        if name in REPLACEMENTS and not obsolete:
            replacement, rewrite = REPLACEMENTS[name]
            deprecated = {"replacement": replacement}
            if rewrite:
                deprecated["rewrite"] = rewrite
        removed = "5.0" if obsolete else ("4.5" if goodmail else None)
        record = {
            "name": name,
            "aliases": ALIASES.get(name, []),
            "contexts": contexts,
            "value": grammar(name, row["value_type"]),
            "value_text": row["value_type"].strip(),
            "default": parse_default(row["default"]),
            "repeatable": "repeatable" in low or name in {"include", "domain-key", "virtual-mta", "reply", "mx", "smtp-listener", "http-access", "smtp-source-host", "domain-macro", "postmaster"},
            "deprecated": deprecated,
            "since": version_since(name),
            "removed": removed,
            "restart": name in RESTART or "needs a restart" in low,
            "example": row["example"].strip() or None,
            "description": DESCRIPTIONS.get(name) or compose_description(name, contexts, row["value_type"]),
        }
        out.append(record)
    out.sort(key=lambda r: r["name"])
    return out


def build_blocks(ref):
    rows = list(csv.DictReader(open(ref / "blocks.tsv", encoding="utf-8"), delimiter="\t"))
    out = []
    for row in rows:
        m = re.match(r"<([\w-]+)(?:\s+\[?([A-Z:]+)\]?)?>", row["block"].strip())
        name = m.group(1)
        arg = row["argument_form"].lower()
        if arg.startswith("none"):
            argument = "none"
        elif arg.startswith("optional"):
            argument = "optional"
        else:
            argument = "required"
        nests = row["nests_in"].lower()
        parents = []
        if "top level" in nests:
            parents.append("global")
        for parent in ("virtual-mta-pool", "virtual-mta", "bounce-processor", "feedback-loop-processor", "pattern-list"):
            if f"<{parent}>" in nests or (parent == "pattern-list" and "pattern-list line" in nests):
                parents.append(parent)
        line_syntax = name in {"smtp-pattern-list", "pattern-list", "rewrite-list", "mx-rollup-list", "bounce-category-patterns"}
        out.append({
            "name": name,
            "argument": argument,
            "parents": parents,
            "line_syntax": line_syntax,
            "unique": name in {"vault", "dns", "signals", "transmissions-api", "mx-rollup-list"},
            "since": BLOCK_SINCE.get(name),
            "removed": REMOVED_BLOCKS.get(name),
            "description": BLOCK_DESCRIPTIONS[name],
        })
    out.sort(key=lambda r: r["name"])
    return out


def main():
    ref = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/reference")
    directives = build_directives(ref)
    blocks = build_blocks(ref)
    (ROOT / "schemas/directives.json").write_text(json.dumps({"version": 1, "directives": directives}, indent=1, ensure_ascii=False) + "\n")
    (ROOT / "schemas/blocks.json").write_text(json.dumps({"version": 1, "blocks": blocks}, indent=1, ensure_ascii=False) + "\n")
    names = sorted(r["name"].strip() for r in csv.DictReader(open(ref / "directives.tsv", encoding="utf-8"), delimiter="\t"))
    (ROOT / "tests/data/reference-directive-names.txt").write_text("\n".join(names) + "\n")
    kinds = {}
    for d in directives:
        kinds[d["value"]["kind"]] = kinds.get(d["value"]["kind"], 0) + 1
    print(f"{len(directives)} directives, {len(blocks)} blocks; grammars: {kinds}")


if __name__ == "__main__":
    main()
