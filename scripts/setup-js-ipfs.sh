#!/usr/bin/env bash
# Installs the deprecated js-ipfs daemon (npm `ipfs`, CLI `jsipfs`) into the git-ignored folder
# .tools/js-ipfs/, apart from the project's own dependency tree. The Kubo-RPC integration test
# (test/cli/kubo.test.ts) runs it as an offline, independent Kubo-RPC server on 127.0.0.1.
#
# Idempotent: a stamp file marks a finished install, so a second run returns at once. An
# interrupted install leaves no stamp and is completed by the next run.
# Runs under the pinned Node (scripts/node-env.sh); js-ipfs 0.66 works on it (see docs/ipfs.md).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=scripts/node-env.sh
source "$ROOT/scripts/node-env.sh"

JS_IPFS_VERSION="0.66.1" # the last release of js-ipfs
PREFIX="$ROOT/.tools/js-ipfs"
STAMP="$PREFIX/.installed-ipfs-$JS_IPFS_VERSION"
BIN="$PREFIX/node_modules/.bin/jsipfs"

# A package.json of its own keeps npm from walking up to the project's package.json. Its
# overrides pin transitive packages whose later releases moved to @multiformats/multiaddr 12,
# while libp2p 0.42 (inside js-ipfs 0.66) makes multiaddr 11 objects, which multiaddr 12 rejects:
# with @libp2p/tcp >= 6.1.3, @libp2p/websockets >= 5.0.6 or @multiformats/mafmt 11.1.2, libp2p
# finds "no valid addresses were provided for transports" and the daemon hangs before its API
# starts. See docs/ipfs.md.
PACKAGE_JSON=$(cat <<JSON
{
  "name": "ensgate-js-ipfs",
  "private": true,
  "dependencies": {
    "ipfs": "$JS_IPFS_VERSION"
  },
  "overrides": {
    "@libp2p/tcp": "6.1.2",
    "@libp2p/websockets": "5.0.5",
    "@multiformats/mafmt@11.1.2": "11.1.1"
  }
}
JSON
)

# The stamp holds the package.json it was made from: editing the pins above reinstalls.
if [ -x "$BIN" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$PACKAGE_JSON" ]; then
  exit 0
fi

echo "setup-js-ipfs: installing ipfs@$JS_IPFS_VERSION into .tools/js-ipfs/ (about 300 MB, a few minutes)" >&2
mkdir -p "$PREFIX"
rm -f "$STAMP"
printf '%s\n' "$PACKAGE_JSON" > "$PREFIX/package.json"
start=$(date +%s)
# Without a stamp the lockfile is not trusted (npm would keep a stale lock over the overrides).
rm -f "$PREFIX/package-lock.json"
npm install --prefix "$PREFIX" --no-audit --no-fund --omit=peer --loglevel=error
"$BIN" --version >/dev/null
printf '%s' "$PACKAGE_JSON" > "$STAMP"
echo "setup-js-ipfs: done in $(($(date +%s) - start)) s ($(du -sh "$PREFIX" | cut -f1))" >&2
