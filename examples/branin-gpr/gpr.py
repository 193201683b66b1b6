"""Fits a Gaussian process to the dataset the node mounts and pickles its predictions.

Runs inside the compute sandbox: the dataset is /data/inputs/<did>/0 (an ARFF file of
x0, x1, y), and what is written to /data/outputs is the job's result. The predictions
are a 15x15 numpy array over the seed's grid: X0 in linspace(-5, 10, 15) along the
columns, X1 in linspace(0, 15, 15) along the rows (numpy.meshgrid's layout).
"""
import json
import os
import pickle

import arff  # liac-arff
import numpy
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel


def input_file():
    dids = json.loads(os.environ.get("DIDS", "[]"))
    if dids:
        return os.path.join("/data/inputs", dids[0], "0")
    # Without DIDS, the first input directory (local runs).
    for name in sorted(os.listdir("/data/inputs")):
        candidate = os.path.join("/data/inputs", name, "0")
        if os.path.isfile(candidate):
            return candidate
    raise SystemExit("no input dataset under /data/inputs")


def main():
    path = input_file()
    with open(path) as f:
        data = numpy.array(arff.load(f)["data"], dtype=float)
    X, y = data[:, :2], data[:, 2]
    print("fitting on %d points from %s" % (len(y), path))

    kernel = ConstantKernel(1.0, (1e-3, 1e7)) * RBF(length_scale=[5.0, 5.0], length_scale_bounds=(1e-2, 1e3))
    model = GaussianProcessRegressor(kernel=kernel, normalize_y=True, n_restarts_optimizer=1, random_state=0)
    model.fit(X, y)
    print("kernel after fitting:", model.kernel_)

    X0, X1 = numpy.meshgrid(numpy.linspace(-5.0, 10.0, 15), numpy.linspace(0.0, 15.0, 15))
    predictions = model.predict(numpy.column_stack([X0.ravel(), X1.ravel()])).reshape(X0.shape)

    os.makedirs("/data/outputs", exist_ok=True)
    with open("/data/outputs/predictions.pkl", "wb") as f:
        pickle.dump(predictions, f)
    print("wrote /data/outputs/predictions.pkl", predictions.shape)


if __name__ == "__main__":
    main()
