"""Reads the team's reference folder (directives.tsv, blocks.tsv, language-notes.md) into plain
Python data, with the place each fact comes from. Used by build_directives.py to generate
schemas/directives.json and by tests/schemas/check_reference.py to compare the data with the
reference.

Places are written as "directives.tsv line N" (N = line number in the file, the header being
line 1), "blocks.tsv <name> (line N)" and "language-notes §N".
"""
import csv
import fnmatch
import re


class ReferenceError(Exception):
    pass


def read_tsv(path):
    """Rows of a tab-separated file as dicts, each with its line number under "_line". Quotes
    are ordinary characters in these tables (blocks.tsv writes line forms in double quotes)."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    for i, row in enumerate(rows):
        row["_line"] = i + 2
    return rows


def block_name(cell):
    return re.match(r"<([\w-]+)", cell.strip()).group(1)


# Phrases of blocks.tsv's may_contain column that name no directive. Anything else that is not a
# directive name makes the reader fail, so that a new kind of entry in the table is noticed.
NON_DIRECTIVE_PHRASES = [
    "never other blocks",                    # <domain>: no blocks nest inside it
    "lines",                                 # "lines \"…\"": the quoted line forms are read separately
    "a line may end with an opening closed by",  # <pattern-list>: conditional sub-lists
    "catch-all line inside sub-lists",       # <pattern-list>: "* RESULT"
]


def parse_may_contain(text, names, by_block):
    """The directives one may_contain cell lists: (set of names, delegated?, nested blocks).
    delegated is true when the cell refers to directives.tsv's contexts column for the rest."""
    text = text.strip()
    m = re.match(r"same as <([\w-]+)>", text)
    if m:
        found, delegated, nested = by_block[m.group(1)]
        return set(found), delegated, list(nested)
    delegated = False

    def delegate(_m):
        nonlocal delegated
        delegated = True
        return ""

    # "all per-queue directives (see directives.tsv context "domain")" and "source directives (…)"
    text = re.sub(r"[\w -]*directives \(see directives\.tsv context \"[\w-]+\"\)", delegate, text)
    found = set()
    nested = []
    for quoted in re.findall(r'"([^"]*)"', text):
        word = quoted.split()[0] if quoted.split() else ""
        if word in names:
            found.add(word)
        elif word.startswith("<") or word.startswith("/") or word == "*":
            pass  # a nested sub-list tag, a /REGEX/ CATEGORY rule or a "* RESULT" catch-all: no directive
        else:
            raise ReferenceError(f"blocks.tsv: line form {quoted!r} names no directive")
    text = re.sub(r'"[^"]*"', "", text)
    # "http-webhook-* (url, extra-headers, …)" lists the suffixes of one prefix.
    text = re.sub(r"([\w.-]+)-\*\s*\(([^)]*)\)",
                  lambda m: ", ".join(f"{m.group(1)}-{x.strip()}" for x in m.group(2).split(",")), text)
    # "tls-allow-tlsv1(.1/.2/.3)" is four names.
    text = re.sub(r"([\w.-]+)\(((?:\.\w+/?)+)\)",
                  lambda m: ", ".join([m.group(1)] + [m.group(1) + x for x in m.group(2).split("/")]), text)
    text = re.sub(r"\([^)]*\)", "", text)  # "(obsolete)", "(Signals)", "(unverified)", "(required)"
    for token in re.split(r"[,;]", text):
        token = " ".join(token.split())
        if not token:
            continue
        if token in names:
            found.add(token)
        elif token.startswith("<") and token.endswith(">"):
            nested.append(token[1:-1])
        elif "*" in token and any(fnmatch.fnmatchcase(n, token) for n in names):
            found |= {n for n in names if fnmatch.fnmatchcase(n, token)}
        elif token not in NON_DIRECTIVE_PHRASES:
            raise ReferenceError(f"blocks.tsv: cannot read {token!r} in may_contain")
    return found, delegated, nested


def section(notes, number):
    """The text of "## N." in language-notes.md, up to the next "## " heading."""
    m = re.search(rf"^## {number}\. .*?$(.*?)(?=^## |\Z)", notes, re.M | re.S)
    if not m:
        raise ReferenceError(f"language-notes.md has no section {number}")
    return m.group(1)


class Reference:
    def __init__(self, folder):
        self.folder = folder
        self.rows = read_tsv(folder / "directives.tsv")
        self.by_name = {r["name"].strip(): r for r in self.rows}
        self.names = set(self.by_name)
        self.block_rows = read_tsv(folder / "blocks.tsv")
        self.notes = (folder / "language-notes.md").read_text(encoding="utf-8")
        # block -> (directive names, delegated, nested blocks); "same as <X>" needs X read first
        self.contents = {}
        for row in self.block_rows:
            self.contents[block_name(row["block"])] = parse_may_contain(row["may_contain"], self.names, self.contents)
        self.block_line = {block_name(r["block"]): r["_line"] for r in self.block_rows}

    def row_place(self, name):
        return f"directives.tsv line {self.by_name[name]['_line']}"

    def tsv_contexts(self, name):
        return [c.strip() for c in self.by_name[name]["contexts"].split(",") if c.strip()]

    def contexts(self, name):
        """Every context the reference gives for a directive, each with where it is stated."""
        out = {c: [self.row_place(name)] for c in self.tsv_contexts(name)}
        for block, (found, _delegated, _nested) in self.contents.items():
            if name in found:
                out.setdefault(block, []).append(f"blocks.tsv <{block}> (line {self.block_line[block]})")
        return out

    def blocks_only_contexts(self):
        """(directive, block) pairs blocks.tsv gives and directives.tsv's contexts column does not."""
        return sorted((d, b) for b, (found, _, _) in self.contents.items() for d in found
                      if b not in self.tsv_contexts(d))

    def directives_only_contexts(self):
        """(directive, block) pairs directives.tsv gives while blocks.tsv lists that block's
        directives one by one without it."""
        out = []
        for name in sorted(self.names):
            for c in self.tsv_contexts(name):
                found, delegated, _ = self.contents.get(c, (set(), True, []))
                if c != "global" and not delegated and name not in found:
                    out.append((name, c))
        return out

    def repeatable_list(self):
        """The terms of language-notes §3's list of repeatable directives, as written."""
        text = " ".join(section(self.notes, 3).split())
        m = re.search(r"Repeatable directives \(each line adds to a list\):(.*?)\. Most other", text)
        if not m:
            raise ReferenceError("language-notes §3: the list of repeatable directives was not found")
        return [t.strip() for t in m.group(1).split(",") if t.strip()]

    def repeatable(self, term_meanings):
        """Directives the reference says may repeat: {name: [places]}. term_meanings maps the
        §3 terms that are not directive names (e.g. "pattern") to directives."""
        out = {}

        def add(name, place):
            out.setdefault(name, []).append(place)

        for term in self.repeatable_list():
            bare = re.sub(r"\s*\([^)]*\)", "", term).replace(" lines", "").strip()
            for part in bare.split("/"):
                part = part.strip()
                if part in term_meanings:
                    for name in term_meanings[part]:
                        add(name, f"language-notes §3 ({term})")
                elif part in self.names:
                    add(part, "language-notes §3")
                elif "*" in part and any(fnmatch.fnmatchcase(n, part) for n in self.names):
                    for name in sorted(n for n in self.names if fnmatch.fnmatchcase(n, part)):
                        add(name, f"language-notes §3 ({term})")
                else:
                    raise ReferenceError(f"language-notes §3: repeatable term {part!r} is no directive; explain it in repeatable_terms")
        for row in self.rows:
            for column in ("value_type", "notes"):
                if re.search(r"\brepeatable\b", row[column], re.I):
                    add(row["name"].strip(), f"{self.row_place(row['name'].strip())} ({column})")
        for block, row in zip(self.contents, self.block_rows):
            for name in re.findall(r"([\w.-]+) \(repeatable\)", row["may_contain"]):
                add(name, f"blocks.tsv <{block}> (line {row['_line']})")
        return out

    def landmarks(self):
        """language-notes §11's bullets: [(version, text)] for the bullets that start with a
        version number."""
        out = []
        for bullet in re.split(r"^\* ", section(self.notes, 11), flags=re.M)[1:]:
            m = re.match(r"(\d+\.\d+)", bullet)
            if m:
                out.append((m.group(1), " ".join(bullet.split())))
        return out

    def mentioned_in(self, place, name=None):
        """The text a place refers to: a section of language-notes or a directive's row."""
        m = re.match(r"language-notes §(\d+)", place)
        if m:
            return " ".join(section(self.notes, m.group(1)).split())
        if place.startswith("directives.tsv") and name:
            row = self.by_name[name]
            return " ".join(row[c] for c in ("value_type", "default", "notes"))
        raise ReferenceError(f"unknown place {place!r}")
