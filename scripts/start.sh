#!/usr/bin/env bash
# The main job on a fresh machine: install everything, then run it.
# For now the main job is the smoke check (keys, every record type signed and verified);
# the local stack (`ensgate dev`) replaces it when the CLI lands.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
source "$root/scripts/node-env.sh"
cd "$root"
exec node scripts/smoke.ts "$@"
