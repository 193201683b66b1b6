#!/usr/bin/env bash
# Schemathesis (pinned, from PyPI) against /openapi.json of a real `sluice serve`: requests
# generated from the document, valid and invalid, on every operation. Any 5xx, a status or
# content type the document does not list, or a body off its schema fails the run, and so
# does a run of fewer than $SLUICE_SCHEMATHESIS_MIN_CASES cases (2000).
# The venv is cached in $SLUICE_TEST_CACHE. The seed is fixed so a finding reproduces;
# SLUICE_SCHEMATHESIS_SEED picks another. One worker: Python 3.11's ast.parse, which
# Hypothesis calls, is not safe across threads.
set -euo pipefail
cd "$(dirname "$0")/.."

version=4.32.5
cache=${SLUICE_TEST_CACHE:-/var/cache/sluice-test}
venv=$cache/schemathesis-$version
min_cases=${SLUICE_SCHEMATHESIS_MIN_CASES:-2000}
seed=${SLUICE_SCHEMATHESIS_SEED:-20261201}

# The marker comes last, so a failed install is never taken for a good one.
if [ ! -f "$venv/.installed" ]; then
  rm -rf "$venv"
  mkdir -p "$cache"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$version"
  touch "$venv/.installed"
fi

swift build --product sluice >/dev/null
sluice="$(swift build --show-bin-path)/sluice"
work=$(mktemp -d)
node_pid=
cleanup() {
  if [ -n "$node_pid" ]; then kill "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Port 0: the node picks a free port and logs it.
cat >"$work/sluice.json" <<EOF
{"port": 0, "dataDir": "$work/data", "maxRequestBodyBytes": 65536,
 "environments": [{"id": "free-cpu", "maxJobs": 1, "maxQueuedJobs": 4, "maxJobDuration": 10}]}
EOF
"$sluice" serve --config "$work/sluice.json" --log-level "${SLUICE_SCHEMATHESIS_LOG_LEVEL:-notice}" >"$work/node.log" 2>&1 &
node_pid=$!
url=
for _ in $(seq 300); do
  url=$(sed -n 's|.*listening on \(http://[0-9.]*:[0-9]*\).*|\1|p' "$work/node.log" | head -n 1)
  [ -n "$url" ] && break
  if ! kill -0 "$node_pid" 2>/dev/null; then cat "$work/node.log" >&2; echo "sluice serve did not start" >&2; exit 1; fi
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/node.log" >&2; echo "sluice serve did not start" >&2; exit 1; }

# Every check but positive_data_acceptance: signed routes cannot accept generated
# signatures. That leaves not_a_server_error, status_code_conformance,
# content_type_conformance, response_schema_conformance, response_headers_conformance,
# negative_data_rejection (invalid input must get a 4xx), unsupported_method (405 with
# Allow), and the stateful ones.
# Run from the temporary directory: schemathesis leaves a .schemathesis folder where it runs.
status=0
(cd "$work" && "$venv/bin/schemathesis" run "$url/openapi.json" \
  --checks all --exclude-checks positive_data_acceptance \
  --mode all --max-examples 100 --seed "$seed" --workers 1 \
  --generation-database none --no-color --warnings off) >"$work/out.txt" 2>&1 || status=$?
cat "$work/out.txt"

if ! kill -0 "$node_pid" 2>/dev/null; then
  echo "schemathesis: the node died during the run" >&2
  tail -n 50 "$work/node.log" >&2
  exit 1
fi
if grep -q "request failed inside the node" "$work/node.log"; then
  echo "schemathesis: the node logged internal failures:" >&2
  grep "request failed inside the node" "$work/node.log" | head -n 20 >&2
  status=1
fi
# The summary says "Test cases:" and, on the next line, "N generated, N passed".
cases=$(grep -A1 '^Test cases:' "$work/out.txt" | sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' | tail -n 1)
if [ -z "$cases" ] || [ "$cases" -lt "$min_cases" ]; then
  echo "schemathesis: ${cases:-no} test cases generated, fewer than the $min_cases required" >&2
  status=1
fi
[ -n "${SLUICE_SCHEMATHESIS_NODE_LOG:-}" ] && cp "$work/node.log" "$SLUICE_SCHEMATHESIS_NODE_LOG"
[ "$status" -eq 0 ] && echo "schemathesis: $cases generated cases, no finding"
exit "$status"
