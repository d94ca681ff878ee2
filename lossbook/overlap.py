"""Overlap losses for segmentation: Tversky and Dice.

A mask is a set of pixels; a predicted mask holds probabilities.  With the
target y in [0, 1] and the prediction p in [0, 1], the soft counts are

    TP = Σ y p (hits),  FP = Σ (1 - y) p (false positives),  FN = Σ y (1 - p),

summed over ``axis``: ``None`` (the default, as in Keras) sums over every
axis, the whole batch, and returns one number; a tuple such as (1, 2) sums
over each image's pixels and returns one value per image.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._validation import (
    Result,
    as_float_pair,
    check_axes,
    check_epsilon,
    check_parameter,
    check_probabilities,
    reduced,
)


def tversky(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    alpha: float = 0.5,
    beta: float = 0.5,
    axis: int | tuple[int, ...] | None = None,
    epsilon: float | None = None,
) -> Result:
    """Tversky loss = 1 - TP / (TP + α FP + β FN) = (α FP + β FN) / (TP + α FP + β FN).

    TP = Σ y p, FP = Σ (1 - y) p and FN = Σ y (1 - p), summed over ``axis``
    (None: every axis, one number for the batch; a tuple of ints: those axes).
    ``y_true`` and ``y_pred`` lie in [0, 1] and have the same shape; α ≥ 0
    weighs the false positives and β ≥ 0 the false negatives, as in Salehi et
    al. (2017).  Returns one value per remaining index (a NumPy scalar for
    ``axis=None``), in [0, 1].  Computed as the second form, which keeps its
    relative accuracy when the loss is tiny.

    Exact by default; where the denominator is 0 (an empty target and an
    empty prediction, when α, β > 0) nothing was counted wrong and the loss is
    0.  ``epsilon=1e-7`` adds Keras's constant to the denominator, as
    ``keras.losses.tversky`` does (which then scores that case 1); note that
    Keras 3.15 applies its ``alpha`` to the false negatives and ``beta`` to
    the false positives.

    Derived in chapter 14, Overlap losses for segmentation
    (chapters/14_overlap_losses.ipynb).
    """
    alpha = check_parameter(alpha, "alpha")
    beta = check_parameter(beta, "beta")
    epsilon = check_epsilon(epsilon, from_logits=False)
    y, p = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axes = check_axes(p, axis, "y_pred")
    check_probabilities(y, "y_true")
    check_probabilities(p, "y_pred")
    tp = np.sum(y * p, axis=axes)
    fp = np.sum((1 - y) * p, axis=axes)
    fn = np.sum(y * (1 - p), axis=axes)
    wrong = alpha * fp + beta * fn + (epsilon or 0.0)  # the weighted mistakes
    with np.errstate(invalid="ignore"):  # 0 / 0 where nothing is counted at all
        loss = wrong / (tp + wrong)
    return reduced(np.where(tp + wrong == 0, 0.0, loss))


def dice(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    axis: int | tuple[int, ...] | None = None,
    epsilon: float | None = None,
) -> Result:
    """Dice loss = 1 - 2 Σ y p / (Σ y + Σ p): the Tversky loss with α = β = ½.

    Sums over ``axis`` (None: every axis, one number for the batch; a tuple
    of ints: those axes); ``y_true`` and ``y_pred`` lie in [0, 1] and have the
    same shape.  Returns one value per remaining index (a NumPy scalar for
    ``axis=None``), in [0, 1].  Since Σ y + Σ p = 2 TP + FP + FN, this is
    ``tversky(y_true, y_pred, alpha=0.5, beta=0.5)``.

    Exact by default: an empty target with an empty prediction scores 0.
    ``epsilon=1e-7`` reproduces ``keras.losses.dice``, which adds ε to
    Σ y + Σ p (ε / 2 in the Tversky denominator) and scores that case 1.

    Derived in chapter 14, Overlap losses for segmentation
    (chapters/14_overlap_losses.ipynb).
    """
    epsilon = check_epsilon(epsilon, from_logits=False)
    half = None if epsilon is None else epsilon / 2
    return tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=axis, epsilon=half)
