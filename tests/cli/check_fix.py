#!/usr/bin/python3
"""`pmtalint config --fix` and `pmtalint format` on real files: a symlink stays a link and its
target is fixed, mode 0640 is kept, a second run changes nothing, a read-only file is a clear
error with exit 2, only files named or included are written (a file that is merely next to them
is not), a FIFO is never opened for writing, and --diff / --check write nothing.
(A file changed between read and write is refused: tests/unit/fix_format_test.cpp drives that
race deterministically through the same write helper.)

    check_fix.py --binary PATH
"""
import argparse
import os
import pathlib
import shutil
import stat
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
CASES = HERE / "cases"
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + what + (("\n     " + str(detail).replace("\n", "\n     ")) if detail and not ok else ""))
    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)


def run(binary, *args, cwd=None):
    env = dict(os.environ, NO_COLOR="1", XDG_CONFIG_HOME="/nonexistent-pmtalint-test")
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=env)
    return p.returncode, p.stdout, p.stderr


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    binary = os.path.abspath(parser.parse_args().binary)
    original = (CASES / "fix/fixable.conf").read_text()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        real = tmp / "real"
        real.mkdir()
        target = real / "fixable.conf"
        target.write_text(original)
        target.chmod(0o640)
        link = tmp / "link.conf"
        link.symlink_to(target)
        bystander = real / "other.conf"  # in the same directory, neither named nor included
        bystander.write_text("<Domain *>\n</Domain>\n")

        code, out, err = run(binary, "config", "--diff", str(link))
        check(code == 1 and "+<domain *>" in out and target.read_text() == original, "--diff shows the fixes, writes nothing", out + err)

        code, out, err = run(binary, "config", "--fix", str(link))
        fixed = target.read_text()
        check(code == 1 and "applied 3 fixes in 1 file" in err, "--fix applies the safe fixes (unsafe findings remain: exit 1)", err)
        check(link.is_symlink() and os.readlink(link) == str(target), "the symlink is still a symlink to the same target")
        check("<domain *>" in fixed and "max-msg-rate 500/h" in fixed and "max-smtp-ot 10" in fixed, "the target holds the safe fixes", fixed)
        check(stat.S_IMODE(target.stat().st_mode) == 0o640, "mode 0640 kept", oct(target.stat().st_mode))
        check(bystander.read_text() == "<Domain *>\n</Domain>\n", "a file neither named nor included is not touched")
        check(not [p for p in real.iterdir() if p.name.startswith(".")], "no temporary file left behind")

        code, out, err = run(binary, "config", "--fix", str(link))
        check(target.read_text() == fixed and "applied 0 fixes in 0 files" in err, "a second --fix changes nothing", err)
        code, out, err = run(binary, "config", "--diff", str(link))
        check(code == 0 and out == "", "--diff after --fix: nothing to show, exit 0", out + err)

        code, out, err = run(binary, "config", "--unsafe-fixes", str(target))
        check(code == 0 and "max-smtp-out 10" in target.read_text() and "retry-after 10m\n" in target.read_text(),
              "--unsafe-fixes applies the rest (did-you-mean, ';'); no error left", out + err)
        unsafe_fixed = target.read_text()
        code, out, err = run(binary, "config", "--unsafe-fixes", str(target))
        check(target.read_text() == unsafe_fixed and code == 0, "a second --unsafe-fixes changes nothing")

        # An included file is fixed through the file that includes it.
        main = tmp / "inc" / "config"
        main.parent.mkdir()
        (main.parent / "part.conf").write_text("<Domain *>\n    Max-SMTP-Out 2\n</Domain>\n")
        main.write_text("include part.conf\nLog-File /var/log/pmta/log\nspool /var/spool/pmta\n")
        code, out, err = run(binary, "config", "--fix", str(main))
        check("max-smtp-out 2" in (main.parent / "part.conf").read_text() and main.read_text().startswith("include part.conf\nlog-file"),
              "the named file and the file it includes are both fixed", err)

        read_only = tmp / "ro.conf"
        read_only.write_text(original)
        read_only.chmod(0o444)
        code, out, err = run(binary, "config", "--fix", str(read_only))
        check(code == 2 and f"{read_only}: is read-only; not written" in err and read_only.read_text() == original,
              "a read-only file: clear error, exit 2, unchanged", f"exit {code}\n{err}")

        fifo = tmp / "pipe.conf"
        os.mkfifo(fifo)
        code, out, err = run(binary, "config", "--fix", str(fifo))
        check(code == 2 and fifo.exists() and stat.S_ISFIFO(fifo.stat().st_mode), "a FIFO is refused, never opened for writing",
              f"exit {code}\n{err}")

        messy = tmp / "messy.pmta"
        shutil.copy(CASES / "format/misindented.conf", messy)
        messy.chmod(0o640)
        before = messy.read_text()
        code, out, err = run(binary, "format", "--check", str(messy))
        check(code == 1 and messy.read_text() == before, "format --check: exit 1, nothing written")
        code, out, err = run(binary, "format", str(messy))
        check(code == 0 and messy.read_text() != before and stat.S_IMODE(messy.stat().st_mode) == 0o640, "format writes, mode kept")
        code, out, err = run(binary, "format", "--check", str(messy))
        check(code == 0, "format is idempotent: --check passes afterwards", err)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
