#!/usr/bin/env python3
"""Turns schemas/{directives,blocks,not-pmta}.json into C++ initialisers for the knowledge base,
so a run pays for building a few hundred structs instead of parsing 300 KB of JSON at start-up.
The JSON files stay the single source of truth. Any entry the C++ side could not represent (an
unknown grammar kind, a malformed version) fails the build rather than being dropped.
    gen_knowledge.py SCHEMAS_DIR OUTPUT_CPP
"""
import json
import os
import re
import sys

KINDS = {"any", "boolean", "integer", "interval", "interval_list", "rate", "data_rate", "size", "enum",
         "enum_list", "cidr", "hostname", "email", "email_list", "path", "name", "host_list", "listener",
         "domain_key", "domain_pattern", "reply_rule", "pattern_rule", "daily_limits", "fields"}
FLAGS = {"unlimited": "unlimited", "auto": "auto_value", "never": "never", "zero": "zero", "empty": "empty",
         "header": "header"}
# Entries per generated function: one function per entry list makes GCC's optimiser and debug-info
# passes slow, and the file is rebuilt whenever a schema changes.
CHUNK = 40


def fail(message):
    sys.exit(f"gen_knowledge: {message}")


def literal(text):
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):03o}")
        elif ch == "?":
            out.append("\\?")  # no trigraphs
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def strings(items):
    return "{" + ", ".join(literal(s) for s in items) + "}"


def optional_string(value):
    return "std::nullopt" if value is None else f"std::string({literal(value)})"


def version(value):
    if value is None:
        return "std::nullopt"
    if not re.fullmatch(r"\d{1,7}\.\d{1,7}", value) or len(value) > 8:
        fail(f"malformed version {value!r}")
    major, minor = value.split(".")
    return f"PmtaVersion{{{int(major)}, {int(minor)}}}"


def grammar(g):
    kind = g["kind"]
    if kind not in KINDS:
        fail(f"unknown grammar kind {kind!r}")
    # Every member is written, in declaration order, so the compiler can check the list is whole.
    parts = [".kind = GrammarKind::" + "".join(w.capitalize() for w in kind.split("_"))]
    for key in ("min", "max"):
        parts.append(f".{key} = int64_t{{{int(g[key])}}}" if key in g else f".{key} = std::nullopt")
    for key, member in FLAGS.items():
        parts.append(f".{member} = {'true' if g.get(key, False) else 'false'}")
    parts.append(".values = " + strings(g.get("values", [])))
    parts.append(".fields = {" + ", ".join(grammar(f) for f in g.get("fields", [])) + "}")
    return "Grammar{" + ", ".join(parts) + "}"


def directive(d):
    on_repeat = d["on_repeat"]
    deprecated = d["deprecated"]
    fields = [
        f".name = {literal(d['name'])}",
        f".aliases = {strings(d['aliases'])}",
        f".contexts = {strings(d['contexts'])}",
        f".value = {grammar(d['value'])}",
        f".value_text = {literal(d['value_text'])}",
        f".default_value = {optional_string(d['default'])}",
        f".repeatable = {'true' if d['repeatable'] else 'false'}",
        f".repeat_distinct = {'false' if d['repeat_distinct'] is None else 'true'}",
        f".on_repeat = {optional_string(on_repeat and on_repeat['text'])}",
        f".on_repeat_source = {optional_string(on_repeat and on_repeat['source'])}",
        f".replacement = {optional_string(deprecated and deprecated['replacement'])}",
        f".rewrite = {optional_string(deprecated and deprecated.get('rewrite'))}",
        f".since = {version(d['since'])}",
        f".removed = {version(d['removed'])}",
        f".restart = {'true' if d['restart'] else 'false'}",
        f".restart_if = {optional_string(d.get('restart_if'))}",
        f".example = {optional_string(d['example'])}",
        f".source = {literal(d['source'])}",
        f".description = {literal(d['description'])}",
    ]
    return "DirectiveInfo{" + ", ".join(fields) + "}"


def block(b):
    argument = {"none": "None", "optional": "Optional", "required": "Required"}.get(b["argument"])
    if argument is None:
        fail(f"unknown block argument {b['argument']!r}")
    fields = [
        f".name = {literal(b['name'])}",
        f".argument = BlockArgument::{argument}",
        f".parents = {strings(b['parents'])}",
        f".line_syntax = {'true' if b['line_syntax'] else 'false'}",
        f".unique = {'true' if b['unique'] else 'false'}",
        f".since = {version(b['since'])}",
        f".removed = {version(b['removed'])}",
        f".description = {literal(b['description'])}",
    ]
    return "BlockInfo{" + ", ".join(fields) + "}"


INVENTED_KINDS = {"directive": "Directive", "block": "Block", "value": "Value", "context": "Context",
                  "syntax": "Syntax", "deprecated": "Deprecated"}


def invented(e):
    # The keyword is derived in C++ (keyword_of) so its case folding is the lexer's.
    fields = [
        f".line = {literal(e['line'])}",
        f".context = {literal(e['context'])}",
        f".kind = InventedKind::{INVENTED_KINDS.get(e['kind'], 'Real')}",
        f".keyword = {{}}",
        f".real = {literal(e['real'])}",
        f".mention = {literal(e['mention'])}",
        f".reason = {literal(e['reason'])}",
    ]
    return "InventedLine{" + ", ".join(fields) + "}"


def emit_list(out, name, type_name, entries, render):
    chunks = [entries[i:i + CHUNK] for i in range(0, len(entries), CHUNK)] or [[]]
    for n, chunk in enumerate(chunks):
        out.append(f"static void {name}_{n}(std::vector<{type_name}>& out) {{")
        for entry in chunk:
            out.append(f"  out.push_back({render(entry)});")
        out.append("}")
    out.append(f"std::vector<{type_name}> {name}() {{")
    out.append(f"  std::vector<{type_name}> out;")
    out.append(f"  out.reserve({len(entries)});")
    for n in range(len(chunks)):
        out.append(f"  {name}_{n}(out);")
    out.append("  return out;")
    out.append("}")


def main():
    schemas, output = sys.argv[1], sys.argv[2]
    with open(os.path.join(schemas, "directives.json"), encoding="utf-8") as f:
        directives = json.load(f)["directives"]
    with open(os.path.join(schemas, "blocks.json"), encoding="utf-8") as f:
        blocks = json.load(f)["blocks"]
    with open(os.path.join(schemas, "not-pmta.json"), encoding="utf-8") as f:
        entries = json.load(f)["entries"]
    out = ["// Generated from schemas/*.json by cmake/gen_knowledge.py; do not edit.",
           '#include "schema/knowledge_tables.h"', "", "namespace pmtalint::generated {", ""]
    emit_list(out, "directives", "DirectiveInfo", directives, directive)
    emit_list(out, "blocks", "BlockInfo", blocks, block)
    emit_list(out, "invented_lines", "InventedLine", entries, invented)
    out += ["", "}  // namespace pmtalint::generated", ""]
    with open(output + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    os.replace(output + ".tmp", output)


if __name__ == "__main__":
    main()
