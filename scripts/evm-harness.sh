#!/usr/bin/env bash
# The real EVM harness (Ocean's v4 contracts on py-evm) for the EVM ledger's tests.
#
#   eval "$(scripts/evm-harness.sh start)"   # prints export lines for the tests
#   scripts/evm-harness.sh stop              # uses SLUICE_EVM_HARNESS_PID
#
# start creates the harness's venv from PyPI with its pinned constraints when missing
# (cached outside the repository under $SLUICE_TEST_CACHE, ~15 s once), boots the chain on
# a free loopback port with a provider key (SLUICE_EVM_PROVIDER_KEY, else a fresh one kept
# in the run directory) and waits for its JSON. Only the export lines go to stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
harness_dir=${SLUICE_EVM_HARNESS_DIR:-$here/../shared/tools/evm-harness}
cache=${SLUICE_TEST_CACHE:-/var/cache/sluice-test}
venv=${SLUICE_EVM_VENV:-$cache/evm-venv}

log() { echo "evm-harness: $*" >&2; }

ensure_venv() {
  if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import eth_tester, web3, eth_abi, rlp" 2>/dev/null; then
    return
  fi
  log "creating $venv (PyPI, about 15 s)"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q -c "$harness_dir/constraints.txt" \
    "eth-tester[py-evm]==0.13.0b1" "web3==7.16.0" "ocean-contracts==3.1.0" >&2
}

start() {
  [ -f "$harness_dir/evm_harness.py" ] || { log "no harness at $harness_dir"; exit 1; }
  ensure_venv
  local dir key
  dir=$(mktemp -d /tmp/sluice-evm.XXXXXX)
  chmod 0700 "$dir"
  key=${SLUICE_EVM_PROVIDER_KEY:-}
  if [ -z "$key" ]; then
    key=0x$("$venv/bin/python" -c "import secrets; print(secrets.token_hex(32))")
  fi
  # The key goes through a file the harness reads, so it never shows in `ps`.
  umask 077
  printf '%s' "$key" >"$dir/provider.key"
  "$venv/bin/python" - "$harness_dir/evm_harness.py" "$dir" >"$dir/harness.log" 2>&1 <<'PY' &
import runpy, sys
script, run_dir = sys.argv[1], sys.argv[2]
with open(run_dir + "/provider.key") as fh:
    key = fh.read().strip()
sys.argv = [script, "--port", "0", "--out", run_dir + "/harness.json", "--provider-key", key]
runpy.run_path(script, run_name="__main__")
PY
  local pid=$!
  echo "$pid" >"$dir/harness.pid"
  for _ in $(seq 1 300); do
    [ -s "$dir/harness.json" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then
      log "the harness exited:"; tail -20 "$dir/harness.log" >&2; exit 1
    fi
    sleep 0.1
  done
  [ -s "$dir/harness.json" ] || { log "no harness.json after 30 s"; kill "$pid"; exit 1; }
  local rpc
  rpc=$("$venv/bin/python" -c "import json,sys; print(json.load(open(sys.argv[1]))['rpcUrl'])" "$dir/harness.json")
  log "serving $rpc (pid $pid)"
  echo "export SLUICE_EVM_RPC=$rpc"
  echo "export SLUICE_EVM_HARNESS_JSON=$dir/harness.json"
  echo "export SLUICE_EVM_HARNESS_PID=$pid"
}

stop() {
  local pid=${SLUICE_EVM_HARNESS_PID:-}
  [ -n "$pid" ] || { log "SLUICE_EVM_HARNESS_PID is not set"; exit 0; }
  kill "$pid" 2>/dev/null || true
  local json=${SLUICE_EVM_HARNESS_JSON:-}
  [ -n "$json" ] && rm -rf "$(dirname "$json")"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  venv) ensure_venv; echo "$venv" ;;
  *) echo "usage: $0 start|stop|venv" >&2; exit 2 ;;
esac
