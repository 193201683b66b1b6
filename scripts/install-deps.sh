#!/usr/bin/env bash
# Installs the Debian packages Sluice builds, tests and runs with, only where missing.
# Used by `make test`, `make demo`, `make bench` and CI.
set -euo pipefail

packages=(
  pkg-config          # finds libsecp256k1 for the CSecp256k1 system-library target
  libsecp256k1-dev    # secp256k1 signing and recovery (0.2, with the recovery module)
  liblzma-dev         # xz, for the DDOs Ocean publishes on chain (CLZMA, SluiceEVM)
  libsqlite3-dev      # the embedded store, through GRDB
  bubblewrap          # the local sandbox of the compute engine
  python3             # the Python runtime algorithms run on
  python3-venv        # algorithm runtimes are venvs made from /usr/bin/python3
  curl                # make demo talks to the node
  wrk                 # make bench: HTTP load generator
  util-linux          # setpriv, for the sandbox user
  podman runc debootstrap  # the Docker-API backend's tests run against podman
  postgresql          # the PostgreSQL store's tests run on a throwaway cluster (scripts/postgres-test-env.sh)
  # The Slurm backend's tests run against a single-node Slurm (scripts/slurm-test-env.sh).
  slurmctld slurmd slurmrestd slurm-client munge slurm-wlm-jwt-plugin jq
  chromium            # the dashboard's pages are tested in headless Chromium (scripts/dashboard-test.sh)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
