#!/usr/bin/env bash
# make bench: builds in release mode and prints figures. Targets are printed beside
# the figures; nothing here fails on a missed target.
set -euo pipefail
cd "$(dirname "$0")/.."

# The shipping build: release with the Swift runtime and Foundation linked statically, so
# a node maps only the code it uses (idle RSS) and starts without resolving their symbols.
build=(swift build -c release --static-swift-stdlib --scratch-path .build-static)
"${build[@]}" --product sluice >/dev/null
"${build[@]}" --product SluiceBench >/dev/null
bin=$("${build[@]}" --show-bin-path)

echo "== crypto"
"$bin/SluiceBench" crypto

echo "== startup and memory"
"$bin/SluiceBench" startup "$bin/sluice"

echo "== HTTP on loopback (wrk, 2 threads, 64 connections, 5 s each; access log on, to /dev/null)"
data=$(mktemp -d)
port=$((20000 + RANDOM % 10000))
"$bin/sluice" serve --data-dir "$data" --port "$port" 2>/dev/null &
node=$!
cleanup() {
  kill "$node" 2>/dev/null || true
  rm -rf "$data"
  [ -n "${started_podman:-}" ] && scripts/podman-test-env.sh stop >/dev/null 2>&1 || true
  [ -n "${started_slurm:-}" ] && scripts/slurm-test-env.sh stop >/dev/null 2>&1 || true
  [ -n "${started_postgres:-}" ] && scripts/postgres-test-env.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/" >/dev/null && break; sleep 0.05; done
for path in "/" "/api/services/nonce?userAddress=0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"; do
  rps=$(wrk -t2 -c64 -d5s "http://127.0.0.1:$port$path" | awk '/Requests\/sec/ {print $2}')
  echo "http/GET ${path%%\?*}: $rps requests/s$([ "$path" = "/" ] && echo ' (target: at least 20000/s)')"
done

echo "== the cost of the HTTP metrics (the same node without them, --no-http-metrics; six alternating rounds, 3 s each)"
bare_data=$(mktemp -d)
bare_port=$((port + 1))
"$bin/sluice" serve --data-dir "$bare_data" --port "$bare_port" --no-http-metrics 2>/dev/null &
bare=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$bare_port/" >/dev/null && break; sleep 0.05; done
for path in "/" "/api/services/nonce?userAddress=0x1a642f0E3c3aF545E7AcBD38b07251B3990914F1"; do
  with=() without=()
  for _ in 1 2 3 4 5 6; do
    with+=("$(wrk -t2 -c64 -d3s "http://127.0.0.1:$port$path" | awk '/Requests\/sec/ {printf "%d", $2}')")
    without+=("$(wrk -t2 -c64 -d3s "http://127.0.0.1:$bare_port$path" | awk '/Requests\/sec/ {printf "%d", $2}')")
  done
  echo "http/GET ${path%%\?*} with metrics: ${with[*]} requests/s; without: ${without[*]} requests/s (target: within the rounds' spread)"
done
kill "$bare" 2>/dev/null || true
wait "$bare" 2>/dev/null || true
rm -rf "$bare_data"

echo "== metadata cache search (SQLite FTS5, 100,000 assets)"
"$bin/SluiceBench" search

echo "== output checks of status 50 (1 GiB of inputs, 1 GiB of outputs, verbatim search included)"
"$bin/SluiceBench" output-checks 1024

echo "== compute API through HTTP (a real node; pre-signed status requests from 16 connections)"
"$bin/SluiceBench" compute-http "$bin/sluice"

echo "== signed requests as the stores grow (fresh addresses; empty store, then 1,000,000 addresses and 100,000 finished jobs)"
if [ -z "${SLUICE_POSTGRES_URL:-}" ]; then
  eval "$(scripts/postgres-test-env.sh start)"
  started_postgres=1
fi
"$bin/SluiceBench" store-growth "$bin/sluice"

echo "== replicas (SQLite, then 1 and 3 replicas on one PostgreSQL database; signed status from 16 connections, 60 no-op jobs round-robin)"
"$bin/SluiceBench" replicas "$bin/sluice"

echo "== engine (bubblewrap, in process)"
"$bin/SluiceBench" engine-bubblewrap

echo "== engine through the Docker API (podman; see scripts/podman-test-env.sh)"
if [ -z "${SLUICE_PODMAN_SOCKET:-}" ]; then
  eval "$(scripts/podman-test-env.sh start)"
  started_podman=1
fi
"$bin/SluiceBench" docker-engine

echo "== engine on Slurm (the single-node harness; see scripts/slurm-test-env.sh)"
if [ -z "${SLUICE_SLURM_REST_URL:-}" ]; then
  eval "$(scripts/slurm-test-env.sh start)"
  started_slurm=1
fi
"$bin/SluiceBench" slurm
