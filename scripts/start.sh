#!/usr/bin/env bash
# The main job on a fresh machine: install everything, then run it.
# The main job is `ensgate dev`: the local stack with a demo name whose records cover every
# record type, up until Ctrl-C.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
source "$root/scripts/node-env.sh"
cd "$root"
exec node cli/ensgate.ts dev "$@"
