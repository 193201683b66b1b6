#!/usr/bin/env bash
# make test: one debug build for every test target; a podman engine for the Docker-API
# backend's tests (started here, stopped however the run ends); then Ocean's own Python
# client against a real node.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
if [ -z "${SLUICE_PODMAN_SOCKET:-}" ]; then
  eval "$(scripts/podman-test-env.sh start)"
  trap 'scripts/podman-test-env.sh stop' EXIT
fi
swift test --skip-build
scripts/interop.sh
