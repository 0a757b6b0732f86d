#!/usr/bin/env bash
# One entry point for a fresh Debian 12 machine and for re-runs:
#   tools/bootstrap.sh examples   install what is missing, build, lint examples/ and simulate a campaign
#   tools/bootstrap.sh test       the same, then run the whole test suite
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-examples}
case "$mode" in examples|test) ;; *) echo "usage: $0 examples|test" >&2; exit 2 ;; esac

packages=(
  cmake g++ make pkg-config ccache
  libcli11-dev nlohmann-json3-dev catch2 libfmt-dev libpcre2-dev libssl-dev libldns-dev openssl
  python3 python3-jsonschema git pre-commit time
)
# A real DNS server (nsd) and drill for the live DNS test; Neovim as a real LSP client; a real
# SMTP server (aiosmtpd) for the dry-run send test.
if [ "$mode" = test ]; then packages+=(nsd ldnsutils neovim python3-aiosmtpd); fi
# Node's npm fetches the SARIF validator for the tests; Debian packages it as npm.
if [ "$mode" = test ] && ! command -v npm >/dev/null; then packages+=(npm); fi
# clang and its runtime build the libFuzzer targets of the fuzz smoke test.
if [ "$mode" = test ]; then packages+=(clang libclang-rt-14-dev); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

jobs=$(nproc)
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j "$jobs"
pmtalint=build/tools/pmtalint/pmtalint

# The production example signs with a DKIM key under /etc/pmta; no private key is committed, so
# a throwaway one is made and the example is linted with --root pointing at it.
example_root=build/example-root
key=$example_root/etc/pmta/dkim/example.net.pem
if [ ! -s "$key" ]; then
  mkdir -p "$(dirname "$key")"
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null)
fi

echo
echo "== pmtalint config --root $example_root examples/production/config (a real configuration: expect no findings)"
"$pmtalint" config --root "$example_root" examples/production/config
echo
echo "== pmtalint config --dns-zone … examples/dns/mta.conf (sending IPs against a DNS snapshot: one stale PTR)"
"$pmtalint" config --dns-zone examples/dns/example.net.zone --dns-zone examples/dns/2.0.192.in-addr.arpa.zone \
  examples/dns/mta.conf
echo
echo "== pmtalint send --dry-run examples/production/config (a campaign against typical ISP throttles, simulated)"
"$pmtalint" send --dry-run examples/production/config --workload examples/send/campaign-workload.json \
  --scenario examples/send/isp-mix-scenario.json --plot build/campaign.svg
echo "(queue depth and delivery rate over time: build/campaign.svg)"
echo
echo "== pmtalint config examples/web-hot-config.conf (lines from the web that PMTA rejects)"
status=0
"$pmtalint" config examples/web-hot-config.conf || status=$?
if [ "$status" -ne 1 ]; then
  echo "bootstrap: expected findings (exit 1) for the web example, got exit $status" >&2
  exit 1
fi

if [ "$mode" = test ]; then
  # From the npm registry: the SARIF validator, the protocol layer VS Code uses for the LSP
  # client test, and what the VS Code extension test packages into a .vsix (vsce, and the
  # language client the extension ships). One install command for all, or npm prunes what it
  # did not name.
  sarif=build/npm/node_modules/@microsoft/sarif-multitool-linux
  lsp_client=build/npm/node_modules/vscode-languageserver-protocol
  vsce=build/npm/node_modules/@vscode/vsce
  language_client=build/npm/node_modules/vscode-languageclient
  if [ ! -f "$sarif/sarif-2.1.0.json" ] || [ ! -f "$lsp_client/package.json" ] || [ ! -f "$vsce/package.json" ] ||
     [ ! -f "$language_client/package.json" ]; then
    echo "bootstrap: installing the SARIF validator, the LSP protocol client, vsce and the language client from the npm registry"
    npm install --prefix build/npm --no-audit --no-fund --loglevel=error \
      @microsoft/sarif-multitool-linux@5.7.0 vscode-languageserver-protocol@3.17.5 @vscode/vsce@2.32.0 \
      vscode-languageclient@9.0.1
  fi
  echo
  ctest --test-dir build --output-on-failure -j "$jobs"

  # The same suite once more under AddressSanitizer and UndefinedBehaviorSanitizer.
  echo
  echo "== test suite under ASan+UBSan (build-asan/)"
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DPMTALINT_SANITIZE=ON
  cmake --build build-asan -j "$jobs"
  mkdir -p build-asan/npm
  [ -e build-asan/npm/node_modules ] || ln -s ../../build/npm/node_modules build-asan/npm/node_modules
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

  # A bounded fuzz smoke run: each libFuzzer target for 20 s on the fixture corpus.
  echo
  echo "== fuzz smoke (build-fuzz/)"
  fuzz/run_fuzz.sh 20
fi
