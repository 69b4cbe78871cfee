#!/usr/bin/env bash
# Installs everything ensgate needs on a fresh machine, idempotently:
# the pinned Node LTS (scripts/node-env.sh), OpenSSL and curl when missing, the npm packages (npm ci, re-run when the
# lockfile changes) and the compiled contracts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$ENSGATE_ROOT"

# The certificate and HTTPS tests drive OpenSSL and curl (HTTP/1.1 and HTTP/2): Debian packages,
# installed only when missing.
missing=()
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "ensgate: installing ${missing[*]} (apt-get)" >&2
  { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >&2; } ||
    echo "ensgate: could not install ${missing[*]}: the certificate and HTTPS tests will fail" >&2
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
