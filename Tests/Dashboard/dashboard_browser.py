"""The operator's view of a node that ran real jobs, in headless Chromium.

Starts `sluice serve --log-format json` with an operator token, runs jobs through the
`sluice` CLI (one that finishes, one that fails, two slow ones on a one-slot environment so
one runs while the other queues), then loads every dashboard page in Chromium through its
DevTools protocol with JavaScript disabled and checks what each shows; takes a screenshot
of the jobs page; parses /metrics with prometheus_client's parser and checks the counters
against the work done; and parses the node's log line by line.

Usage: dashboard_browser.py SLUICE_BINARY PYTHON_RUNTIME SCREENSHOT_PATH
"""
import base64
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import websocket
from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Interop"))
from sluice_node import CHECKS, check, free_port  # noqa: E402 - the interop scripts' shared checks

TOKEN = "op-" + base64.b32encode(os.urandom(15)).decode().lower()


def http(url, headers=None, data=None, method=None):
    """(status, headers, body text) without raising on 4xx."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class Chromium:
    """One headless Chromium page driven over the DevTools protocol."""

    def __init__(self, profile, tz):
        self.profile = profile
        env = dict(os.environ, TZ=tz)
        self.process = subprocess.Popen(
            [shutil.which("chromium") or "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-extensions", "--disable-background-networking", "--window-size=1400,1000",
             "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        port_file = os.path.join(profile, "DevToolsActivePort")
        for _ in range(300):
            if os.path.exists(port_file) and open(port_file).read().count("\n") >= 1:
                break
            time.sleep(0.1)
        port = int(open(port_file).read().split("\n")[0])
        targets = []
        for _ in range(100):
            targets = [t for t in json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list").read()) if t["type"] == "page"]
            if targets:
                break
            time.sleep(0.1)
        self.ws = websocket.create_connection(targets[0]["webSocketDebuggerUrl"], timeout=30)
        self.next_id = 0
        self.events = []
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("DOM.enable")

    def call(self, method, **params):
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_event(self, name, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == name:
                    return self.events.pop(i)
            self.ws.settimeout(max(0.1, deadline - time.time()))
            self.events.append(json.loads(self.ws.recv()))
        raise TimeoutError(name)

    def scripts(self, enabled):
        self.call("Emulation.setScriptExecutionDisabled", value=not enabled)

    def headers(self, headers):
        self.call("Network.setExtraHTTPHeaders", headers=headers)

    def load(self, url):
        """Navigates, waits for the load event, returns (HTTP status, the DOM as HTML)."""
        self.events = [e for e in self.events if e.get("method") not in ("Page.loadEventFired", "Network.responseReceived")]
        frame = self.call("Page.navigate", url=url)
        self.wait_event("Page.loadEventFired")
        status = None
        for event in self.events:
            if event.get("method") == "Network.responseReceived" and event["params"]["type"] == "Document":
                status = event["params"]["response"]["status"]
        root = self.call("DOM.getDocument", depth=-1)["root"]["nodeId"]
        return status, self.call("DOM.getOuterHTML", nodeId=root)["outerHTML"]

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.terminate()
            self.process.wait(timeout=10)


def scrape(text):
    """{(sample name, sorted labels): value} from Prometheus' text format."""
    samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def cell(page, pattern):
    found = re.search(pattern, page, re.S)
    return html.unescape(found.group(1)) if found else None


def main():
    sluice, runtime, screenshot = sys.argv[1], sys.argv[2], sys.argv[3]
    work = tempfile.mkdtemp(prefix="sluice-dashboard-")
    os.chmod(work, 0o755)
    data = os.path.join(work, "data")
    os.makedirs(data)
    os.chmod(data, 0o755)
    files = {
        "table.csv": "x,y\n1,2\n3,4\n5,6\n",
        "count.py": "import json, os\n"
                    "dids = json.loads(os.environ['DIDS'])\n"
                    "rows = open('/data/inputs/' + dids[0] + '/0').read().splitlines()\n"
                    "print('counted %d rows' % len(rows))\n"
                    "open('/data/outputs/count.txt', 'w').write('rows=%d\\n' % len(rows))\n",
        "fail.py": "import sys\nprint('about to fail on purpose')\nsys.exit(3)\n",
        "slow.py": "import time\nprint('tick 1', flush=True)\ntime.sleep(40)\nprint('tick 2', flush=True)\n",
    }
    for name, text in files.items():
        with open(os.path.join(data, name), "w") as f:
            f.write(text)
        os.chmod(os.path.join(data, name), 0o644)
    token_file = os.path.join(work, "operator.token")
    with open(token_file, "w") as f:
        f.write(TOKEN + "\n")
    os.chmod(token_file, 0o600)
    port = free_port()
    env_common = {"nCPU": 1, "ramGB": 0.5, "diskGB": 0.2, "maxJobDuration": 120, "runtimes": {"python:3.11": runtime}}
    config = {
        "port": port, "dataDir": os.path.join(work, "node"), "localFileRoots": [data], "operatorTokenFile": token_file,
        "environments": [dict(env_common, id="free-cpu", description="Free CPU for quick jobs", maxJobs=2),
                         dict(env_common, id="slow-cpu", description="One slot, for the queue", maxJobs=1, maxQueuedJobs=5)],
    }
    with open(os.path.join(work, "sluice.json"), "w") as f:
        json.dump(config, f)
    node_log_path = os.path.join(work, "node.log")
    node_log = open(node_log_path, "w")
    node = subprocess.Popen([sluice, "serve", "--config", os.path.join(work, "sluice.json"), "--log-format", "json"],
                            stdout=node_log, stderr=node_log)
    base = f"http://127.0.0.1:{port}"
    browser = None
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/")
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        env = dict(os.environ, SLUICE_NODE=base, SLUICE_WALLET_DIR=os.path.join(work, "wallets"))

        def cli(*args):
            result = subprocess.run([sluice, *args], env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise RuntimeError(f"sluice {' '.join(args)}: {result.stderr}")
            return result.stdout + result.stderr

        def did(text):
            return re.search(r"did:op:[0-9a-f]{64}", text).group(0)

        print("== jobs through the CLI", flush=True)
        for who in ("alice", "bob"):
            with open(os.path.join(work, who + ".password"), "w") as f:
                f.write(who + "-password\n")
            cli("wallet", "create", who, "--password-file", os.path.join(work, who + ".password"))
        alice = ["--wallet", "alice", "--password-file", os.path.join(work, "alice.password")]
        bob = ["--wallet", "bob", "--password-file", os.path.join(work, "bob.password")]
        bob_address = cli("wallet", "address", "bob").strip().split()[-1]
        dataset = did(cli("asset", "publish-dataset", "--local", os.path.join(data, "table.csv"), "--name", "Sales table <b>", *alice))
        algorithms = {}
        for name in ("count", "fail", "slow"):
            algorithms[name] = did(cli("asset", "publish-algorithm", "--local", os.path.join(data, name + ".py"), "--name", name,
                                       "--image", "python", "--tag", "3.11", "--entrypoint", "python $ALGO", *alice))
            cli("asset", "trust", dataset, algorithms[name], *alice)
            cli("token", "mint", algorithms[name], "--to", "bob", "--amount", "10", *alice)
        cli("token", "mint", dataset, "--to", "bob", "--amount", "10", *alice)

        def start(algorithm, environment, wait, succeeds=True):
            arguments = ["compute", "start", dataset, algorithms[algorithm], "--env", environment, *bob, *(["--wait"] if wait else [])]
            result = subprocess.run([sluice, *arguments], env=env, capture_output=True, text=True)
            # --wait exits non-zero for a job that fails, as it should.
            if (result.returncode == 0) != succeeds:
                raise RuntimeError(f"sluice {' '.join(arguments)}: exit {result.returncode}: {result.stderr}")
            return re.search(r"Started job ([0-9a-f]+) on", result.stdout + result.stderr).group(1)

        finished = start("count", "free-cpu", True)
        failed_job = start("fail", "free-cpu", True, succeeds=False)
        slow_running = start("slow", "slow-cpu", False)
        slow_queued = start("slow", "slow-cpu", False)
        for _ in range(200):  # until the running one has printed its first line
            status, _, page = http(base + f"/dashboard/jobs/{slow_running}", {"Authorization": "Bearer " + TOKEN})
            if "tick 1" in page:
                break
            time.sleep(0.2)

        print("== the token", flush=True)
        check(http(base + "/dashboard")[0] == 401, "no token: 401")
        check(http(base + "/dashboard", {"Authorization": "Bearer wrong"})[0] == 401, "a wrong token: 401")
        check(http(base + "/dashboard", {"Authorization": "Bearer " + TOKEN})[0] == 200, "the right token: 200")
        check(http(base + "/metrics")[0] == 401, "/metrics without the token: 401")

        print("== every page in Chromium, JavaScript disabled", flush=True)
        # What the browser's loads add to the request counters is measured from here.
        baseline = http(base + "/metrics", {"Authorization": "Bearer " + TOKEN})[2]
        browser = Chromium(os.path.join(work, "chromium"), "Asia/Tokyo")
        browser.scripts(False)
        status, page = browser.load(base + "/dashboard")
        check(status == 401 and 'action="/dashboard/login"' in page, "without the token the browser gets the login form")
        browser.headers({"Authorization": "Bearer " + TOKEN})
        loads = {"/dashboard": 0, "/dashboard/jobs": 0, "/dashboard/jobs/{jobId}": 0, "/dashboard/assets": 0}

        status, page = browser.load(base + "/dashboard")
        loads["/dashboard"] += 1
        check(status == 200, "overview: 200")
        slow_row = cell(page, r'<tr data-environment="slow-cpu">(.*?)</tr>')
        check(slow_row is not None, "overview lists slow-cpu")
        check(re.search(r'data-count="running">1<', slow_row) and re.search(r'data-count="queued">1<', slow_row),
              "slow-cpu: 1 running, 1 queued")
        free_row = cell(page, r'<tr data-environment="free-cpu">(.*?)</tr>')
        check(re.search(r'data-count="running">0<', free_row) and ">2<" in free_row, "free-cpu: 0 running, max 2 jobs")
        check(re.search(r'id="next-expiry"><a class="mono" href="/dashboard/jobs/', page), "the disk section names the next expiry")
        check(re.search(r'<time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</time>', page),
              "times read UTC without JavaScript")

        status, page = browser.load(base + "/dashboard/jobs")
        loads["/dashboard/jobs"] += 1
        check(status == 200, "jobs: 200")
        for job in (finished, slow_running, slow_queued):
            check(f'data-job="{job}"' in page, f"jobs lists {job[:8]}")
        browser.screenshot(screenshot)
        check(os.path.getsize(screenshot) > 10000, f"screenshot of the jobs page: {screenshot}")

        status, page = browser.load(base + "/dashboard/jobs?status=70")
        loads["/dashboard/jobs"] += 1
        check(re.findall(r'data-job="([^"]+)"', page) == [finished], "status filter 70: the finished job only")
        status, page = browser.load(base + f"/dashboard/jobs?owner={bob_address}&dataset={dataset}")
        loads["/dashboard/jobs"] += 1
        check(len(re.findall(r'data-job="', page)) == 4, "owner and dataset filters: Bob's 4 jobs")
        status, page = browser.load(base + "/dashboard/jobs?owner=0x0000000000000000000000000000000000000001")
        loads["/dashboard/jobs"] += 1
        check("No job matches." in page, "another owner: none")
        today = time.strftime("%Y-%m-%d", time.gmtime())
        status, page = browser.load(base + f"/dashboard/jobs?from={today}&until={today}")
        loads["/dashboard/jobs"] += 1
        check(len(re.findall(r'data-job="', page)) == 4, "time filter (today, UTC): all 4")
        status, page = browser.load(base + "/dashboard/jobs?until=2000-01-01")
        loads["/dashboard/jobs"] += 1
        check("No job matches." in page, "time filter (until 2000): none")

        status, page = browser.load(base + f"/dashboard/jobs/{finished}")
        loads["/dashboard/jobs/{jobId}"] += 1
        check(status == 200, "a finished job's page: 200")
        timeline = re.findall(r'<tr data-status="(\d+)">', page)
        check(timeline == ["1", "10", "20", "30", "40", "50", "60", "70"], f"its timeline: {timeline}")
        check(cell(page, r'id="termination-reason">(.*?)</dd>') == "completed", "termination reason: completed")
        check("counted 4 rows" in cell(page, r'<pre id="algorithm-log">(.*?)</pre>'), "its algorithm.log")
        check(re.search(r'<td class="mono">count.txt</td><td>output</td><td class="num" data-bytes="7">7 B</td>', page),
              "its results with sizes")
        check(re.search(r'<td class="mono">receipt.json</td><td>receipt</td>', page), "its receipt among the results")
        receipt = json.loads(cell(page, r'<pre id="receipt">(.*?)</pre>'))
        check(finished in json.dumps(receipt), "its receipt, signed, names the job")
        check("http-equiv=\"refresh\"" not in page, "a finished job's page does not reload")
        check(re.search(r'id="output-checks"', page) and "released" in page, "its output-check decisions")
        check(re.search(r"<dt>Ran for</dt><dd>\d+\.\d s</dd>", page), "resources: how long it ran")

        status, page = browser.load(base + "/dashboard/jobs?status=41")
        loads["/dashboard/jobs"] += 1
        check(re.findall(r'data-job="([^"]+)"', page) == [failed_job], "status filter 41: the failed job only")
        status, page = browser.load(base + f"/dashboard/jobs/{failed_job}")
        loads["/dashboard/jobs/{jobId}"] += 1
        check(cell(page, r'id="termination-reason">(.*?)</dd>') == "algorithmFailed", "failed job: algorithmFailed")
        check("about to fail on purpose" in page and "<dt>Exit code</dt><dd>3</dd>" in page, "failed job: its log and exit code")

        status, page = browser.load(base + f"/dashboard/jobs/{slow_running}")
        loads["/dashboard/jobs/{jobId}"] += 1
        check(cell(page, r'id="status">(.*?)</span>') == "Running algorithm", "the slow job is running")
        check("tick 1" in cell(page, r'<pre id="algorithm-log">(.*?)</pre>'), "its log, live, while it runs")
        check('http-equiv="refresh" content="3"' in page, "a running job's page reloads by itself (no JavaScript)")
        status, page = browser.load(base + f"/dashboard/jobs/{slow_queued}")
        loads["/dashboard/jobs/{jobId}"] += 1
        check(cell(page, r'id="status">(.*?)</span>') == "Warming up", "the queued job waits")

        status, page = browser.load(base + "/dashboard/assets")
        loads["/dashboard/assets"] += 1
        check(status == 200, "assets: 200")
        row = cell(page, rf'<tr data-did="{dataset}">(.*?)</tr>')
        raw = re.search(rf'<tr data-did="{dataset}">(.*?)</tr>', page, re.S)
        check(row is not None and "<td>Sales table &lt;b&gt;</td>" in raw.group(1), "the dataset, its name escaped")
        for name, algorithm in algorithms.items():
            check(f'<span class="mono">{algorithm}</span> ({name})' in row, f"trusted on it: {name}")

        print("== with JavaScript: times in the viewer's zone (TZ=Asia/Tokyo)", flush=True)
        browser.scripts(True)
        status, page = browser.load(base + "/dashboard/jobs")
        loads["/dashboard/jobs"] += 1
        times = re.findall(r"<time [^>]*>(.*?)</time>", page)
        check(times and not any(t.endswith("UTC") for t in times), f"times rewritten locally: {times[0]}")

        print("== /metrics through prometheus_client's parser", flush=True)
        status, headers, text = http(base + "/metrics", {"Authorization": "Bearer " + TOKEN})
        check(status == 200 and headers["Content-Type"].startswith("text/plain; version=0.0.4"), "/metrics with the token: 200")
        samples = scrape(text)
        before = scrape(baseline)

        def value(name, **labels):
            return samples.get((name, tuple(sorted(labels.items()))))

        check(value("sluice_jobs_started_total", environment="free-cpu") == 2, "2 jobs started on free-cpu")
        check(value("sluice_jobs_started_total", environment="slow-cpu") == 1, "1 job started on slow-cpu (the other waits)")
        check(value("sluice_jobs_ended_total", environment="free-cpu", status="jobFinished") == 1, "1 finished")
        check(value("sluice_jobs_ended_total", environment="free-cpu", status="algorithmFailed") == 1, "1 failed")
        check(value("sluice_running_jobs", environment="slow-cpu") == 1 and value("sluice_queued_jobs", environment="slow-cpu") == 1,
              "slow-cpu gauges: 1 running, 1 queued")
        check(value("sluice_job_duration_seconds_count", environment="free-cpu") == 2, "2 durations recorded")
        check(value("sluice_job_queue_wait_seconds_count", environment="slow-cpu") == 1, "1 queue wait on slow-cpu")
        for route, count in loads.items():
            key = ("sluice_http_requests_total", tuple(sorted({"route": route, "method": "GET", "status": "200"}.items())))
            check(samples.get(key, 0) - before.get(key, 0) == count, f"the browser's GET {route} 200 counted {count} times")
        key = ("sluice_http_requests_total", tuple(sorted({"route": "/dashboard", "method": "GET", "status": "401"}.items())))
        check(samples.get(key, 0) - before.get(key, 0) == 1, "its one load without the token counted as 401")
        check(value("sluice_http_requests_total", route="/api/services/compute", method="POST", status="201") == 4, "4 compute starts")
        check(value("sluice_signature_checks_total", result="refused") is None, "no signature refused")
        check((value("sluice_fetch_bytes_total") or 0) >= 4 * len(files["table.csv"]), "fetch bytes counted")
        check((value("sluice_disk_used_bytes", kind="workspaces") or 0) > 0, "disk used")

        print("== the JSON log", flush=True)
        status, headers, _ = http(base + "/dashboard", {"Authorization": "Bearer " + TOKEN})
        request_id = headers["X-Request-Id"]
        time.sleep(0.3)
        lines = [line for line in open(node_log_path).read().split("\n") if line]
        objects = [json.loads(line) for line in lines]
        check(len(objects) > 20 and all({"time", "level", "label", "message"} <= set(o) for o in objects),
              f"all {len(objects)} lines parse as objects")
        mine = [o for o in objects if o.get("requestId") == request_id]
        check(len(mine) == 1 and mine[0]["message"].startswith("GET /dashboard 200"), "a request's line carries its X-Request-Id")
        check(any(o.get("message") == "job finished" and o.get("jobId") == finished for o in objects), "the engine's lines carry jobId")
        check(any(o.get("jobId") == finished and "requestId" in o and o["message"].startswith("GET /api/services/compute")
                  for o in objects), "a status request's line carries both ids")
        log_text = open(node_log_path).read()
        node_key = open(os.path.join(work, "node", "node.key")).read().strip()
        check(TOKEN not in log_text and node_key not in log_text and "signature=" not in log_text, "no token, key or signature in the log")
    finally:
        if browser:
            browser.close()
        node.terminate()
        node.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"dashboard: {CHECKS['passed']} passed, 0 failed")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001 - the test's one verdict line
        print(f"FAILED: {error}", file=sys.stderr)
        print(f"dashboard: {CHECKS['passed']} passed, 1 failed")
        sys.exit(1)
