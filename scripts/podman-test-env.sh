#!/usr/bin/env bash
# A podman engine for the Docker-API backend's tests and bench.
#
#   eval "$(scripts/podman-test-env.sh start)"   # prints export lines for the tests
#   scripts/podman-test-env.sh stop              # uses SLUICE_PODMAN_SOCKET
#
# start installs podman, runc and debootstrap when missing, writes the containers.conf
# these hosts need (docs: sandbox-notes.md, podman section), imports a small Debian
# image with python3 (its rootfs tarball is cached under $SLUICE_TEST_CACHE, so later
# runs skip debootstrap), and starts `podman system service` on a socket in a fresh
# temporary directory. Only the export lines go to stdout; progress goes to stderr.
set -euo pipefail

cache=${SLUICE_TEST_CACHE:-/var/cache/sluice-test}
image=localhost/sluice-test-python:bookworm
conf=$cache/containers.conf

log() { echo "podman-test-env: $*" >&2; }

start() {
  local missing=()
  command -v podman >/dev/null || missing+=(podman)
  command -v runc >/dev/null || missing+=(runc)
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
  fi
  mkdir -p "$cache"
  # Root lacks CAP_SYS_RESOURCE here: without explicit ulimits every container fails.
  cat >"$conf" <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  export CONTAINERS_CONF=$conf

  local tarball=$cache/python-bookworm-rootfs.tar
  if ! podman image exists "$image"; then
    if [ ! -s "$tarball" ]; then
      local rootfs
      rootfs=$(mktemp -d /var/tmp/sluice-rootfs.XXXXXX)
      log "debootstrap bookworm with python3 (about a minute)"
      debootstrap --variant=minbase --include=python3 bookworm "$rootfs" http://deb.debian.org/debian >&2
      tar -C "$rootfs" -cf "$tarball.partial" .
      mv "$tarball.partial" "$tarball"
      rm -rf "$rootfs"
    fi
    log "importing $image"
    podman import "$tarball" "$image" >&2
  fi

  local dir
  dir=$(mktemp -d /tmp/sluice-podman.XXXXXX)
  chmod 0711 "$dir"
  local socket=$dir/podman.sock
  # From its own directory: conmon drops files (e.g. "oom") into its working directory.
  (cd "$dir" && exec nohup podman system service --time=0 "unix://$socket" >"$dir/service.log" 2>&1) &
  echo $! >"$dir/service.pid"
  for _ in $(seq 100); do
    if curl -sf --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; then
      echo "export SLUICE_PODMAN_SOCKET=$socket"
      echo "export SLUICE_PODMAN_IMAGE=$image"
      echo "export CONTAINERS_CONF=$conf"
      return 0
    fi
    sleep 0.1
  done
  log "podman system service did not answer on $socket; see $dir/service.log"
  cat "$dir/service.log" >&2
  return 1
}

stop() {
  local socket=${SLUICE_PODMAN_SOCKET:?set SLUICE_PODMAN_SOCKET (from start) first}
  local dir
  dir=$(dirname "$socket")
  if [ -f "$dir/service.pid" ]; then
    kill "$(cat "$dir/service.pid")" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$(cat "$dir/service.pid")" 2>/dev/null || break; sleep 0.1; done
  fi
  case $dir in /tmp/sluice-podman.*) rm -rf "$dir" ;; esac
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start | stop" >&2; exit 2 ;;
esac
