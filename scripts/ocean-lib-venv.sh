#!/usr/bin/env bash
# Prints the path of the venv with Ocean's Python client (ocean-lib 3.1.2) that the interop
# and seed-flow tests run in, making it from Debian's python3 on first use (pip on stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-interop
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import ocean_lib, openapi_spec_validator, numpy" 2>/dev/null; then
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv" >&2
  # numpy: the seed's results are pickled numpy arrays.
  "$venv/bin/pip" install -q --disable-pip-version-check "ocean-lib==3.1.2" "openapi-spec-validator==0.9.0" "numpy==2.2.6" >&2
fi
echo "$venv"
