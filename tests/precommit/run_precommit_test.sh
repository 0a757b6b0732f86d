#!/usr/bin/env bash
# Runs the real `pre-commit` (Debian package) against this repository's hook in a scratch git
# repository: a broken PMTA config must block the commit with the findings shown, a good one
# must pass, and files that are not PMTA configs must not be linted.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
bin_dir=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export PRE_COMMIT_HOME="$scratch/cache" HOME="$scratch/home" PATH="$bin_dir:$PATH"
mkdir -p "$HOME"
git config --global user.email test@example.com
git config --global user.name test
git config --global init.defaultBranch main
# pre-commit try-repo wants a committed hook repository; a clean checkout (as in CI) is one.
git config --global --add safe.directory '*'

cd "$scratch" && git init -q work && cd work
mkdir -p etc/pmta
printf '<domain *>\n    max-conn 80\n</domian>\n' > etc/pmta/config
printf 'not = pmta; config {\n' > notes.txt
git add etc/pmta/config notes.txt

passed=0 failed=0
expect() {  # expect NAME STATUS PATTERN COMMAND...
  local name=$1 want=$2 pattern=$3; shift 3
  local out status=0
  out=$("$@" 2>&1) || status=$?
  if { [ "$want" = fail ] && [ "$status" -ne 0 ]; } || { [ "$want" = pass ] && [ "$status" -eq 0 ]; }; then
    if [ -z "$pattern" ] || grep -qE -- "$pattern" <<<"$out"; then
      echo "ok   $name"; passed=$((passed + 1)); return
    fi
  fi
  echo "FAIL $name (exit $status)"; sed 's/^/     /' <<<"$out"; failed=$((failed + 1))
}

expect "a broken config blocks the commit, findings shown" fail "unknown-directive.*max-conn|max-conn.*unknown-directive" \
  pre-commit try-repo "$repo" pmtalint --files etc/pmta/config
expect "the mismatched tag is reported too" fail "mismatched-close-tag" \
  pre-commit try-repo "$repo" pmtalint --files etc/pmta/config
expect "files that are not PMTA configs are skipped" pass "no files to check|Skipped" \
  pre-commit try-repo "$repo" pmtalint --files notes.txt
printf 'log-file /var/log/pmta/log\n<spool /var/spool/pmta>\n</spool>\n<domain *>\n    max-smtp-out 80\n</domain>\n' > etc/pmta/config
git add etc/pmta/config
expect "a good config passes" pass "Passed" pre-commit try-repo "$repo" pmtalint --files etc/pmta/config
# The hook as users install it: .pre-commit-config.yaml pointing at this repository, then a
# real `git commit` that must be refused while the configuration is broken.
rev=$(git -C "$repo" rev-parse HEAD)
printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: pmtalint\n' "$repo" "$rev" > .pre-commit-config.yaml
git add .pre-commit-config.yaml
pre-commit install >/dev/null
printf '<domain *>\n    max-conn 80\n</domain>\n' > etc/pmta/config
git add etc/pmta/config
expect "git commit is refused with the findings shown" fail "max-conn.*not a PowerMTA directive" git commit -q -m broken
printf 'log-file /var/log/pmta/log\n<spool /var/spool/pmta>\n</spool>\n<domain *>\n    max-smtp-out 80\n</domain>\n' > etc/pmta/config
git add etc/pmta/config
expect "git commit succeeds once the configuration is fixed" pass "" git commit -q -m fixed
expect "the commit exists" pass "fixed" git log --oneline -1

# A private key under etc/pmta (DKIM keys live there): excluded by the hook's patterns, and
# refused without quoting it when named anyway. Its lines must never reach the output.
mkdir -p etc/pmta/dkim
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out etc/pmta/dkim/example.com.pem 2>/dev/null
cp etc/pmta/dkim/example.com.pem etc/pmta/dkim/selector1   # no extension: the hook's patterns match it
key_line=$(sed -n 3p etc/pmta/dkim/example.com.pem)
git add etc/pmta/dkim/example.com.pem
no_key() {  # no_key NAME WANT-STATUS COMMAND...: the status, and no line of the key in the output
  local name=$1 want=$2; shift 2
  local out status=0
  out=$("$@" 2>&1) || status=$?
  if grep -qF -- "$key_line" <<<"$out"; then
    echo "FAIL $name: key material in the output"; failed=$((failed + 1)); return
  fi
  if { [ "$want" = fail ] && [ "$status" -eq 0 ]; } || { [ "$want" = pass ] && [ "$status" -ne 0 ]; }; then
    echo "FAIL $name (exit $status)"; sed 's/^/     /' <<<"$out"; failed=$((failed + 1)); return
  fi
  echo "ok   $name"; passed=$((passed + 1))
}
no_key "pre-commit run --all-files passes beside a private key, printing none of it" pass pre-commit run --all-files
no_key "a key file the patterns match is refused without quoting it" fail \
  pre-commit try-repo "$repo" pmtalint --files etc/pmta/dkim/selector1
expect "... and the refusal says what the file is" fail "holds a private key, not a PowerMTA configuration" \
  pre-commit try-repo "$repo" pmtalint --files etc/pmta/dkim/selector1
rm etc/pmta/dkim/selector1

# A conf.d layout: only a fragment changed. With the main configuration named in
# .pmtalint.toml, names defined in its siblings are known and the real mistake is found.
mkdir -p etc/pmta/conf.d
printf 'main = "etc/pmta/config"\n' > .pmtalint.toml
printf 'log-file /var/log/pmta/log\n<spool /var/spool/pmta>\n</spool>\ninclude conf.d/*.conf\n' > etc/pmta/config
printf '<virtual-mta mta1>\n    smtp-source-host 192.0.2.11 mta1.example.com\n</virtual-mta>\n' > etc/pmta/conf.d/10-vmtas.conf
printf '<source 10.0.0.0/8>\n    default-virtual-mta mta1\n</source>\n<source 10.1.0.0/16>\n    default-virtual-mta mta9\n</source>\n' \
  > etc/pmta/conf.d/20-sources.conf
git add .pmtalint.toml etc/pmta/config etc/pmta/conf.d
expect "a changed fragment is checked with its main file: the real undefined name" fail "'mta9', which is not defined" \
  pre-commit try-repo "$repo" pmtalint --files etc/pmta/conf.d/20-sources.conf
status=0
out=$(pre-commit try-repo "$repo" pmtalint --files etc/pmta/conf.d/20-sources.conf 2>&1) || status=$?
if [ "$status" -eq 0 ] || grep -q "'mta1', which is not defined" <<<"$out"; then
  echo "FAIL a name defined in a sibling fragment is called undefined"; failed=$((failed + 1))
else
  echo "ok   a name defined in a sibling fragment is not called undefined"; passed=$((passed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
