"""Unpickles the job's predictions and checks them against the Branin function.

    python check_predictions.py predictions.pkl --max-mae 5
Exits 1 when the mean absolute error over the 15x15 grid is above the bound.
"""
import argparse
import pickle
import sys

import numpy

from branin import branin


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("predictions")
    parser.add_argument("--max-mae", type=float, required=True)
    args = parser.parse_args()
    with open(args.predictions, "rb") as f:
        predictions = numpy.asarray(pickle.load(f), dtype=float)
    if predictions.shape != (15, 15):
        sys.exit("predictions have shape %s, not (15, 15)" % (predictions.shape,))
    X0, X1 = numpy.meshgrid(numpy.linspace(-5.0, 10.0, 15), numpy.linspace(0.0, 15.0, 15))
    truth = branin(X0, X1)
    mae = float(numpy.mean(numpy.abs(predictions - truth)))
    print("mean absolute error %.3f over 225 points (Branin spans %.1f to %.1f); bound %.3f"
          % (mae, truth.min(), truth.max(), args.max_mae))
    if not mae <= args.max_mae:
        sys.exit("the model's error is above the bound")


if __name__ == "__main__":
    main()
