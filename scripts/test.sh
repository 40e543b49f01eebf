#!/usr/bin/env bash
# Runs every test (unit, conformance on memory + real etcd, end-to-end on real MariaDB) and ends with
# one line "N passed, N failed, N skipped". A type error counts as one failed test.
set -uo pipefail
cd "$(dirname "$0")/.."
export NO_COLOR=1 TURBO_TELEMETRY_DISABLED=1
tc_failed=0
if ! pnpm exec turbo run typecheck --output-logs=errors-only >/tmp/vt-typecheck.log 2>&1; then
  tc_failed=1; echo "typecheck FAILED:"; grep -E 'error TS' /tmp/vt-typecheck.log | head -40
fi
pnpm exec vitest run "$@" 2>&1 | tee /tmp/vt-vitest.log
rc=${PIPESTATUS[0]}
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' /tmp/vt-vitest.log | tail -1)
p=$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/'); f=$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')
s=$(echo "$line" | sed -nE 's/.*, ([0-9]+) skipped.*/\1/p')
[ -n "$p" ] || { p=0; f=1; }
f=$((f + tc_failed))
echo "typecheck: $([ $tc_failed = 0 ] && echo ok || echo FAILED)"
echo "$p passed, $f failed, ${s:-0} skipped"
[ "$f" -eq 0 ] && [ "$rc" -eq 0 ]
