"""Writes the Branin function sampled on an n x n grid as an ARFF file (liac-arff).

    python make_data.py --grid 20 --out branin.arff
"""
import argparse

import arff  # liac-arff

from branin import X0_RANGE, X1_RANGE, branin, linspace


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grid", type=int, default=20, help="points per axis (at least 2)")
    parser.add_argument("--out", required=True, help="ARFF file to write")
    args = parser.parse_args()
    if args.grid < 2:
        parser.error("--grid must be at least 2")
    rows = [[x0, x1, branin(x0, x1)]
            for x0 in linspace(*X0_RANGE, args.grid)
            for x1 in linspace(*X1_RANGE, args.grid)]
    document = {
        "relation": "branin",
        "description": "Branin function on a %dx%d grid over [-5,10] x [0,15]" % (args.grid, args.grid),
        "attributes": [("x0", "REAL"), ("x1", "REAL"), ("y", "REAL")],
        "data": rows,
    }
    with open(args.out, "w") as f:
        f.write(arff.dumps(document))
    print("wrote %d rows to %s" % (len(rows), args.out))


if __name__ == "__main__":
    main()
