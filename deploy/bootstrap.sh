#!/bin/sh
# Cluster bootstrap through vtctld (used by docker-compose and the k8s Job), idempotent.
#   bootstrap.sh topo    cell zone1, keyspace commerce, shards -80 and 80-   (before tablets start)
#   bootstrap.sh schema  RebuildKeyspaceGraph, ApplySchema, ApplyVSchema     (after tablets are up)
# Env: VTCTLD (host:port), ETCD (host:port), SCHEMA, VSCHEMA (files).
set -eu
VTCTLD=${VTCTLD:-vtctld:15999}; ETCD=${ETCD:-etcd:2379}
SCHEMA=${SCHEMA:-/app/packages/localcluster/examples/commerce/schema.sql}
VSCHEMA=${VSCHEMA:-/app/packages/localcluster/examples/commerce/vschema.json}
vtc() { node --import tsx /app/apps/vtctldclient/src/main.ts --server "$VTCTLD" "$@"; }
retry() { i=0; until "$@"; do i=$((i+1)); [ $i -ge 60 ] && return 1; sleep 2; done; }
case "${1:-}" in
  topo)
    retry vtc GetCellInfoNames >/dev/null
    vtc GetCellInfo zone1 >/dev/null 2>&1 || vtc AddCellInfo --root /vitess/zone1 --server-address "$ETCD" zone1
    vtc GetKeyspace commerce >/dev/null 2>&1 || vtc CreateKeyspace commerce
    for s in -80 80-; do vtc CreateShard --force "commerce/$s" >/dev/null; done ;;
  schema)
    retry sh -c "[ \$(node --import tsx /app/apps/vtctldclient/src/main.ts --server $VTCTLD GetTablets --keyspace commerce | wc -l) -ge 4 ]"
    vtc RebuildKeyspaceGraph commerce
    vtc ApplySchema --sql-file "$SCHEMA" commerce || true
    vtc ApplyVSchema --vschema-file "$VSCHEMA" commerce >/dev/null ;;
  *) echo "usage: bootstrap.sh topo|schema" >&2; exit 2 ;;
esac
