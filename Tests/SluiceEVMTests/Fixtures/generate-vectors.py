#!/usr/bin/env python3
"""Writes evm-vectors.json: RLP, ABI and signed-transaction vectors from the Python
libraries Ethereum tools use (rlp, eth_abi, eth_account), for SluiceEVM's tests.

Run with the EVM harness's venv (scripts/evm-harness.sh venv prints its path):
    "$(scripts/evm-harness.sh venv)/bin/python" Tests/SluiceEVMTests/Fixtures/generate-vectors.py
Keys here are throwaway test keys.
"""
import json
import os

import rlp
from eth_abi import encode
from eth_account import Account
from eth_utils import keccak


def hx(b):
    return "0x" + bytes(b).hex()


def rlp_cases():
    def to_json(x):
        return [to_json(i) for i in x] if isinstance(x, list) else hx(x)

    items = [
        b"", b"\x00", b"\x7f", b"\x80", b"dog", b"a" * 55, b"b" * 56, bytes(range(256)) * 4,
        [], [b"cat", b"dog"], [[], [[]], [[], [[]]]], [b"x" * 60, [b"y" * 10]], [b"z" * 30] * 3,
        (1024).to_bytes(2, "big"), (2**64 - 1).to_bytes(8, "big"),
    ]
    return [{"item": to_json(i), "encoded": hx(rlp.encode(i))} for i in items]


def abi_cases():
    dead = "0x000000000000000000000000000000000000dEaD"
    cases = [
        (["uint256"], [0]),
        (["uint256"], [2**256 - 1]),
        (["uint8", "bool", "address"], [255, True, dead]),
        (["bytes32"], [bytes(range(32))]),
        (["bytes"], [b""]),
        (["bytes", "uint256"], [b"\x01" * 33, 7]),
        (["string"], ["héllo, Ocean"]),
        (["string", "bytes", "string"], ["a", b"\xff" * 64, ""]),
        (["address[]"], [[dead, "0x" + "11" * 20]]),
        (["(address,address,uint256,uint8,bytes32,bytes32,uint256,bytes)"],
         [(dead, "0x" + "22" * 20, 10**18, 27, b"\x33" * 32, b"\x44" * 32, 1700000000, b'{"environment":"x"}')]),
        (["address", "uint256", "(address,address,uint256,uint8,bytes32,bytes32,uint256,bytes)", "(address,address,uint256)"],
         [dead, 3, (dead, dead, 0, 28, b"\x01" * 32, b"\x02" * 32, 5, b""), (dead, dead, 0)]),
        (["uint8", "string", "string", "bytes", "bytes", "bytes32", "(address,uint8,bytes32,bytes32)[]"],
         [0, "http://provider", "0xabc", b"\x03", b"\x04\x05" * 40, b"\x06" * 32, [(dead, 27, b"\x07" * 32, b"\x08" * 32)]]),
    ]

    def to_json(t, v):
        if t.endswith("[]"):
            return [to_json(t[:-2], x) for x in v]
        if t.startswith("("):
            parts = split_tuple(t[1:-1])
            return [to_json(p, x) for p, x in zip(parts, v)]
        if t.startswith("uint"):
            return str(v)
        if t.startswith("bytes"):
            return hx(v)
        return v

    return [{"types": ts, "values": [to_json(t, v) for t, v in zip(ts, vs)], "encoded": hx(encode(ts, vs))}
            for ts, vs in cases]


def split_tuple(inner):
    parts, depth, cur = [], 0, ""
    for c in inner:
        if c == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += c == "("
        depth -= c == ")"
        cur += c
    parts.append(cur)
    return parts


def tx_cases():
    key = "0x" + "4c" * 32
    to = "0x3535353535353535353535353535353535353535"
    base = [
        {"kind": "legacy", "chainId": 1, "nonce": 9, "gasPrice": 20 * 10**9, "gas": 21000, "to": to, "value": 10**18, "data": "0x"},
        {"kind": "legacy", "chainId": 8996, "nonce": 0, "gasPrice": 1, "gas": 500000, "to": to, "value": 0,
         "data": "0x" + "ab" * 100},
        {"kind": "eip1559", "chainId": 8996, "nonce": 3, "maxFeePerGas": 3 * 10**9, "maxPriorityFeePerGas": 10**9,
         "gas": 210000, "to": to, "value": 5, "data": "0xa9059cbb" + "00" * 64},
        {"kind": "eip1559", "chainId": 137, "nonce": 1000, "maxFeePerGas": 2**100, "maxPriorityFeePerGas": 0,
         "gas": 30000000, "to": None, "value": 0, "data": "0x6080604052"},
    ]
    out = []
    for t in base:
        tx = {"chainId": t["chainId"], "nonce": t["nonce"], "gas": t["gas"], "value": t["value"], "data": t["data"]}
        if t["to"]:
            tx["to"] = t["to"]
        if t["kind"] == "legacy":
            tx["gasPrice"] = t["gasPrice"]
        else:
            tx.update({"type": 2, "maxFeePerGas": t["maxFeePerGas"], "maxPriorityFeePerGas": t["maxPriorityFeePerGas"],
                       "accessList": []})
        signed = Account.sign_transaction(tx, key)
        case = {k: (str(v) if isinstance(v, int) and v > 2**53 else v) for k, v in t.items()}
        case.update({"privateKey": key, "raw": hx(signed.raw_transaction), "hash": hx(signed.hash)})
        out.append(case)
    return out


def signatures():
    sigs = ["getERC721Address()", "startOrder(address,uint256,(address,address,uint256,uint8,bytes32,bytes32,uint256,bytes),(address,address,uint256))",
            "reuseOrder(bytes32,(address,address,uint256,uint8,bytes32,bytes32,uint256,bytes))",
            "setMetaData(uint8,string,string,bytes,bytes,bytes32,(address,uint8,bytes32,bytes32)[])",
            "OrderStarted(address,address,uint256,uint256,uint256,address,uint256)",
            "ProviderFee(address,address,uint256,bytes,uint8,bytes32,bytes32,uint256)",
            "OrderReused(bytes32,address,uint256,uint256)",
            "MetadataCreated(address,uint8,string,bytes,bytes,bytes32,uint256,uint256)",
            "MetadataUpdated(address,uint8,string,bytes,bytes,bytes32,uint256,uint256)",
            "erc721List(address)"]
    return {s: hx(keccak(text=s)) for s in sigs}


if __name__ == "__main__":
    out = {"rlp": rlp_cases(), "abi": abi_cases(), "transactions": tx_cases(), "keccak": signatures()}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "evm-vectors.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print("wrote", path)
