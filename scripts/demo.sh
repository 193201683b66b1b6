#!/usr/bin/env bash
# make demo: until the compute flow lands, start a node on embedded defaults, show its
# root document and compute environments, and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --product sluice
bin=$(swift build --show-bin-path)
data=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
"$bin/sluice" serve --data-dir "$data" --port "$port" &
node=$!
trap 'kill $node 2>/dev/null || true; wait $node 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.05; done
echo
echo "GET /"
curl -sf "http://127.0.0.1:$port/" | python3 -m json.tool
echo "GET /api/services/computeEnvironments"
curl -sf "http://127.0.0.1:$port/api/services/computeEnvironments" | python3 -m json.tool
