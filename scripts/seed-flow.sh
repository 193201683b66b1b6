#!/usr/bin/env bash
# The seed's compute flow with Ocean's own Python client (ocean-lib 3.1.2) against
# `sluice serve --chain` on the EVM harness: Tests/Interop/seed_flow_chain.py.
# Needs SLUICE_EVM_HARNESS_JSON (scripts/evm-harness.sh start); reuses the interop venv and
# the demo's sandbox runtime (scikit-learn, liac-arff).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SLUICE_EVM_HARNESS_JSON:?start the harness first: eval \"\$(scripts/evm-harness.sh start)\"}"

venv=$(scripts/ocean-lib-venv.sh)
runtime=$(scripts/demo-runtimes.sh runtime)
swift build --product sluice >/dev/null
work=$(mktemp -d)
# The sandbox user must reach the job workspaces under the node's data directory.
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
"$venv/bin/python" Tests/Interop/seed_flow_chain.py "$(swift build --show-bin-path)/sluice" "$work" "$SLUICE_EVM_HARNESS_JSON" "$runtime" 2>&1 \
  | grep -v "^signing message with nonce"
