"""What the Python interop scripts share: checks that count, and a `sluice serve` process."""
import socket
import subprocess
import time

import requests

CHECKS = {"passed": 0}


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    CHECKS["passed"] += 1
    print(f"  ok: {what}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(arguments, port, log_path):
    """Starts `sluice serve` with `arguments` and waits until it answers on `port`."""
    log = open(log_path, "w")
    node = subprocess.Popen(arguments, stderr=log, stdout=log)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if requests.get(url + "/").status_code == 200:
                return node, url
        except requests.exceptions.ConnectionError:
            time.sleep(0.05)
    node.kill()
    raise RuntimeError(f"sluice serve did not start; see {log_path}")
