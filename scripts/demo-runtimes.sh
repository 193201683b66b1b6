#!/usr/bin/env bash
# Prints the path of a cached venv, creating it on first use (progress on stderr):
#   scripts/demo-runtimes.sh runtime   # the sandbox's python:3.11 runtime: scikit-learn, liac-arff
#   scripts/demo-runtimes.sh plot      # the host's plotting venv: matplotlib
# Both are made from Debian's /usr/bin/python3 (a runtime must not link outside /usr, which
# the sandbox mounts) and kept in $SLUICE_CACHE (default /var/cache/sluice as root, else
# ~/.cache/sluice), outside the repository, so later runs skip pip.
set -euo pipefail

if [ -n "${SLUICE_CACHE:-}" ]; then cache=$SLUICE_CACHE
elif [ "$(id -u)" -eq 0 ]; then cache=/var/cache/sluice
else cache=${XDG_CACHE_HOME:-$HOME/.cache}/sluice
fi

case "${1:-}" in
  runtime) venv=$cache/runtime-python3; packages=("scikit-learn==1.6.1" "liac-arff==2.5.0"); probe="import sklearn, arff" ;;
  plot) venv=$cache/plot-venv; packages=("matplotlib==3.10.1"); probe="import matplotlib" ;;
  *) echo "usage: $0 runtime|plot" >&2; exit 2 ;;
esac

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "$probe" 2>/dev/null; then
  echo "making $venv (pip install ${packages[*]}; once)" >&2
  rm -rf "$venv"
  mkdir -p "$cache"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "${packages[@]}" >&2
  # The sandbox runs algorithms as nobody: the runtime must be readable by all.
  chmod -R a+rX "$venv"
  chmod a+rx "$cache"
fi
echo "$venv"
