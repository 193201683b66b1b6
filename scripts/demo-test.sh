#!/usr/bin/env bash
# The end-to-end test of the demo flow: scripts/demo.sh through the CLI on a 10x10 grid,
# without the plot, then the unpickled predictions checked against the Branin function:
# the GPR's mean absolute error over the seed's 15x15 grid must be at most 5 (Branin
# spans about 0.4 to 300 there). Needs the network once, for the runtime venv's pip.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
DEMO_OUT=$work/demo DEMO_GRID=10 DEMO_PLOT=0 DEMO_MAX_MAE=5 scripts/demo.sh >"$work/demo.log" 2>&1 || {
  cat "$work/demo.log" >&2
  echo "demo-test: FAILED" >&2
  exit 1
}
grep "mean absolute error" "$work/demo.log"
grep -q "predictions.pkl *released" "$work/demo.log" || { cat "$work/demo.log" >&2; echo "demo-test: the checks' verdict is missing" >&2; exit 1; }
grep -A3 "receipt verify" "$work/demo.log"
passed=1

# The same flow with the job on Slurm (issue 16), when make test started the harness.
if [ -n "${SLUICE_SLURM_REST_URL:-}" ]; then
  DEMO_BACKEND=slurm DEMO_OUT=$work/demo-slurm DEMO_GRID=10 DEMO_PLOT=0 DEMO_MAX_MAE=5 scripts/demo.sh >"$work/demo-slurm.log" 2>&1 || {
    cat "$work/demo-slurm.log" >&2
    echo "demo-test (slurm): FAILED" >&2
    exit 1
  }
  # The job was Slurm's: its configure log (downloaded with the results) says where it ran
  # and how Slurm ended it. (`compute wait` shows the Slurm job only if it looks before the end.)
  grep -q "slurm: job [0-9]* ended COMPLETED" "$work/demo-slurm/results/logs/configure.log" || {
    cat "$work/demo-slurm/results/logs/configure.log" >&2
    echo "demo-test (slurm): the job did not run through Slurm" >&2
    exit 1
  }
  grep "mean absolute error" "$work/demo-slurm.log"
  passed=2
elif [ -n "${CI:-}" ]; then
  echo "demo-test: CI is set but SLUICE_SLURM_REST_URL is not; scripts/test.sh must start scripts/slurm-test-env.sh" >&2
  exit 1
fi
echo "demo-test: $passed passed, 0 failed"
