#!/usr/bin/env bash
# A single-node Slurm cluster (munge, slurmctld, slurmd, slurmrestd with JWT) for the
# Slurm backend's tests: ../shared/tools/slurm-harness, on free loopback ports.
#
#   eval "$(scripts/slurm-test-env.sh start)"   # prints export lines for the tests
#   scripts/slurm-test-env.sh stop              # uses SLUICE_SLURM_HARNESS_DIR
#
# Installs nothing (scripts/install-deps.sh installs Debian's Slurm packages); needs
# root. The JWT goes into a token file (mode 0600) in the run directory; only the file's
# path is printed. Only the export lines go to stdout; progress goes to stderr. One
# harness per host: two would share slurmd's cgroup paths.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
harness=${SLUICE_SLURM_HARNESS:-$here/../shared/tools/slurm-harness}/slurm-harness.sh

log() { echo "slurm-test-env: $*" >&2; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  [ "$(id -u)" -eq 0 ] || { log "must run as root (the harness starts Slurm's daemons)"; exit 1; }
  for tool in slurmctld slurmd slurmrestd munged scontrol bwrap; do
    command -v "$tool" >/dev/null || { log "$tool is missing; run scripts/install-deps.sh"; exit 1; }
  done
  [ -x "$harness" ] || { log "no harness at $harness"; exit 1; }
  local dir
  dir=$(mktemp -d /tmp/sluice-slurm.XXXXXX)
  SLURM_HARNESS_DIR=$dir SLURM_HARNESS_REST_PORT=$(free_port) SLURM_HARNESS_CTLD_PORT=$(free_port) \
    SLURM_HARNESS_SLURMD_PORT=$(free_port) "$harness" start >&2
  # The harness's own exports, read here only: SLURM_REST_JWT must not reach the tests' environment.
  (
    # shellcheck disable=SC1091
    . "$dir/env.sh"
    umask 077
    printf '%s\n' "$SLURM_REST_JWT" >"$dir/token"
    echo "export SLUICE_SLURM_HARNESS_DIR=$dir"
    echo "export SLUICE_SLURM_REST_URL=$SLURM_REST_URL"
    echo "export SLUICE_SLURM_TOKEN_FILE=$dir/token"
    echo "export SLUICE_SLURM_USER=$SLURM_JWT_USER"
    echo "export SLUICE_SLURM_PARTITION=debug"
    echo "export SLUICE_SLURM_MEMORY_ENFORCED=$SLURM_HARNESS_CGROUP"
  )
}

stop() {
  local dir=${SLUICE_SLURM_HARNESS_DIR:?set SLUICE_SLURM_HARNESS_DIR (from start) first}
  SLURM_HARNESS_DIR=$dir "$harness" stop >&2 || true
  case $dir in /tmp/sluice-slurm.*) rm -rf "$dir" ;; esac
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start | stop" >&2; exit 2 ;;
esac
