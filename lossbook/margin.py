"""Margin losses: the hinge family of Keras and PyTorch's margin and soft-margin losses.

A binary label is a sign y in {-1, 1} and the model's output a real score z
(a logit); the product y z is the margin, positive when the sign of z is
right.  A multi-class loss compares the true class's score z_t with the
others' along ``axis``.  Every loss takes (y_true, y_pred) in that order,
reduces over ``axis`` (default: the last one) and returns one value per sample.
Names follow Keras (hinge, squared_hinge, categorical_hinge) or PyTorch's
functional API without ``_loss`` (soft_margin, multilabel_soft_margin,
multi_margin, multilabel_margin, hinge_embedding).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._validation import (
    FloatArray,
    Result,
    as_array,
    as_float,
    as_float_pair,
    check_axis,
    check_labels_for,
    check_parameter,
    check_signs,
    reduced,
    sum_along,
)
from .classification import _log_sigmoid, binary_crossentropy


def _shortfall(delta: float, z_t: FloatArray, z_i: FloatArray) -> FloatArray:
    """Δ - (z_t - z_i), elementwise, to within a unit or two in the last place of the result.

    Near the kink of a hinge the result is much smaller than the scores, and
    computing it in two roundings would lose its relative accuracy.  So the
    rounding error e of a = Δ - z_t is recovered exactly (Knuth's two-sum, on
    one z_t per sample, which is cheap) and added back after a + z_i, which is
    exact when the result is small (Sterbenz).
    """
    with np.errstate(over="ignore", invalid="ignore"):  # a score near the largest float
        a = delta - z_t
        virtual = a - delta
        e = (delta - (a - virtual)) + (-z_t - virtual)  # a + e == delta - z_t exactly
        e = np.where(np.isfinite(a), e, 0)
        out: FloatArray = (a + z_i) + e
    return out


def _margins(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, axis: int, *, zero_one: bool
) -> tuple[FloatArray, FloatArray]:
    """Signs y in {-1, 1} (from 0/1 labels too, if ``zero_one``) and scores z, checked."""
    y, z = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    check_axis(z, axis, "y_pred")
    return check_signs(y, "y_true", zero_one=zero_one), z


def _hinge_terms(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, axis: int) -> FloatArray:
    """max(0, 1 - y z) elementwise, after Keras's conversion of 0/1 labels to -1/1."""
    y, z = _margins(y_true, y_pred, axis, zero_one=True)
    terms: FloatArray = np.maximum(1 - y * z, 0)
    return terms


def hinge(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Hinge loss = mean_i max(0, 1 - y_i z_i), for labels y_i in {-1, 1} and scores z_i.

    ``y_true`` holds -1 and 1; labels that are all 0 or 1 are converted to
    -1 and 1 first (y -> 2y - 1), as Keras does.  Any other label, or -1 and
    0 together, raises ``ValueError`` (Keras would silently skip the
    conversion).  Zero once every margin y z reaches 1.
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 11, Margins and surrogate losses (chapters/11_margin_losses.ipynb).
    """
    return reduced(np.mean(_hinge_terms(y_true, y_pred, axis), axis=axis))


def squared_hinge(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Squared hinge loss = mean_i max(0, 1 - y_i z_i)², the square of each hinge term.

    Labels as in ``hinge`` (-1 and 1; all-0/1 labels are converted).
    Differentiable everywhere, and it charges a badly wrong margin
    quadratically.  Conventions: argument order (y_true, y_pred); averages
    over ``axis``; returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 11, Margins and surrogate losses (chapters/11_margin_losses.ipynb).
    """
    return reduced(np.mean(np.square(_hinge_terms(y_true, y_pred, axis)), axis=axis))


def categorical_hinge(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Categorical hinge = max(0, 1 + neg - pos), pos = Σ_k y_k z_k, neg = max_k (1 - y_k) z_k.

    Keras's definition, for one-hot ``y_true`` along ``axis``: pos is the
    true class's score z_t.  The maximum in neg runs over every class, the
    true one included with (1 - 1) z_t = 0, so neg >= 0: it is
    max(0, max_{k≠t} z_k), and the loss is the Crammer-Singer multi-class
    hinge max(0, 1 + max_{k≠t} z_k - z_t) only when some other score is >= 0.
    Conventions: argument order (y_true, y_pred); reduces over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 11, Margins and surrogate losses (chapters/11_margin_losses.ipynb).
    """
    y, z = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axis = check_axis(z, axis, "y_pred")
    if not (np.all((y == 0) | (y == 1)) and np.all(sum_along(y, axis) == 1)):
        raise ValueError(f"y_true: must be one-hot along axis {axis} (a single 1, the rest 0)")
    pos = sum_along(y * z, axis)  # exactly z_t: every other product is 0
    neg = np.max((1 - y) * z, axis=axis)
    return reduced(np.maximum(_shortfall(1.0, pos, neg), 0))


def soft_margin(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Soft margin loss = mean_i log(1 + exp(-y_i z_i)), for labels y_i in {-1, 1}.

    The logistic loss of the margin u = y z, -log σ(u): the binary
    cross-entropy from logits of the label (y + 1) / 2 in {0, 1}.  Computed
    with the stable log-sigmoid min(u, 0) - log1p(exp(-|u|)), so it neither
    overflows nor loses a tiny loss (PyTorch's ``soft_margin_loss`` returns
    inf once -y z exceeds about 710 in float64, 89 in float32).  Labels must
    be -1 or 1, as in PyTorch; 0/1 labels raise ``ValueError`` (PyTorch would
    charge log 2 for every 0).  Natural log.
    Conventions: argument order (y_true, y_pred), not PyTorch's (input,
    target); averages over ``axis``; returns one value per sample (a NumPy
    scalar for 1-D input).

    Derived in chapter 11, Margins and surrogate losses (chapters/11_margin_losses.ipynb).
    """
    y, z = _margins(y_true, y_pred, axis, zero_one=False)
    return reduced(-np.mean(_log_sigmoid(y * z), axis=axis))  # log(1 + e^-u) = -log σ(u)


def multilabel_soft_margin(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1
) -> Result:
    """Multilabel soft margin = -(1/C) Σ_c [y_c log σ(z_c) + (1 - y_c) log σ(-z_c)].

    This is exactly the binary cross-entropy from logits averaged over the C
    classes, and it is computed by ``binary_crossentropy(y_true, y_pred,
    from_logits=True)``.  ``y_true`` holds 0/1 targets (or soft ones in
    [0, 1]); ``y_pred`` holds logits.  Natural log.
    Conventions: argument order (y_true, y_pred); averages over ``axis``, the
    class axis; returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 11, Margins and surrogate losses (chapters/11_margin_losses.ipynb).
    """
    return binary_crossentropy(y_true, y_pred, from_logits=True, axis=axis)


def multi_margin(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    p: int = 1,
    margin: float = 1.0,
    axis: int = -1,
) -> Result:
    """Multi-margin loss = (1/C) Σ_{i≠t} max(0, Δ - (z_t - z_i))^p, Δ = ``margin``, label t.

    PyTorch's ``multi_margin_loss`` (the Weston-Watkins multi-class hinge):
    every other class i whose score comes within Δ of the true class's z_t
    adds its shortfall, to the power p (1 or 2), and the sum is divided by
    the number of classes C, the true one included.  ``y_true`` holds integer
    labels in [0, C) and has the shape of ``y_pred`` without ``axis``; ``margin``
    is finite and >= 0.  PyTorch's class ``weight`` is not offered.
    Conventions: argument order (y_true, y_pred); reduces over ``axis``;
    returns one value per sample (a NumPy scalar for one sample).

    Derived in chapter 11, Margins and surrogate losses (chapters/11_margin_losses.ipynb).
    """
    if p not in (1, 2) or isinstance(p, bool):
        raise ValueError(f"p: must be 1 or 2, as in PyTorch, got {p!r}")
    margin = check_parameter(margin, "margin")
    z = as_float(y_pred, "y_pred")
    axis = check_axis(z, axis, "y_pred")
    t = np.expand_dims(check_labels_for(y_true, z, axis), axis)
    z_t = np.take_along_axis(z, t, axis=axis)
    h = np.maximum(_shortfall(margin, z_t, z), 0)
    np.put_along_axis(h, t, 0.0, axis=axis)  # the sum runs over i ≠ t
    h = h if p == 1 else np.square(h)
    return reduced(sum_along(h, axis) / z.shape[axis])


def _target_lists(y_true: npt.ArrayLike, z: FloatArray, axis: int) -> npt.NDArray[np.intp]:
    """PyTorch's multilabel targets: class indices in [0, C), ended by -1, one row per sample."""
    a = as_array(y_true, "y_true")
    if a.shape != z.shape:
        raise ValueError(
            f"y_pred: shape {z.shape} does not match y_true shape {a.shape}"
            " (y_true holds class indices ended by -1, padded to the shape of y_pred)"
        )
    if a.dtype.kind == "f" and np.any(a != np.round(a)):
        raise ValueError(f"y_true: class indices must be integers, got {a[a != np.round(a)][0]}")
    c = z.shape[axis]
    if np.any(a < -1) or np.any(a >= c):
        raise ValueError(
            f"y_true: entries must be class indices in [0, {c}) or -1 (the end of the list),"
            f" got {a.min()}..{a.max()}"
        )
    return a.astype(np.intp)


def multilabel_margin(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Multilabel margin = (1/C) Σ_j Σ_{i ∉ T} max(0, 1 - (z_{t_j} - z_i)), over targets t_j ∈ T.

    PyTorch's ``multilabel_margin_loss``: ``y_true`` has the shape of
    ``y_pred`` and holds, along ``axis``, the sample's target classes t_j
    followed by -1; the entries after the first -1 are ignored (a row that
    starts with -1 has no targets and costs 0).  Every target class must beat
    every non-target class i by a margin of 1; a class listed twice counts
    twice, as in PyTorch.  The sum is divided by the number of classes C.
    Conventions: argument order (y_true, y_pred); reduces over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 11, Margins and surrogate losses (chapters/11_margin_losses.ipynb).
    """
    z = as_float(y_pred, "y_pred")
    axis = check_axis(z, axis, "y_pred")
    targets = np.moveaxis(_target_lists(y_true, z, axis), axis, -1)
    x = np.moveaxis(z, axis, -1)
    c = x.shape[-1]
    listed = np.logical_and.accumulate(targets >= 0, axis=-1)  # before the first -1
    index = np.where(listed, targets, c)  # unlisted entries point at a spare column
    is_target = np.zeros(x.shape[:-1] + (c + 1,), dtype=bool)
    np.put_along_axis(is_target, index, True, axis=-1)
    rivals = np.where(is_target[..., :c], -np.inf, x)  # a target is no rival: its term is 0
    total: FloatArray = np.zeros(x.shape[:-1], dtype=x.dtype)
    for j in range(int(np.max(np.sum(listed, axis=-1), initial=0))):  # the longest list
        z_t = np.take_along_axis(x, np.where(listed[..., j : j + 1], index[..., j : j + 1], 0), -1)
        h = np.maximum(_shortfall(1.0, z_t, rivals), 0)
        total = total + np.where(listed[..., j], sum_along(h, -1), 0)
    return reduced(total / x.shape[-1])


def hinge_embedding(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, margin: float = 1.0, axis: int = -1
) -> Result:
    """Hinge embedding loss = mean_i of x_i if y_i = 1, and max(0, Δ - x_i) if y_i = -1.

    PyTorch's ``hinge_embedding_loss``, with Δ = ``margin``: ``y_pred`` holds
    x, usually a distance between two embeddings (>= 0; a negative x with
    y = 1 gives a negative loss, as in PyTorch), and ``y_true`` says whether
    the pair is similar (1) or dissimilar (-1).  Labels other than -1 and 1
    raise ``ValueError`` (PyTorch would add both terms).  ``margin`` is
    finite and >= 0.  Conventions: argument order (y_true, y_pred); averages
    over ``axis``; returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 11, Margins and surrogate losses (chapters/11_margin_losses.ipynb).
    """
    margin = check_parameter(margin, "margin")
    y, x = _margins(y_true, y_pred, axis, zero_one=False)
    return reduced(np.mean(np.where(y == 1, x, np.maximum(margin - x, 0)), axis=axis))
