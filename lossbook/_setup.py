"""One call that prepares a notebook: quiet TensorFlow, short printing, a seeded generator."""

from __future__ import annotations

import os

import numpy as np


def setup(seed: int = 0) -> np.random.Generator:
    """Prepare a chapter notebook and return ``np.random.default_rng(seed)``.

    Sets ``TF_CPP_MIN_LOG_LEVEL=3`` and ``TF_ENABLE_ONEDNN_OPTS=0`` in
    ``os.environ`` (so call it *before* importing TensorFlow), and prints
    NumPy arrays with 4 decimals and no scientific notation.  Seeds nothing
    globally: draw random numbers from the returned generator.

    Used in the first code cell of every chapter; see appendix A1, Conventions
    (chapters/a1_conventions.ipynb).
    """
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ["TF_ENABLE_ONEDNN_OPTS"] = "0"
    np.set_printoptions(precision=4, suppress=True)
    return np.random.default_rng(seed)
