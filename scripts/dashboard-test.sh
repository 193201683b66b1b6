#!/usr/bin/env bash
# The operator's view in a real browser: Tests/Dashboard/dashboard_browser.py starts
# `sluice serve --log-format json` with an operator token, runs real jobs through the CLI,
# loads every dashboard page in Debian's headless Chromium (DevTools protocol, JavaScript
# off), checks /metrics with prometheus_client's parser and the JSON log line by line.
# The venv (pinned, from PyPI) is cached in $SLUICE_TEST_CACHE. The screenshot of the jobs
# page goes to $SLUICE_DASHBOARD_SCREENSHOT (default: a temporary file; the README's is
# docs/dashboard-jobs.png, made with SLUICE_DASHBOARD_SCREENSHOT=docs/dashboard-jobs.png).
set -euo pipefail
cd "$(dirname "$0")/.."

cache=${SLUICE_TEST_CACHE:-/var/cache/sluice-test}
venv=$cache/dashboard-test-2
command -v chromium >/dev/null || { echo "dashboard-test: chromium is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }

# The marker comes last, so a failed install is never taken for a good one.
if [ ! -f "$venv/.installed" ]; then
  rm -rf "$venv"
  mkdir -p "$cache"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "prometheus-client==0.21.1" "websocket-client==1.8.0" "requests==2.32.3"
  touch "$venv/.installed"
fi

# The sandbox's python:3.11: a venv without pip from Debian's python3, readable by the sandbox user.
runtime=$cache/dashboard-runtime-python3
if [ ! -x "$runtime/bin/python3" ]; then
  /usr/bin/python3 -m venv --without-pip "$runtime"
  chmod -R a+rX "$runtime"
  chmod a+rx "$cache"
fi

swift build --product sluice >/dev/null
sluice="$(swift build --show-bin-path)/sluice"
shot=${SLUICE_DASHBOARD_SCREENSHOT:-}
tmp=
if [ -z "$shot" ]; then tmp=$(mktemp -d); shot=$tmp/dashboard-jobs.png; fi
trap 'if [ -n "$tmp" ]; then rm -rf "$tmp"; fi' EXIT
"$venv/bin/python" Tests/Dashboard/dashboard_browser.py "$sluice" "$runtime" "$shot"
