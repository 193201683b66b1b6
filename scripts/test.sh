#!/usr/bin/env bash
# make test: one debug build for every test target; a podman engine for the Docker-API
# backend's tests, a throwaway PostgreSQL cluster for the PostgreSQL store's, a
# single-node Slurm (../shared/tools/slurm-harness) for the Slurm backend's, and Ocean's
# contracts on an EVM (../shared/tools/evm-harness) for the EVM ledger's tests, all
# started here and stopped however the run ends; then Ocean's
# own Python client (on the embedded ledger and on the harness chain) and schemathesis
# against a real node, and the operator's dashboard in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests

cleanup() {
  [ -n "${stop_evm:-}" ] && scripts/evm-harness.sh stop >/dev/null 2>&1
  [ -n "${stop_podman:-}" ] && scripts/podman-test-env.sh stop >/dev/null 2>&1
  [ -n "${stop_postgres:-}" ] && scripts/postgres-test-env.sh stop >/dev/null 2>&1
  [ -n "${stop_slurm:-}" ] && scripts/slurm-test-env.sh stop >/dev/null 2>&1
  true
}
trap cleanup EXIT
if [ -z "${SLUICE_PODMAN_SOCKET:-}" ]; then
  eval "$(scripts/podman-test-env.sh start)"
  stop_podman=1
fi
if [ -z "${SLUICE_POSTGRES_URL:-}" ]; then
  eval "$(scripts/postgres-test-env.sh start)"
  stop_postgres=1
fi
if [ -z "${SLUICE_SLURM_REST_URL:-}" ]; then
  eval "$(scripts/slurm-test-env.sh start)"
  stop_slurm=1
fi
if [ -z "${SLUICE_EVM_HARNESS_JSON:-}" ]; then
  eval "$(scripts/evm-harness.sh start)"
  stop_evm=1
fi

swift test --skip-build
scripts/interop.sh
# The seed's flow as written for ocean-lib, against a node on the EVM harness.
scripts/seed-flow.sh
# Generated requests from /openapi.json against a real node: no 5xx, nothing undocumented.
scripts/schemathesis.sh
# The operator's dashboard in headless Chromium, /metrics through prometheus_client, JSON logs.
scripts/dashboard-test.sh
# The demo flow through the CLI (10x10 grid): the GPR's mean absolute error must be at most 5.
scripts/demo-test.sh
