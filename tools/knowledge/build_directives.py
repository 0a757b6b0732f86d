#!/usr/bin/env python3
"""Builds schemas/directives.json and schemas/blocks.json from the team's reference tables.

    tools/knowledge/build_directives.py ../shared/reference

The reference (directives.tsv, blocks.tsv, language-notes.md; read by reference.py) holds the
research notes; this script turns them into the project's own data: typed value grammars,
contexts (directives.tsv's column plus every blocks.tsv block listing the directive),
repeatability, deprecation and versions, each with its source. The curated links to the
reference (version facts, repeat behaviour, explained disagreements) are in
schemas/reference-facts.json; descriptions are ours, in descriptions.py, one per directive.
Re-run after editing any of these, then review the diff; tests/schemas/check_reference.py
fails when the committed JSON is not what this script generates. See docs/knowledge-sources.md.
"""
import json
import pathlib
import re
import sys

from descriptions import BLOCK_DESCRIPTIONS, DESCRIPTIONS
from reference import Reference

ROOT = pathlib.Path(__file__).resolve().parents[2]

FACTS_FILE = ROOT / "schemas/reference-facts.json"

# Deprecated directives: (replacement, mechanical rewrite or None, phrase of the directive's
# directives.tsv row that states the deprecation). The build fails when the phrase is missing.
GOODMAIL = ("(nothing: Goodmail is a legacy service of PowerMTA 3.5/4.0)", None, "Goodmail")
REPLACEMENTS = {
    "spool": ("<spool DIRECTORY> block", None, "in favour of <spool DIR> block"),
    "spool-min-free-space": ("min-free-space inside <spool>", None, "use min-free-space inside <spool>"),
    "smtp-ip": ("smtp-listener IP:PORT", None, "use smtp-listener"),
    "smtp-port": ("smtp-listener 0/0:PORT", "smtp-listener 0/0:{value}", "use smtp-listener"),
    "pickup-retry-interval": ("(nothing: the guide names no replacement)", None, "DEPRECATED per guide"),
    "http-mgmt-source": ("http-access CIDR monitor|operator|admin", None, "use http-access"),
    "no-http-mgmt-source": ("http-access CIDR none", "http-access {value} none", "use http-access"),
    "deliver-email": ("deliver-matched-email / deliver-unmatched-email", None, "use deliver-matched-email / deliver-unmatched-email"),
    "broken-auth-clients": ("(nothing: the guide names no replacement)", None, "DEPRECATED per guide"),
    "check-spf-inbound-best-guess": ("(nothing: the guide says not to use it)", None, "do not use"),
    "deliver-local-dsn": ("suppress-local-dsn in <source>", None, "use <source> suppress-local-dsn"),
    "delivery-priority": ("queue-priority", "queue-priority {value}", "use queue-priority"),
    "max-msg-per-hour": ("max-msg-rate N/h", "max-msg-rate {value}/h", "use max-msg-rate N/h"),
    # The row says "use max-msg-rate N/h"; the backoff twin of max-msg-rate is backoff-max-msg-rate
    # (language-notes §8), which is what the old backoff limit maps to.
    "backoff-max-msg-per-hour": ("backoff-max-msg-rate N/h", "backoff-max-msg-rate {value}/h", "DEPRECATED per guide"),
    "max-smtp-out-per-source-ip": ("source-ip-max-smtp-out CIDR N", None, "use source-ip-max-smtp-out"),
    "route": ("smtp-hosts", "smtp-hosts {value}", "use smtp-hosts"),
    "dk-sign": ("dkim-sign (DomainKeys signing came before DKIM)", None, "legacy DomainKeys (pre-DKIM) signing"),
    "smtp-source-ip": ("smtp-source-host IP HOSTNAME", None, "canonical is smtp-source-host IP HOST"),
    "thread-reuse": ("(nothing: the v5 guide marks it no longer relevant)", None, "no-longer-relevant"),
    "add-gm-token": GOODMAIL,
    "account-id": GOODMAIL, "imprinter-id": GOODMAIL, "imprinter-password": GOODMAIL, "default-token-class": GOODMAIL,
    "default-content-type": GOODMAIL, "default-payer-id": GOODMAIL, "default-obo-id": GOODMAIL,
}
ALIASES = {"max-rcpt-per-message": ["max-rcpt-per-transaction"]}
RESTART = {"run-as-root", "http-mgmt-port"}
# Restarts the reference ties to a condition: (the condition, phrase of the directive's row that
# states it). The build fails when the phrase is missing.
RESTART_IF = {"type": ("the queue holds mail", "changing type of a non-empty queue requires restart")}
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


def description_of(name):
    if name not in DESCRIPTIONS:
        raise SystemExit(f"{name}: no description in tools/knowledge/descriptions.py; write one from the reference")
    return DESCRIPTIONS[name]


def load_facts():
    return json.loads(FACTS_FILE.read_text(encoding="utf-8"))


def version_facts(facts, key, kind):
    """{name: (version, source)} of the since/removed entries of reference-facts.json."""
    out = {}
    for entry in facts[key]:
        for name in entry.get(kind, []):
            out[name] = (entry["version"], entry["source"])
    return out


def source_of(ref, name):
    """Where a directive's row comes from: the guide section the notes start with, else the row."""
    row = ref.by_name[name]
    first = row["notes"].split(";")[0].strip()
    place = ref.row_place(name)
    m = re.match(r"guide (v5/6) §([\d.,]+)(.*)", first)
    if m:
        sections = ", ".join("§" + s for s in m.group(2).split(","))
        return f"guide {m.group(1)} {sections}{m.group(3)} (via {place})"
    return f"{place} ({first})" if first else place


def describe_places(places):
    return "; ".join(dict.fromkeys(places))


def build_directives(ref, facts):
    since = version_facts(facts, "since", "directives")
    removed = version_facts(facts, "removed", "directives")
    on_repeat = {e["directive"]: e for e in facts["on_repeat"]}
    distinct = {e["directive"]: e for e in facts["repeat_distinct"]}
    meanings = {t["term"]: t["directives"] for t in facts["repeatable_terms"]}
    repeatable = ref.repeatable(meanings)
    exceptions = {(e["directive"], e["field"]): e for e in facts["exceptions"]}
    out = []
    for row in ref.rows:
        name = row["name"].strip()
        contexts = ref.contexts(name)
        low = row["notes"].lower() + " " + row["value_type"].lower()
        obsolete = "no longer valid" in low or "(obsolete)" in row["value_type"].lower()
        provenance = {"contexts": describe_places(p for places in contexts.values() for p in places)}
        deprecated = None
        if name in REPLACEMENTS and not obsolete:
            replacement, rewrite, evidence = REPLACEMENTS[name]
            if evidence.lower() not in low:
                raise SystemExit(f"{name}: the reference row does not say {evidence!r}")
            deprecated = {"replacement": replacement}
            if rewrite:
                deprecated["rewrite"] = rewrite
            provenance["deprecated"] = f"{ref.row_place(name)} ({evidence})"
        record = {
            "name": name,
            "aliases": ALIASES.get(name, []),
            "contexts": list(contexts),
            "value": grammar(name, row["value_type"]),
            "value_text": row["value_type"].strip(),
            "default": parse_default(row["default"]),
            "repeatable": name in repeatable,
            "on_repeat": None,
            "repeat_distinct": None,
            "deprecated": deprecated,
            "since": None,
            "removed": None,
            "restart": name in RESTART or "needs a restart" in low,
            "example": row["example"].strip() or None,
            "source": source_of(ref, name),
            "provenance": provenance,
            "description": description_of(name),
        }
        if record["repeatable"]:
            provenance["repeatable"] = describe_places(repeatable[name])
        if name in on_repeat:
            e = on_repeat[name]
            place = ref.row_place(name) if e["source"] == "directives.tsv" else e["source"]
            record["on_repeat"] = {"text": e["text"], "source": place}
            provenance["on_repeat"] = place
        if name in distinct:
            record["repeat_distinct"] = distinct[name]["by"]
            provenance["repeat_distinct"] = distinct[name]["source"]
        if name in since:
            record["since"], provenance["since"] = since[name]
        if name in removed:
            record["removed"], provenance["removed"] = removed[name]
            if provenance["removed"].startswith("directives.tsv"):  # name the directive's own row
                provenance["removed"] = provenance["removed"].replace("directives.tsv", ref.row_place(name), 1)
        if record["restart"]:
            provenance["restart"] = ref.row_place(name)
        if name in RESTART_IF:
            condition, evidence = RESTART_IF[name]
            if evidence.lower() not in low:
                raise SystemExit(f"{name}: the reference row does not say {evidence!r}")
            record["restart_if"] = condition
            provenance["restart_if"] = f"{ref.row_place(name)} ({evidence})"
        for (directive, field), e in exceptions.items():
            if directive == name:
                record[field] = e["value"]
                provenance[field] = f"exception in schemas/reference-facts.json: {e['reason']}"
        out.append(record)
    out.sort(key=lambda r: r["name"])
    return out


def build_blocks(ref, facts):
    since = version_facts(facts, "since", "blocks")
    removed = version_facts(facts, "removed", "blocks")
    out = []
    for row in ref.block_rows:
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
            "since": since.get(name, (None, None))[0],
            "removed": removed.get(name, (None, None))[0],
            "source": f"blocks.tsv line {row['_line']}",
            "version_source": (since.get(name) or removed.get(name) or (None, None))[1],
            "description": BLOCK_DESCRIPTIONS[name],
        })
    out.sort(key=lambda r: r["name"])
    return out


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ROOT.parent / "shared/reference")
    ref = Reference(folder)
    facts = load_facts()
    directives = build_directives(ref, facts)
    blocks = build_blocks(ref, facts)
    (ROOT / "schemas/directives.json").write_text(json.dumps({"version": 1, "directives": directives}, indent=1, ensure_ascii=False) + "\n")
    (ROOT / "schemas/blocks.json").write_text(json.dumps({"version": 1, "blocks": blocks}, indent=1, ensure_ascii=False) + "\n")
    names = sorted(ref.names)
    (ROOT / "tests/data/reference-directive-names.txt").write_text("\n".join(names) + "\n")
    kinds = {}
    for d in directives:
        kinds[d["value"]["kind"]] = kinds.get(d["value"]["kind"], 0) + 1
    print(f"{len(directives)} directives ({sum(d['repeatable'] for d in directives)} repeatable, "
          f"{sum(bool(d['since']) for d in directives)} with since, {sum(bool(d['removed']) for d in directives)} with removed), "
          f"{len(blocks)} blocks; grammars: {kinds}")


if __name__ == "__main__":
    main()
