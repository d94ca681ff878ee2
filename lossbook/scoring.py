"""Proper scoring rules and calibration: the Brier score and the expected calibration error.

The Brier score is a loss like the others: one value per sample, in the
order (y_true, y_pred), reduced over ``axis`` (the class axis, by default
the last one).  The expected calibration error is a property of a whole set
of predictions, so it returns one number for all the samples it is given.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._validation import (
    Result,
    as_float,
    as_float_pair,
    check_axis,
    check_distribution,
    check_labels_for,
    check_n_bins,
    reduced,
    sum_along,
)


def brier_score(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Brier score BS = Σ_k (y_pred_k - y_true_k)², summed over the K classes.

    ``y_true`` holds target distributions along ``axis`` (one-hot, or soft),
    ``y_pred`` predicted distributions of the same shape.  Summed, not
    averaged, over the classes, as Brier (1950) defines it: K times
    ``mse(y_true, y_pred)``, and in [0, 2].  The binary score (q - y)² of one
    probability q is half the score of the rows [1 - y, y] and [1 - q, q].
    Conventions: argument order (y_true, y_pred); sums over ``axis``; returns
    one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 12, Proper scoring rules and calibration
    (chapters/12_scoring_calibration.ipynb).
    """
    y, q = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axis = check_axis(q, axis, "y_pred")
    check_distribution(y, "y_true", axis)
    check_distribution(q, "y_pred", axis)
    return reduced(sum_along(np.square(q - y), axis))


def expected_calibration_error(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, n_bins: int = 15, axis: int = -1
) -> np.floating[Any]:
    """Expected calibration error ECE = Σ_m (|B_m| / n) |acc(B_m) - conf(B_m)|, over M bins.

    The top-class ECE of Guo et al. (2017).  A sample's confidence is
    c = max_k y_pred_k, its prediction the class of that maximum (the first
    one, on ties), and it is correct when that class is its label.  The
    M = ``n_bins`` bins have equal width on the confidence and are closed on
    the right: bin m = 1, ..., M holds the samples with (m - 1)/M < c <= m/M,
    the edges m/M computed in float64 (every c > 0, so no sample is left out).
    acc(B_m) is the fraction of correct samples in bin m and conf(B_m) their
    mean confidence; an empty bin contributes 0.  The result lies in [0, 1].
    ``y_true`` holds integer labels in [0, K), with the shape of ``y_pred``
    without ``axis``; ``y_pred`` holds distributions along ``axis``.
    Conventions: argument order (y_true, y_pred); ``axis`` is the class axis;
    every position along the other axes is one sample, and the function
    returns one value for the whole set (a NumPy scalar), not one per sample.

    Derived in chapter 12, Proper scoring rules and calibration
    (chapters/12_scoring_calibration.ipynb).
    """
    n_bins = check_n_bins(n_bins)
    q = as_float(y_pred, "y_pred")
    axis = check_axis(q, axis, "y_pred")
    labels = check_labels_for(y_true, q, axis)
    check_distribution(q, "y_pred", axis)
    confidence = np.max(q, axis=axis).ravel().astype(np.float64)
    correct = (np.argmax(q, axis=axis) == labels).ravel()
    edges = np.arange(n_bins + 1) / n_bins
    # searchsorted(side="left") gives i with edges[i - 1] < c <= edges[i]: bin i - 1
    bins = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    gap = np.bincount(bins, weights=correct - confidence, minlength=n_bins)  # Σ (acc - c)
    ece: np.floating[Any] = q.dtype.type(np.sum(np.abs(gap)) / confidence.size)
    return ece
