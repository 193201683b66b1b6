#!/usr/bin/env bash
# The interop test: Ocean's Python client (ocean-lib 3.1.2) against a real `sluice serve`.
# Makes a venv from Debian's python3 on first use, then reuses it.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=$(scripts/ocean-lib-venv.sh)
swift build --product sluice >/dev/null
work=$(mktemp -d)
# The sandbox user (65534) must reach the runtime venv the node mounts into jobs.
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
"$venv/bin/python" Tests/Interop/ocean_lib_interop.py "$(swift build --show-bin-path)/sluice" "$work" 2>&1 \
  | grep -v "^signing message with nonce"
