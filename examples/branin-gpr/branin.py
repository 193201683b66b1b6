"""The Branin function, shared by the data generator, the plot and the check."""
import math

# Branin's usual constants: a=1, b=5.1/(4 pi^2), c=5/pi, r=6, s=10, t=1/(8 pi).
B = 5.1 / (4 * math.pi ** 2)
C = 5 / math.pi
T = 1 / (8 * math.pi)

X0_RANGE = (-5.0, 10.0)
X1_RANGE = (0.0, 15.0)


def branin(x0, x1):
    """Works on floats and on numpy arrays alike."""
    try:
        import numpy
        cos = numpy.cos
    except ImportError:
        cos = math.cos
    u = x1 - B * x0 ** 2 + C * x0 - 6
    return u ** 2 + 10 * (1 - T) * cos(x0) + 10


def linspace(lo, hi, n):
    return [lo + (hi - lo) * i / (n - 1) for i in range(n)]
