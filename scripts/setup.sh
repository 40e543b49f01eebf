#!/usr/bin/env bash
# Installs whatever is missing for `npm start` / `npm test`: Debian packages (MariaDB, etcd) when root,
# pnpm, and the workspace's dependencies. Idempotent and quiet when nothing is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "[setup] $*" >&2; }

need_apt=()
command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] || need_apt+=(mariadb-server)
command -v mariadb >/dev/null 2>&1 || need_apt+=(mariadb-client)
command -v etcd >/dev/null 2>&1 || need_apt+=(etcd-server)
command -v etcdctl >/dev/null 2>&1 || need_apt+=(etcd-client)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "missing Debian packages ${need_apt[*]}; run as root or install them yourself"; exit 1
  fi
  log "installing Debian packages: ${need_apt[*]}"
  # keep Debian from starting its own mariadb/etcd services (they would take ports 3306/2379)
  policy_created=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy_created=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${need_apt[@]}" >/tmp/vt-setup-apt.log 2>&1 || {
    apt-get update -q >>/tmp/vt-setup-apt.log 2>&1
    apt-get install -y -q "${need_apt[@]}" >>/tmp/vt-setup-apt.log 2>&1 || { log "apt-get failed, see /tmp/vt-setup-apt.log"; exit 1; }
  }
  [ "$policy_created" = 1 ] && rm -f /usr/sbin/policy-rc.d
fi

if ! command -v pnpm >/dev/null 2>&1; then
  log "installing pnpm 10.34.9"
  npm i -g pnpm@10.34.9 >/tmp/vt-setup-pnpm.log 2>&1 || { log "npm i -g pnpm failed, see /tmp/vt-setup-pnpm.log"; exit 1; }
fi

want=$(cat pnpm-lock.yaml package.json */*/package.json 2>/dev/null | sha256sum | cut -c1-32)
if [ "$(cat node_modules/.vt-install-stamp 2>/dev/null)" != "$want" ]; then
  log "installing workspace dependencies (pnpm install)"
  if [ -f pnpm-lock.yaml ]; then pnpm install --frozen-lockfile --reporter=silent >&2
  else pnpm install --reporter=silent >&2; fi
  echo "$want" > node_modules/.vt-install-stamp
fi
