"""Interop test: Ocean's own Python client (ocean-lib 3.1.2) against a real `sluice serve`.

Assets, datatokens and orders are made through Sluice's own API (/api/sluice); every
provider call goes through ocean-lib's DataServiceProvider. Asserts on result bytes and
log contents. Usage: ocean_lib_interop.py <path to sluice> <work directory>
"""
import json
import os
import subprocess
import sys
import time
from decimal import Decimal

# ocean-lib's enforce_typing crashes on typing.Any under Python 3.11: disable it first.
import enforce_typing

enforce_typing.enforce_types = lambda f: f

import requests  # noqa: E402
from eth_account import Account  # noqa: E402
from eth_utils import keccak  # noqa: E402
from ocean_lib.assets.ddo import DDO  # noqa: E402
from ocean_lib.data_provider.data_service_provider import DataServiceProvider as DSP  # noqa: E402
from ocean_lib.data_provider.base import DataProviderException  # noqa: E402
from ocean_lib.models.compute_input import ComputeInput  # noqa: E402
from ocean_lib.structures.algorithm_metadata import AlgorithmMetadata  # noqa: E402
from ocean_lib.web3_internal.utils import sign_with_key  # noqa: E402
from openapi_spec_validator import validate  # noqa: E402
from sluice_node import CHECKS, check, free_port, serve  # noqa: E402

SLUICE, WORK = sys.argv[1], os.path.abspath(sys.argv[2])
CHAIN = 8996

ALGORITHM = """import json, os
dids = json.loads(os.environ["DIDS"])
rows = [l.split(",") for l in open("/data/inputs/" + dids[0] + "/0").read().splitlines()[1:]]
custom = json.load(open("/data/inputs/algoCustomData.json")) if os.path.exists("/data/inputs/algoCustomData.json") else {}
result = {"rows": len(rows), "sum": sum(int(r[1]) for r in rows), "custom": custom}
open("/data/outputs/result.json", "w").write(json.dumps(result, sort_keys=True))
print("interop algorithm finished with", len(rows), "rows")
"""
DATA = "x,y\n1,10\n2,20\n3,30\n4,40\n"






def start_node():
    os.makedirs(f"{WORK}/published", exist_ok=True)
    runtime = f"{WORK}/runtime"
    if not os.path.exists(f"{runtime}/bin/python3"):
        subprocess.run(["/usr/bin/python3", "-m", "venv", "--without-pip", runtime], check=True)
    with open(f"{WORK}/published/data.csv", "w") as f:
        f.write(DATA)
    with open(f"{WORK}/published/algorithm.py", "w") as f:
        f.write(ALGORITHM)
    port = free_port()
    config = {
        "port": port, "chainId": CHAIN, "dataDir": f"{WORK}/data", "localFileRoots": [f"{WORK}/published"],
        "environments": [{"id": "free-cpu", "nCPU": 1, "ramGB": 0.5, "diskGB": 0.1, "maxJobs": 2, "maxJobDuration": 120,
                          "runtimes": {"python:3.11": runtime}}],
    }
    with open(f"{WORK}/sluice.json", "w") as f:
        json.dump(config, f)
    return serve([SLUICE, "serve", "--config", f"{WORK}/sluice.json"], port, f"{WORK}/node.log")


class Sluice:
    """Sluice's own signed API, for what Ocean keeps on chain."""

    def __init__(self, url):
        self.url = url

    def nonce(self, account):
        return int(requests.get(self.url + "/api/services/nonce", params={"userAddress": account.address}).json()["nonce"]) + 1

    def write(self, method, path, account, action, payload):
        text = json.dumps(dict(payload, action=action), separators=(",", ":"), sort_keys=True)
        nonce = self.nonce(account)
        # The provider scheme, signed with ocean-lib's own signer: personal-sign over keccak(message + nonce).
        message = account.address + keccak(text=text).hex().removeprefix("0x") + str(nonce)
        signature = str(sign_with_key(message, account.key.hex()))
        body = {"address": account.address, "nonce": nonce, "signature": signature, "payload": text}
        response = requests.request(method, self.url + path, json=body)
        assert response.status_code in (200, 201), f"{path}: {response.status_code} {response.text}"
        return response.json()

    def encrypt(self, files):
        response = requests.post(self.url + "/api/services/encrypt", params={"chainId": CHAIN}, data=json.dumps(files).encode(),
                                 headers={"Content-Type": "application/octet-stream"})
        assert response.status_code == 201, response.text
        return response.text

    def publish(self, account, draft):
        return self.write("POST", "/api/sluice/assets", account, "publish", draft)


def main():
    os.makedirs(WORK, exist_ok=True)
    node, url = start_node()
    try:
        run(url)
    finally:
        node.terminate()
        node.wait(timeout=20)
    print(f"{CHECKS['passed']} passed, 0 failed")


def run(url):
    sluice = Sluice(url)
    alice, bob = Account.create(), Account.create()

    print("OpenAPI document")
    validate(requests.get(url + "/openapi.json").json())
    check(True, "/openapi.json is a valid OpenAPI 3.1 document")

    print("1-4: Alice publishes, trusts and mints through Sluice's API")
    data_files = sluice.encrypt([{"type": "local", "path": f"{WORK}/published/data.csv"}])
    algo_files = sluice.encrypt([{"type": "local", "path": f"{WORK}/published/algorithm.py"}])
    dataset = sluice.publish(alice, {
        "metadata": {"type": "dataset", "name": "interop data", "author": "Alice", "license": "CC0"},
        "services": [{"id": "compute", "type": "compute", "files": data_files, "timeout": 3600,
                      "compute": {"allowRawAlgorithm": True}}]})
    algorithm = sluice.publish(alice, {
        "metadata": {"type": "algorithm", "name": "sum", "author": "Alice", "license": "MIT",
                     "algorithm": {"language": "python", "version": "1",
                                   "container": {"entrypoint": "python $ALGO", "image": "python", "tag": "3.11",
                                                 "checksum": "sha256:" + "ab" * 32}}},
        "services": [{"id": "0", "type": "access", "files": algo_files, "timeout": 0}]})
    sluice.write("POST", f"/api/sluice/assets/{dataset['id']}/trust", alice, "trust",
                 {"serviceId": "compute", "algorithmDid": algorithm["id"]})
    for ddo in (dataset, algorithm):
        sluice.write("POST", f"/api/sluice/tokens/{ddo['services'][0]['datatokenAddress']}/mint", alice, "mint",
                     {"to": bob.address, "amount": str(10 * 10**18)})

    data_ddo = DDO.from_dict(requests.get(f"{url}/api/aquarius/assets/ddo/{dataset['id']}").json())
    algo_ddo = DDO.from_dict(requests.get(f"{url}/api/aquarius/assets/ddo/{algorithm['id']}").json())
    compute_service, algo_service = data_ddo.services[0], algo_ddo.services[0]
    check(compute_service.service_endpoint == url, "the DDO's service endpoint is the node")
    check(len(compute_service.compute_values["publisherTrustedAlgorithms"]) == 1, "the algorithm is trusted")

    print("5: Bob pays for compute on the free environment")
    envs = DSP.get_c2d_environments(compute_service.service_endpoint, CHAIN)
    free = next(e for e in envs if float(e["priceMin"]) == 0)
    check(free["id"] == "free-cpu", "get_c2d_environments lists the free environment")

    def pay(with_algorithm=True):
        inputs = [ComputeInput(data_ddo, compute_service)]
        algo_input = ComputeInput(algo_ddo, algo_service) if with_algorithm else AlgorithmMetadata({"rawcode": "x", "container": {}})
        valid_until = int(time.time()) + 3600
        response = DSP.initialize_compute([i.as_dictionary() for i in inputs], algo_input.as_dictionary(),
                                          compute_service.service_endpoint, free["consumerAddress"], free["id"], valid_until)
        answer = response.json()
        items = [(inputs[0], answer["datasets"][0], 0)]
        if with_algorithm:
            items.append((algo_input, answer["algorithm"], 0))
        for compute_input, item, index in items:
            check("providerFee" in item and item["providerFee"]["providerFeeAmount"] == "0", "initialize_compute gives a zero fee")
            order = sluice.write("POST", "/api/sluice/orders", bob, "startOrder", {
                "datatoken": item["datatoken"], "consumer": free["consumerAddress"], "serviceIndex": index,
                "providerFee": item["providerFee"]})
            compute_input.transfer_tx_id = order["transactionId"]
        return inputs[0], (algo_input if with_algorithm else None)

    def wait(job_id):
        for _ in range(600):
            status = DSP.compute_job_status(data_ddo.did, job_id, compute_service, bob)
            if status.get("dateFinished") and Decimal(status["dateFinished"]) > 0:
                return status
            time.sleep(0.1)
        raise AssertionError(f"job {job_id} did not finish")

    data_input, algo_input = pay()
    job = DSP.start_compute_job(compute_service, bob, data_input, free["id"], algo_input,
                                algorithm_custom_data=json.dumps({"factor": 7}))
    job_id = job["jobId"]
    check(job["status"] == 1, "start_compute_job with a published algorithm")
    status = wait(job_id)
    check(status["status"] == 70 and status["statusText"] == "Job finished", f"compute_job_status until finished: {status}")
    expected = json.dumps({"custom": {"factor": 7}, "rows": 4, "sum": 100}, sort_keys=True).encode()
    result = DSP.compute_job_result(job_id, 0, compute_service, bob)
    check(result == expected, f"compute_job_result returns the algorithm's bytes: {result!r}")
    outputs = DSP.compute_job_result_logs(data_ddo, job_id, compute_service, bob)
    check(outputs == [expected], "compute_job_result_logs returns the output")
    logs = DSP.compute_job_result_logs(data_ddo, job_id, compute_service, bob, log_type="algorithmLog")
    check(len(logs) == 1 and b"interop algorithm finished with 4 rows" in logs[0], "the algorithm log holds what it printed")

    print("Raw AlgorithmMetadata")
    data_input, _ = pay(with_algorithm=False)
    raw = AlgorithmMetadata({"rawcode": "open('/data/outputs/raw.txt', 'w').write('raw via ocean-lib')", "language": "python",
                             "version": "1", "container": {"entrypoint": "python $ALGO", "image": "python", "tag": "3.11",
                                                           "checksum": "sha256:" + "cd" * 32}})
    job = DSP.start_compute_job(compute_service, bob, data_input, free["id"], algorithm_meta=raw)
    status = wait(job["jobId"])
    check(status["algoDID"] == "raw" and status["status"] == 70, f"start_compute_job with raw AlgorithmMetadata: {status}")
    check(DSP.compute_job_result(job["jobId"], 0, compute_service, bob) == b"raw via ocean-lib", "the raw algorithm's result bytes")

    print("Stop and delete a long job")
    data_input, _ = pay(with_algorithm=False)
    long = AlgorithmMetadata({"rawcode": "import time\nprint('long job up', flush=True)\ntime.sleep(120)", "language": "python",
                              "version": "1", "container": {"entrypoint": "python $ALGO", "image": "python", "tag": "3.11",
                                                            "checksum": "sha256:" + "ef" * 32}})
    job = DSP.start_compute_job(compute_service, bob, data_input, free["id"], algorithm_meta=long)
    for _ in range(300):
        if DSP.compute_job_status(data_ddo.did, job["jobId"], compute_service, bob)["status"] == 40:
            break
        time.sleep(0.1)
    stopped = DSP.stop_compute_job(data_ddo.did, job["jobId"], compute_service, bob)
    check(stopped["status"] == 7 and Decimal(stopped["dateFinished"]) > 0, "stop_compute_job ends the job as 7")
    deleted = DSP.delete_compute_job(data_ddo.did, job["jobId"], compute_service, bob)
    check(deleted["status"] == 8, "delete_compute_job answers 8")
    try:
        DSP.compute_job_status(data_ddo.did, job["jobId"], compute_service, bob)
        raise AssertionError("a deleted job is still found")
    except DataProviderException:
        check(True, "a deleted job is gone")


if __name__ == "__main__":
    main()
