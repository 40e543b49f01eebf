#!/usr/bin/env bash
# `npm run compat [-- --shards 4] [-- --only cat1,cat2 --verbose ...]`: runs the differential corpus in
# ../shared/compat against a throw-away cluster (2 shards by default) and a plain MariaDB oracle, then stops both.
# Arguments other than --shards/--keep/--compat-dir go to run.mjs. Exit code is run.mjs's (0 = all passed).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx packages/localcluster/src/compat.ts "$@"
