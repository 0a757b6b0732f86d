#!/usr/bin/python3
"""Compares the knowledge base (schemas/directives.json, schemas/blocks.json) with the team's
reference folder, ../shared/reference beside the checkout (read-only in CI):

* contexts: each directive's contexts are those of its directives.tsv row plus every block whose
  may_contain column in blocks.tsv lists it; where the two tables disagree, the disagreement is
  listed with a reason in schemas/reference-facts.json (table_disagreements);
* repeatability: a directive is repeatable exactly when the reference says it may repeat
  (language-notes §3's list, "repeatable" in its directives.tsv row, "(repeatable)" in blocks.tsv);
* versions: every since/removed is stated by the reference (the words quoted as evidence are in
  the landmark of that version in language-notes §11, or in the directive's row), and every
  directive or block a landmark names as new has its version;
* repeat behaviour (on_repeat, repeat_distinct) is quoted from the place it cites;
* source: each entry names its directives.tsv line and the guide section of that row.

Any other difference must be an entry of "exceptions" in schemas/reference-facts.json, with a
reason. Fails when the reference folder is absent.
"""
import json
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared/reference"
sys.path.insert(0, str(ROOT / "tools/knowledge"))

# The reference lies beside every checkout (CI copies it there); without it nothing can be
# compared, which is a failure, not a pass.
if not (REFERENCE / "directives.tsv").exists():
    print(f"FAILED: {REFERENCE} is not present; the knowledge base cannot be checked against it")
    sys.exit(1)

import build_directives  # noqa: E402
from reference import Reference  # noqa: E402

failures = []
checks = 0


def check(ok, what, details=()):
    global checks
    checks += 1
    if not ok:
        failures.append(what)
        for line in list(details)[:20]:
            print("     ", line)
    print(("ok   " if ok else "FAIL ") + what)


ref = Reference(REFERENCE)
facts = json.loads((ROOT / "schemas/reference-facts.json").read_text(encoding="utf-8"))
directives = {d["name"]: d for d in json.loads((ROOT / "schemas/directives.json").read_text(encoding="utf-8"))["directives"]}
blocks = {b["name"]: b for b in json.loads((ROOT / "schemas/blocks.json").read_text(encoding="utf-8"))["blocks"]}
exceptions = {(e["directive"], e["field"]): e for e in facts["exceptions"]}
for (name, field), e in exceptions.items():
    check(name in directives and e["reason"].strip() != "", f"exception {name}.{field} names a directive and gives a reason")


def expected(name, field, value):
    e = exceptions.get((name, field))
    return e["value"] if e else value


check(set(directives) == ref.names, f"the data has exactly the {len(ref.names)} directives of directives.tsv",
      sorted(set(directives) ^ ref.names))

# --- contexts -------------------------------------------------------------------------------
wrong = []
for name in sorted(ref.names):
    want = set(expected(name, "contexts", list(ref.contexts(name))))
    have = set(directives[name]["contexts"])
    if want != have:
        wrong.append(f"{name}: data {sorted(have)}, reference {sorted(want)}")
check(not wrong, "every directive's contexts are its directives.tsv contexts plus the blocks.tsv blocks listing it", wrong)

table = {(d, c, "blocks.tsv") for d, c in ref.blocks_only_contexts()} | \
        {(d, c, "directives.tsv") for d, c in ref.directives_only_contexts()}
explained = {(e["directive"], e["context"], e["listed_by"]) for e in facts["table_disagreements"]}
check(table <= explained, "every disagreement between directives.tsv and blocks.tsv is explained in reference-facts.json",
      [f"{d} in <{c}>: only {t} says so" for d, c, t in sorted(table - explained)])
check(explained <= table, "every explained table disagreement still exists",
      [f"{d} in <{c}> ({t})" for d, c, t in sorted(explained - table)])
for d, c, t in sorted(table):
    print(f"       note: {d} in <{c}> is given by {t} only")

# --- repeatability --------------------------------------------------------------------------
terms = {t["term"]: t["directives"] for t in facts["repeatable_terms"]}
listed = " ".join(ref.repeatable_list())
for term in terms:
    check(re.search(rf"(^|[\s/]){re.escape(term)}([\s/]|$)", listed) is not None,
          f"repeatable term '{term}' still occurs in language-notes §3")
repeatable = ref.repeatable(terms)
wrong = [f"{n}: data {directives[n]['repeatable']}, reference {expected(n, 'repeatable', n in repeatable)}"
         + (f" ({'; '.join(repeatable[n])})" if n in repeatable else "")
         for n in sorted(ref.names) if directives[n]["repeatable"] != expected(n, "repeatable", n in repeatable)]
check(not wrong, f"repeatable exactly where the reference says a directive may repeat ({len(repeatable)})", wrong)
for row in ref.rows:  # the plainest form of the claim, read without the shared reader
    if "repeatable" in (row["value_type"] + row["notes"]).lower():
        check(directives[row["name"].strip()]["repeatable"], f"{row['name']} ('repeatable' in its row) is repeatable")

# --- what happens on a repeat ---------------------------------------------------------------
on_repeat = {e["directive"]: e for e in facts["on_repeat"]}
for name, d in sorted(directives.items()):
    if name in on_repeat:
        e = on_repeat[name]
        place = ref.row_place(name) if e["source"] == "directives.tsv" else e["source"]
        text = ref.mentioned_in(place, name)
        check(e["evidence"] in text, f"on_repeat of {name}: {place} says '{e['evidence']}'")
        check(d["on_repeat"] == {"text": e["text"], "source": place} and not d["repeatable"],
              f"on_repeat of {name} is in the data, on a single-valued directive")
    else:
        if d["on_repeat"] is not None:
            check(False, f"{name} has an on_repeat that reference-facts.json does not state")
for e in facts["repeat_distinct"]:
    name = e["directive"]
    check(e["evidence"] in ref.mentioned_in(e["source"], name), f"repeat_distinct of {name}: {e['source']} says '{e['evidence']}'")
    check(directives[name]["repeatable"] and directives[name]["repeat_distinct"] == e["by"],
          f"repeat_distinct of {name} is in the data, on a repeatable directive")
check(sum(d["repeat_distinct"] is not None for d in directives.values()) == len(facts["repeat_distinct"]),
      "no repeat_distinct beyond reference-facts.json")

# --- versions -------------------------------------------------------------------------------
landmarks = dict(ref.landmarks())
baseline = set(facts["baseline_versions"]["versions"])
check(baseline <= set(landmarks), "the baseline versions are landmarks of language-notes §11")


def named_in(text, name, block):
    return f"`<{name}>`" in text if block else re.search(rf"`{re.escape(name)}[` ]", text) is not None


stated_since = {}  # (kind, name) -> version
for e in facts["since"]:
    v = e["version"]
    bullet = landmarks.get(v, "")
    check(bool(bullet) and v not in baseline, f"since {v}: language-notes §11 has a landmark for {v} after the baseline")
    check(e["evidence"] in bullet, f"since {v}: the landmark says '{e['evidence'][:60]}'")
    check("not stated" not in bullet, f"since {v}: the landmark does not disclaim its versions")
    if e.get("feature"):
        check(e["feature"] in bullet, f"since {v}: the landmark names the feature '{e['feature']}'")
    for kind in ("directives", "blocks"):
        for name in e.get(kind, []):
            if not e.get("feature"):
                check(named_in(bullet, name, kind == "blocks"), f"since {v}: the landmark names {name}")
            stated_since[(kind, name)] = v
# Each landmark after the baseline that does not disclaim its versions: what it names is new there.
for v, bullet in sorted(landmarks.items()):
    if v in baseline or "not stated" in bullet:
        continue
    for token in re.findall(r"`([^`]+)`", bullet):
        kind = "blocks" if token.startswith("<") else "directives"
        name = token.strip("<>").split()[0]
        table_ = blocks if kind == "blocks" else directives
        if name in table_:
            first = min((w for w, b in landmarks.items() if w not in baseline and named_in(b, name, kind == "blocks")),
                        key=lambda w: tuple(map(int, w.split("."))))
            check(stated_since.get((kind, name)) == first, f"{name}, named in the {v} landmark, has since {first}")
removed_stated = {}
for e in facts["removed"]:
    for name in e["directives"]:
        check(e["evidence"].lower() in ref.mentioned_in("directives.tsv", name).lower(),
              f"removed {e['version']}: the row of {name} says '{e['evidence']}'")
        removed_stated[name] = e["version"]
    for name in e.get("blocks", []):
        removed_stated[("blocks", name)] = e["version"]
for row in ref.rows:
    if "no longer valid" in row["notes"].lower():
        check(row["name"].strip() in removed_stated, f"{row['name']} (no longer valid per its row) has a removed version")
wrong = []
for name, d in sorted(directives.items()):
    want_since = expected(name, "since", stated_since.get(("directives", name)))
    want_removed = expected(name, "removed", removed_stated.get(name))
    if d["since"] != want_since:
        wrong.append(f"{name}: since {d['since']}, the reference states {want_since}")
    if d["removed"] != want_removed:
        wrong.append(f"{name}: removed {d['removed']}, the reference states {want_removed}")
    for field in ("since", "removed"):
        if d[field] and not d["provenance"].get(field):
            wrong.append(f"{name}: {field} without provenance")
for name, b in sorted(blocks.items()):
    if b["since"] != stated_since.get(("blocks", name)):
        wrong.append(f"<{name}>: since {b['since']}, the reference states {stated_since.get(('blocks', name))}")
    if b["removed"] != removed_stated.get(("blocks", name)):
        wrong.append(f"<{name}>: removed {b['removed']}, the reference states {removed_stated.get(('blocks', name))}")
    if (b["since"] or b["removed"]) and not b["version_source"]:
        wrong.append(f"<{name}>: a version without version_source")
check(not wrong, "every since/removed in the data is one the reference states, with its source", wrong)

# --- source ---------------------------------------------------------------------------------
wrong = []
for row in ref.rows:
    name = row["name"].strip()
    source = directives[name]["source"]
    if f"directives.tsv line {row['_line']}" not in source:
        wrong.append(f"{name}: source '{source}' does not name directives.tsv line {row['_line']}")
    m = re.match(r"guide v5/6 §([\d.]+)", row["notes"])
    if m and f"§{m.group(1)}" not in source:
        wrong.append(f"{name}: source '{source}' lacks guide §{m.group(1)}")
check(not wrong, "every directive names its reference row and guide section", wrong)

# --- the committed data is what the script generates ----------------------------------------
generated = {d["name"]: d for d in build_directives.build_directives(ref, facts)}
stale = sorted(n for n in generated if generated[n] != directives.get(n))
check(not stale, "schemas/directives.json is what tools/knowledge/build_directives.py generates "
      "(re-run it after editing the reference, reference-facts.json or descriptions.py)", stale)
generated_blocks = {b["name"]: b for b in build_directives.build_blocks(ref, facts)}
check(generated_blocks == blocks, "schemas/blocks.json is what tools/knowledge/build_directives.py generates")

print(f"{checks - len(failures)} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
