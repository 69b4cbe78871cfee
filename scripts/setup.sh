#!/usr/bin/env bash
# Installs everything ensgate needs on a fresh machine, idempotently:
# the pinned Node LTS (scripts/node-env.sh), the Debian DNS tools the DNS bridge's tests and
# benchmark run (dig, kdig, unbound, dnsperf), the npm packages (npm ci, re-run when the lockfile
# changes) and the compiled contracts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$ENSGATE_ROOT"

# DNS software for the bridge (docs/bridge.md): installed only when a command is missing.
dns_packages=()
command -v dig >/dev/null 2>&1 || dns_packages+=(dnsutils)
command -v kdig >/dev/null 2>&1 || dns_packages+=(knot-dnsutils)
command -v unbound >/dev/null 2>&1 || [ -x /usr/sbin/unbound ] || dns_packages+=(unbound)
command -v dnsperf >/dev/null 2>&1 || dns_packages+=(dnsperf)
if [ "${#dns_packages[@]}" -gt 0 ]; then
  echo "ensgate: installing ${dns_packages[*]} (apt-get)" >&2
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${dns_packages[@]}" >&2
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
