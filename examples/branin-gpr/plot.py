"""Renders the true Branin surface beside the model's predictions as a PNG.

    python plot.py predictions.pkl branin-gpr.png
"""
import pickle
import sys

import matplotlib

matplotlib.use("Agg")
import numpy
from matplotlib import pyplot

from branin import branin


def main():
    source, target = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        model = numpy.asarray(pickle.load(f), dtype=float)
    X0, X1 = numpy.meshgrid(numpy.linspace(-5.0, 10.0, 15), numpy.linspace(0.0, 15.0, 15))
    Z = branin(X0, X1)
    mae = float(numpy.mean(numpy.abs(model - Z)))

    fig = pyplot.figure(figsize=(10, 4.2), dpi=90)
    for position, (title, values, cmap) in enumerate([("Branin function", Z, "viridis"),
                                                      ("GPR predictions (from the job)", model, "plasma")], start=1):
        ax = fig.add_subplot(1, 2, position, projection="3d")
        ax.plot_surface(X0, X1, values, cmap=cmap, linewidth=0, antialiased=True, alpha=0.9)
        ax.scatter(X0, X1, values, c="k", s=4)
        ax.set_title(title)
        ax.set_xlabel("x0")
        ax.set_ylabel("x1")
        ax.set_zlim(0, max(Z.max(), model.max()))
        ax.view_init(elev=28, azim=-120)
    fig.suptitle("Branin / Gaussian process regression on Sluice (mean absolute error %.2f)" % mae)
    fig.tight_layout()
    fig.savefig(target)
    print("wrote", target)


if __name__ == "__main__":
    main()
