"""The seed's compute flow, with Ocean's own Python client (ocean-lib 3.1.2), against
`sluice serve --chain` on the EVM harness (Ocean's contracts on py-evm).

Steps 1 to 6 are the seed's (../shared/seeds/compute-flow.txt) as written there; only the
setup differs: the harness's RPC and contract addresses, two of its funded accounts as
Alice and Bob, the dataset and algorithm served from loopback, and the node's URL as both
PROVIDER_URL and METADATA_CACHE_URI. Then ocean-lib's search and query find the assets.

Usage: seed_flow_chain.py <path to sluice> <work directory> <harness.json> <runtime venv>
"""
import functools
import http.server
import json
import logging
import os
import shutil
import subprocess
import sys
import threading
import time

# ocean-lib's enforce_typing crashes on typing.Any under Python 3.11: disable it first.
import enforce_typing

enforce_typing.enforce_types = lambda f: f

import requests  # noqa: E402
from eth_account import Account  # noqa: E402
from sluice_node import CHECKS, check, serve, free_port  # noqa: E402

SLUICE, WORK, HARNESS_JSON, RUNTIME = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3], sys.argv[4]
HERE = os.path.dirname(os.path.abspath(__file__))
EXAMPLES = os.path.join(HERE, "..", "..", "examples", "branin-gpr")






def serve_files(directory):
    """The seed's raw.githubusercontent.com URLs, served from loopback instead."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=directory))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def start_node(harness):
    port = free_port()
    # From the current block: what earlier suites published on this chain is not this flow's,
    # and indexing it would keep the single-threaded harness busy past ocean-lib's timeouts.
    head = requests.post(harness["rpcUrl"], json={"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []},
                         timeout=60).json()["result"]
    chain = {"rpcUrl": harness["rpcUrl"], "chainId": harness["chainId"], "contracts": harness["contracts"],
             "startBlock": int(head, 16), "pollIntervalSeconds": 0.2}
    config = {
        "port": port, "chainId": harness["chainId"], "dataDir": f"{WORK}/data",
        # The seed's files come from loopback here: the operator opens it on purpose.
        "fetch": {"allowNetworks": ["127.0.0.0/8"]},
        "environments": [{"id": "free-cpu", "nCPU": 1, "ramGB": 1, "diskGB": 0.2, "maxJobs": 2, "maxJobDuration": 300,
                          "priceMin": 0,
                          # ocean-lib's create_algo_asset names Ocean's algo_dockers image.
                          "runtimes": {"oceanprotocol/algo_dockers:python-branin": RUNTIME}}],
    }
    with open(f"{WORK}/sluice.json", "w") as f:
        json.dump(config, f)
    with open(f"{WORK}/chain.json", "w") as f:
        json.dump(chain, f)
    return serve([SLUICE, "serve", "--config", f"{WORK}/sluice.json", "--chain", f"{WORK}/chain.json"], port,
                 f"{WORK}/node.log")


def main():
    os.makedirs(f"{WORK}/files", exist_ok=True)
    with open(HARNESS_JSON) as f:
        harness = json.load(f)
    # The Branin dataset (as the seed's branin.arff) and the seed's GPR algorithm.
    subprocess.run([f"{RUNTIME}/bin/python", f"{EXAMPLES}/make_data.py", "--grid", "10", "--out", f"{WORK}/files/branin.arff"],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.copy(f"{EXAMPLES}/gpr.py", f"{WORK}/files/gpr.py")
    files_url = serve_files(f"{WORK}/files")

    # ocean-lib reads contract addresses from an address file, by network name.
    with open(f"{WORK}/address.json", "w") as f:
        json.dump({"development": dict(harness["contracts"], chainId=harness["chainId"])}, f)
    os.environ["ADDRESS_FILE"] = f"{WORK}/address.json"

    node, node_url = start_node(harness)
    try:
        run_seed(harness, node_url, files_url)
    except BaseException:
        print("--- node.log (tail) ---", file=sys.stderr)
        with open(f"{WORK}/node.log") as f:
            print("".join(f.readlines()[-40:]), file=sys.stderr)
        raise
    finally:
        node.terminate()
        node.wait(10)
    print(f"seed-flow: {CHECKS['passed']} passed, 0 failed")


def run_seed(harness, node_url, files_url):
    from ocean_lib.example_config import get_config_dict
    from ocean_lib.ocean.ocean import Ocean

    config = get_config_dict(harness["rpcUrl"])
    # ocean-lib logs every provider call at INFO, URLs and signatures included.
    logging.getLogger().setLevel(logging.WARNING)
    config["METADATA_CACHE_URI"] = node_url
    config["PROVIDER_URL"] = node_url
    ocean = Ocean(config)
    # Two funded harness accounts the Swift suites leave alone.
    alice = Account.from_key(harness["accounts"]["all"][7]["privateKey"])
    bob = Account.from_key(harness["accounts"]["all"][8]["privateKey"])

    # 1. Alice publishes dataset
    from ocean_lib.structures.file_objects import UrlFile
    DATA_url_file = UrlFile(
        url=f"{files_url}/branin.arff"
    )

    name = "Branin dataset"
    (DATA_data_nft, DATA_datatoken, DATA_ddo) = ocean.assets.create_url_asset(name, DATA_url_file.url, {"from": alice}, with_compute=True, wait_for_aqua=True)
    print(f"DATA_data_nft address = '{DATA_data_nft.address}'")
    print(f"DATA_datatoken address = '{DATA_datatoken.address}'")

    print(f"DATA_ddo did = '{DATA_ddo.did}'")
    check(DATA_ddo is not None and DATA_ddo.did.startswith("did:op:"), "1. the dataset is published and indexed")

    # 2. Alice publishes an algorithm
    ALGO_url = f"{files_url}/gpr.py"

    name = "grp"
    (ALGO_data_nft, ALGO_datatoken, ALGO_ddo) = ocean.assets.create_algo_asset(name, ALGO_url, {"from": alice}, wait_for_aqua=True)

    print(f"ALGO_data_nft address = '{ALGO_data_nft.address}'")
    print(f"ALGO_datatoken address = '{ALGO_datatoken.address}'")
    print(f"ALGO_ddo did = '{ALGO_ddo.did}'")
    check(ALGO_ddo is not None and ALGO_ddo.metadata["type"] == "algorithm", "2. the algorithm is published and indexed")

    # 3. Alice allows the algorithm for C2D for that data asset
    compute_service = DATA_ddo.services[1]
    compute_service.add_publisher_trusted_algorithm(ALGO_ddo)
    DATA_ddo = ocean.assets.update(DATA_ddo, {"from": alice})
    trusted = DATA_ddo.services[1].compute_values["publisherTrustedAlgorithms"]
    check([t["did"] for t in trusted] == [ALGO_ddo.did], "3. the update is indexed with the algorithm trusted")

    # 4. Bob acquires datatokens for data and algorithm
    from ocean_lib.ocean.util import to_wei
    DATA_datatoken.mint(bob, to_wei(5), {"from": alice})
    ALGO_datatoken.mint(bob, to_wei(5), {"from": alice})
    check(DATA_datatoken.balanceOf(bob.address) == to_wei(5), "4. Bob holds 5 dataset datatokens")

    # 5. Bob starts a compute job using a free C2D environment
    DATA_did = DATA_ddo.did
    ALGO_did = ALGO_ddo.did

    DATA_ddo = ocean.assets.resolve(DATA_did)
    ALGO_ddo = ocean.assets.resolve(ALGO_did)

    compute_service = DATA_ddo.services[1]
    algo_service = ALGO_ddo.services[0]
    free_c2d_env = ocean.compute.get_free_c2d_environment(compute_service.service_endpoint, DATA_ddo.chain_id)

    from datetime import datetime, timedelta, timezone
    from ocean_lib.models.compute_input import ComputeInput

    DATA_compute_input = ComputeInput(DATA_ddo, compute_service)
    ALGO_compute_input = ComputeInput(ALGO_ddo, algo_service)

    datasets, algorithm = ocean.assets.pay_for_compute_service(
        datasets=[DATA_compute_input],
        algorithm_data=ALGO_compute_input,
        consume_market_order_fee_address=bob.address,
        tx_dict={"from": bob},
        compute_environment=free_c2d_env["id"],
        valid_until=int((datetime.now(timezone.utc) + timedelta(days=1)).timestamp()),
        consumer_address=free_c2d_env["consumerAddress"],
    )
    assert datasets, "pay for dataset unsuccessful"
    assert algorithm, "pay for algorithm unsuccessful"
    check(True, "5. both orders are paid on chain")

    job_id = ocean.compute.start(
        consumer_wallet=bob,
        dataset=datasets[0],
        compute_environment=free_c2d_env["id"],
        algorithm=algorithm,
    )
    print(f"Started compute job with id: {job_id}")
    check(bool(job_id), "5. the compute job starts")

    # 6. Bob monitors logs / algorithm output
    from decimal import Decimal
    succeeded = False
    for _ in range(0, 200):
        status = ocean.compute.status(DATA_ddo, compute_service, job_id, bob)
        if status.get("dateFinished") and Decimal(status["dateFinished"]) > 0:
            succeeded = True
            break
        time.sleep(5)
    check(succeeded and status["status"] == 70, f"6. the job finishes (status {status.get('status')}, {status.get('statusText')})")

    output = ocean.compute.compute_job_result_logs(
        DATA_ddo, compute_service, job_id, bob
    )[0]

    import pickle
    model = pickle.loads(output)  # the gaussian model result
    assert len(model) > 0, "unpickle result unsuccessful"
    check(len(model) == 15, "6. the result unpickles into the model's predictions")

    # Discovery through the metadata cache.
    found = ocean.assets.search("Branin")
    check(DATA_did in [d.did for d in found], "ocean.assets.search('Branin') finds the dataset")
    algorithms = ocean.assets.query({"query": {"bool": {"filter": [{"term": {"metadata.type": "algorithm"}}]}}})
    check(ALGO_did in [d.did for d in algorithms] and DATA_did not in [d.did for d in algorithms],
          "a bool filter on metadata.type finds the algorithm and not the dataset")


if __name__ == "__main__":
    main()
