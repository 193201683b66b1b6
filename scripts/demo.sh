#!/usr/bin/env bash
# make demo: the seed's compute flow (../shared/seeds/compute-flow.txt) through the
# `sluice` CLI against a node started here on embedded defaults, ending in a plot.
#
#   1. Alice publishes a dataset (Branin on a grid, ARFF)   4. Bob gets datatokens
#   2. Alice publishes an algorithm (GPR, scikit-learn)     5. Bob pays and starts a job
#   3. Alice allows the algorithm on the dataset            6. Bob watches it, fetches the
#                                                              result and the log
#
# Knobs for tests: DEMO_OUT (default demo-output), DEMO_GRID (points per axis, 12),
# DEMO_PLOT (1 renders the PNG), DEMO_MAX_MAE (bound on the model's error),
# SLUICE_SCRATCH_PATH (swift build's --scratch-path), DEMO_BACKEND (slurm runs the job on
# the Slurm cluster of the SLUICE_SLURM_* variables that scripts/slurm-test-env.sh prints).
set -euo pipefail
cd "$(dirname "$0")/.."

out=${DEMO_OUT:-demo-output}
grid=${DEMO_GRID:-12}
plot=${DEMO_PLOT:-1}
scratch=${SLUICE_SCRATCH_PATH:-.build}
step() { printf '\n== %s\n' "$*"; }
run() { printf '$ sluice %s\n' "$*"; "$sluice" "$@"; }

step "Runtimes (cached venvs made from /usr/bin/python3)"
runtime=$(scripts/demo-runtimes.sh runtime)
echo "python:3.11 -> $runtime"
if [ "$plot" = 1 ]; then plotenv=$(scripts/demo-runtimes.sh plot); echo "plotting    -> $plotenv"; fi

step "Build"
swift build --scratch-path "$scratch" --product sluice 2>&1 | tail -1
sluice=$(swift build --scratch-path "$scratch" --show-bin-path)/sluice

rm -rf "$out"
mkdir -p "$out/data" "$out/node" "$out/results" "$out/wallets"
out=$(cd "$out" && pwd)
chmod 755 "$out" "$out/data"

step "Data: Branin on a ${grid}x${grid} grid, and the algorithm, in the node's local file root"
"$runtime/bin/python" examples/branin-gpr/make_data.py --grid "$grid" --out "$out/data/branin.arff"
cp examples/branin-gpr/gpr.py "$out/data/gpr.py"
chmod 644 "$out/data/"*

backend=
if [ "${DEMO_BACKEND:-bubblewrap}" = slurm ]; then
  : "${SLUICE_SLURM_REST_URL:?DEMO_BACKEND=slurm needs the SLUICE_SLURM_* variables of scripts/slurm-test-env.sh}"
  backend=", \"backend\": \"slurm\", \"slurm\": {\"restURL\": \"$SLUICE_SLURM_REST_URL\", \"tokenFile\": \"$SLUICE_SLURM_TOKEN_FILE\",
    \"user\": \"$SLUICE_SLURM_USER\", \"partition\": \"${SLUICE_SLURM_PARTITION:-debug}\"}"
fi

cat >"$out/node/sluice.json" <<JSON
{
  "localFileRoots": ["$out/data"],
  "environments": [{
    "id": "free-cpu", "description": "Free CPU environment of the demo",
    "nCPU": 1, "ramGB": 1, "diskGB": 1, "maxJobs": 2, "maxJobDuration": 300,
    "runtimes": {"python:3.11": "$runtime"}$backend
  }]
}
JSON

step "Node: sluice serve on a free port (log in $out/node/node.log)"
"$sluice" serve --config "$out/node/sluice.json" --data-dir "$out/node/data" --port 0 2>"$out/node/node.log" &
node=$!
trap 'kill $node 2>/dev/null || true; wait $node 2>/dev/null || true' EXIT
port=
for _ in $(seq 200); do
  port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$out/node/node.log" | grep -o '[0-9]*$' || true)
  [ -n "$port" ] && break
  kill -0 $node 2>/dev/null || { cat "$out/node/node.log" >&2; exit 1; }
  sleep 0.05
done
[ -n "$port" ] || { echo "the node did not start" >&2; exit 1; }
export SLUICE_NODE=http://127.0.0.1:$port SLUICE_WALLET_DIR=$out/wallets
echo "node at $SLUICE_NODE"
run env list

step "Wallets for Alice and Bob (keystore v3; passwords in files)"
for who in alice bob; do
  (umask 077; head -c 18 /dev/urandom | base64 >"$out/wallets/$who.password")
  run wallet create "$who" --password-file "$out/wallets/$who.password"
done
alice=(--wallet alice --password-file "$out/wallets/alice.password")
bob=(--wallet bob --password-file "$out/wallets/bob.password")
did() { grep -o 'did:op:[0-9a-f]\{64\}' | head -1; }

step "1. Alice publishes the dataset"
text=$(run asset publish-dataset --local "$out/data/branin.arff" --name "Branin dataset" \
  --description "Branin function on a ${grid}x${grid} grid" "${alice[@]}")
echo "$text"
DATA_DID=$(did <<<"$text")

step "2. Alice publishes the algorithm"
text=$(run asset publish-algorithm --local "$out/data/gpr.py" --name "gpr" --license MIT \
  --image python --tag 3.11 --entrypoint 'python $ALGO' "${alice[@]}")
echo "$text"
ALGO_DID=$(did <<<"$text")

step "3. Alice allows the algorithm for C2D on the dataset"
run asset trust "$DATA_DID" "$ALGO_DID" "${alice[@]}"

step "4. Alice mints 5 DATA and 5 ALGO datatokens to Bob"
run token mint "$DATA_DID" --to bob --amount 5 "${alice[@]}"
run token mint "$ALGO_DID" --to bob --amount 5 "${alice[@]}"

step "5. Bob pays for compute on the free environment and starts the job"
text=$(run compute start "$DATA_DID" "$ALGO_DID" "${bob[@]}")
echo "$text"
JOB=$(grep -o 'Started job [^ ]*' <<<"$text" | head -1 | cut -d' ' -f3)
run token balance "$DATA_DID" --holder bob

step "6. Bob watches the job, fetches the result and the algorithm log"
run compute wait "$JOB" "${bob[@]}" --out "$out/results"
run compute logs "$JOB" "${bob[@]}" | tee "$out/results/algorithm.log"

step "7. The output checks' verdict, and the node's signed receipt verified offline"
run compute status "$JOB" "${bob[@]}" --json | sed 1d | /usr/bin/python3 -c '
import json, sys
checks = json.load(sys.stdin).get("outputChecks") or {}
for d in checks.get("decisions", []):
    print("  %-20s %s" % (d["filename"], "released" if d["released"] else d["reason"]))
if not checks.get("decisions"):
    sys.exit("no output checks in the status")
'
NODE_ADDRESS=$(/usr/bin/python3 -c 'import json, os, urllib.request; print(list(json.load(urllib.request.urlopen(os.environ["SLUICE_NODE"] + "/"))["providerAddresses"].values())[0])')
run receipt verify "$out/results/logs/receipt.json" --node-address "$NODE_ADDRESS" --outputs "$out/results"

"$runtime/bin/python" examples/branin-gpr/check_predictions.py "$out/results/predictions.pkl" --max-mae "${DEMO_MAX_MAE:-1000000}"
if [ "$plot" = 1 ]; then
  step "Plot: the true Branin surface beside the model's predictions"
  "$plotenv/bin/python" examples/branin-gpr/plot.py "$out/results/predictions.pkl" "$out/branin-gpr.png"
fi

step "Where everything is"
echo "  model (pickled 15x15 predictions)  $out/results/predictions.pkl"
echo "  algorithm log                      $out/results/algorithm.log"
echo "  signed receipt                     $out/results/logs/receipt.json"
if [ "$plot" = 1 ]; then echo "  plot                               $out/branin-gpr.png"; fi
echo "  wallets                            $out/wallets"
echo "  node data and log                  $out/node"
echo "  dataset   $DATA_DID"
echo "  algorithm $ALGO_DID"
echo "  job       $JOB"
echo "stopping the node"
