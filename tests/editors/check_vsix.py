#!/usr/bin/python3
"""The VS Code extension packaged into a .vsix with vsce (npm: @vscode/vsce, installed under
build/npm by tools/bootstrap.sh test, with the language client the extension ships), and the
package's contents checked: manifest (LICENSE, repository, file association, server-argument
setting), grammar, client code and its runtime dependencies, nothing from development.

    check_vsix.py --extension editors/vscode --node-modules build/npm/node_modules
"""
import argparse
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile
import zipfile

passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + what + (("\n     " + str(detail).replace("\n", "\n     ")) if detail and not ok else ""))
    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)


def closure(modules, path, seen):
    """The runtime dependencies of the package at `path`, resolved as Node does (its own
    node_modules first, then the top level); top-level ones are collected by name, nested ones
    travel with their parent."""
    for dep in json.loads((path / "package.json").read_text()).get("dependencies", {}):
        nested = path / "node_modules" / dep
        if (nested / "package.json").is_file():
            closure(modules, nested, seen)
            continue
        top = modules / dep
        if not (top / "package.json").is_file():
            raise SystemExit(f"{dep} is not installed under {modules} (run tools/bootstrap.sh test)")
        if dep not in seen:
            seen[dep] = top
            closure(modules, top, seen)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--extension", required=True)
    parser.add_argument("--node-modules", required=True)
    opts = parser.parse_args()
    source = pathlib.Path(opts.extension).resolve()
    modules = pathlib.Path(opts.node_modules).resolve()
    vsce = modules / "@vscode/vsce/vsce"
    if not vsce.is_file():
        print(f"FAIL vsce is not installed at {vsce} (run tools/bootstrap.sh test)")
        return 1
    manifest = json.loads((source / "package.json").read_text())
    check((source / "LICENSE").read_bytes() == (source.parent.parent / "LICENSE").read_bytes(),
          "editors/vscode/LICENSE is the project's LICENSE")

    with tempfile.TemporaryDirectory() as tmp:
        stage = pathlib.Path(tmp) / "pmtalint"
        shutil.copytree(source, stage, ignore=shutil.ignore_patterns("node_modules", "*.vsix"))
        deps = {}
        closure(modules, source, deps)
        for name, path in deps.items():
            shutil.copytree(path, stage / "node_modules" / name, symlinks=True)
        vsix = pathlib.Path(tmp) / "pmtalint.vsix"
        proc = subprocess.run(["node", str(vsce), "package", "--out", str(vsix)], cwd=stage, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)
        check(proc.returncode == 0 and vsix.is_file(), "vsce package builds the .vsix", proc.stdout + proc.stderr)
        if not vsix.is_file():
            print(f"{passed} passed, {failed} failed")
            return 1
        print(f"     {vsix.stat().st_size} bytes")
        with zipfile.ZipFile(vsix) as z:
            names = set(z.namelist())
            packaged = json.loads(z.read("extension/package.json"))
            vsixmanifest = z.read("extension.vsixmanifest").decode()
    for needed in ["extension/package.json", "extension/extension.js", "extension/syntaxes/pmta.tmLanguage.json",
                   "extension/language-configuration.json", "extension/README.md",
                   "extension/node_modules/vscode-languageclient/node.js",
                   "extension/node_modules/vscode-languageclient/lib/node/main.js",
                   "extension/node_modules/vscode-languageserver-protocol/lib/node/main.js",
                   "extension/node_modules/vscode-jsonrpc/lib/node/main.js"]:
        check(needed in names, f"the .vsix holds {needed}")
    check(any(n.lower() in ("extension/license", "extension/license.txt", "extension/license.md") for n in names),
          "the .vsix holds the LICENSE", sorted(names)[:20])
    check("License" in vsixmanifest and "extension/LICENSE" in vsixmanifest, "the manifest names the license file")
    check(not any(n.endswith((".vsix", ".map")) or "/test/" in n or n.endswith("package-lock.json") for n in names),
          "nothing from development (tests, maps, lock files, packages) is shipped")
    check(packaged.get("repository", {}).get("url", "").startswith("https://"), "package.json names its repository")
    check(packaged.get("license") == "Apache-2.0", "package.json names its license")
    languages = packaged["contributes"]["languages"][0]
    check("config" not in languages.get("filenames", []), "a file named config is not claimed everywhere",
          languages.get("filenames"))
    patterns = languages.get("filenamePatterns", [])
    check("*.pmta" in patterns and any(p.startswith("**/pmta/") and p.endswith("config") for p in patterns),
          "config and *.conf under a pmta directory, and *.pmta, open as PMTA", patterns)
    setting = packaged["contributes"]["configuration"]["properties"].get("pmtalint.serverArgs", {})
    check(setting.get("type") == "array" and all(o in setting.get("markdownDescription", "") for o in ("--root", "--pmta-version", "--main")),
          "a setting passes extra server arguments (--root, --pmta-version, --main)")
    extension_js = (source / "extension.js").read_text()
    check("serverArgs" in extension_js, "the client passes the extra arguments to pmtalint lsp")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
