#!/usr/bin/env bash
# Installs everything ensgate needs on a fresh machine, idempotently:
# the pinned Node LTS (scripts/node-env.sh), the Debian packages the tests drive when missing
# (OpenSSL and curl for certificates and HTTPS; dig, kdig, unbound and dnsperf for the DNS bridge),
# the npm packages (npm ci, re-run when the lockfile changes), the compiled contracts and the
# web app (webapp/dist).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$ENSGATE_ROOT"

# Debian packages the tests and benchmarks run, installed only when a command is missing:
# OpenSSL and curl (certificates, HTTPS over HTTP/1.1 and HTTP/2), dig, kdig, unbound and dnsperf
# (the DNS bridge, docs/bridge.md), Chromium (the web app's browser tests).
packages=()
command -v openssl >/dev/null 2>&1 || packages+=(openssl)
command -v curl >/dev/null 2>&1 || packages+=(curl)
command -v dig >/dev/null 2>&1 || packages+=(dnsutils)
command -v kdig >/dev/null 2>&1 || packages+=(knot-dnsutils)
command -v unbound >/dev/null 2>&1 || [ -x /usr/sbin/unbound ] || packages+=(unbound)
command -v dnsperf >/dev/null 2>&1 || packages+=(dnsperf)
# Debian's Chromium: the web app's browser tests drive it (playwright-core, docs/webapp.md).
[ -x /usr/bin/chromium ] || packages+=(chromium)
if [ "${#packages[@]}" -gt 0 ]; then
  echo "ensgate: installing ${packages[*]} (apt-get)" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  { "${sudo_cmd[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2; } ||
    echo "ensgate: could not install ${packages[*]}: the tests that need them will fail" >&2
fi

stamp="node_modules/.ensgate-lock-hash"
lock_hash="$(node -e 'process.stdout.write(require("node:crypto").createHash("sha256").update(require("node:fs").readFileSync("package-lock.json")).digest("hex"))')"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "ensgate: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > "$stamp"
fi
# Compiling takes a minute or two on a fresh clone (solc is downloaded first): say so, and show
# that it is still going, instead of a silent terminal.
echo "ensgate: compiling the contracts (hardhat build)" >&2
start=$SECONDS
npx --no-install hardhat build --quiet >&2 &
build=$!
while kill -0 "$build" 2>/dev/null; do
  sleep 1
  elapsed=$((SECONDS - start))
  if [ $((elapsed % 10)) -eq 0 ]; then echo "ensgate: still compiling the contracts (${elapsed}s)" >&2; fi
done
wait "$build"
echo "ensgate: contracts compiled ($((SECONDS - start))s)" >&2

# The web app (webapp/dist, docs/webapp.md): the gateway serves it, `ensgate dev` prints its URL,
# and its bundle reads the compiled resolver's ABI, so it is built after the contracts.
echo "ensgate: building the web app (vite)" >&2
npm run --silent build:webapp >&2
