"""Softmax, log-sum-exp and the classification losses.

Logits ``z`` may be any finite numbers (±1e4, or ±1e300): every function
shifts by the maximum before exponentiating, so nothing overflows.
Losses take (y_true, y_pred) in that order, reduce over ``axis`` (default:
the last one, the class axis) and return one loss per sample, in nats.
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
    check_distribution,
    check_epsilon,
    check_gce_q,
    check_ignore_index,
    check_label_smoothing,
    check_labels,
    check_parameter,
    check_probabilities,
    check_weights,
    reduced,
    sum_along,
)
from .information import x_times, xlog1py, xlogy


def _max_and_shift(z: FloatArray, axis: int) -> tuple[FloatArray, FloatArray]:
    """m = max_j z_j (keeping the axis) and z - m <= 0; a gap beyond the largest float is -inf."""
    m = np.max(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore"):  # exp(-inf) = 0 is then exactly right
        return m, z - m


def _log_softmax(z: FloatArray, axis: int) -> FloatArray:
    """log σ(z)_i = (z_i - m) - log1p(Σ_{j≠k} exp(z_j - m)), with k = argmax_j z_j and m = z_k.

    The largest term of Σ_j exp(z_j - m) is exp(0) = 1.  Leaving it out of the
    sum and adding it back with log1p keeps full relative accuracy when one
    logit dominates and the loss is tiny: log(1 + 1e-10) keeps six digits
    fewer than log1p(1e-10).
    """
    k = np.argmax(z, axis=axis, keepdims=True)
    with np.errstate(over="ignore"):  # a gap beyond the largest float is -inf; exp(-inf) = 0
        shifted = z - np.take_along_axis(z, k, axis=axis)
    rest = np.exp(shifted)
    np.put_along_axis(rest, k, 0.0, axis=axis)
    log_sigma: FloatArray = shifted - np.log1p(sum_along(rest, axis, keepdims=True))
    return log_sigma


def logsumexp(z: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Log-sum-exp LSE(z) = log Σ_j exp z_j, computed as m + log Σ_j exp(z_j - m), m = max_j z_j.

    Conventions: natural logarithm; reduces over ``axis``; returns one value
    per row (a NumPy scalar for 1-D input).  No overflow for any finite logits:
    every exp(z_j - m) lies in (0, 1], and the largest is 1.

    Derived in chapter 5, Logits and numerical stability (chapters/05_logits_stability.ipynb).
    """
    z_ = as_float(z, "z")
    axis = check_axis(z_, axis, "z")
    m, shifted = _max_and_shift(z_, axis)
    return reduced(np.squeeze(m, axis=axis) + np.log(sum_along(np.exp(shifted), axis)))


def log_softmax(z: npt.ArrayLike, *, axis: int = -1) -> FloatArray:
    """Log-softmax log σ(z)_i = z_i - LSE(z), computed as (z_i - m) - log1p(Σ_{j≠k} exp(z_j - m)).

    Shifting by the largest logit m = z_k first, and adding its own term
    exp(0) = 1 back with log1p, keeps every entry accurate to a few units in
    the last place, even the largest one, -log1p(...), when it is close to 0.
    Conventions: natural logarithm; normalizes along ``axis``; returns an
    array of the same shape as ``z``.  Unchanged by adding a constant to z.

    Derived in chapter 5, Logits and numerical stability (chapters/05_logits_stability.ipynb).
    """
    z_ = as_float(z, "z")
    axis = check_axis(z_, axis, "z")
    return _log_softmax(z_, axis)


def softmax(z: npt.ArrayLike, *, axis: int = -1) -> FloatArray:
    """Softmax σ(z)_i = exp z_i / Σ_j exp z_j = exp(z_i - m) / Σ_j exp(z_j - m), m = max_j z_j.

    Conventions: normalizes along ``axis``; returns an array of the same
    shape as ``z`` whose slices along ``axis`` sum to 1.

    Derived in chapter 5, Logits and numerical stability (chapters/05_logits_stability.ipynb).
    """
    z_ = as_float(z, "z")
    axis = check_axis(z_, axis, "z")
    e = np.exp(_max_and_shift(z_, axis)[1])
    sigma: FloatArray = e / sum_along(e, axis, keepdims=True)
    return sigma


def categorical_crossentropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    epsilon: float | None = None,
    axis: int = -1,
) -> Result:
    """Categorical cross-entropy CE = -Σ_k y_k log p_k (natural log, nats).

    ``y_true`` holds target distributions (one-hot or not) along ``axis``.
    ``y_pred`` holds probabilities, or logits if ``from_logits=True`` (then
    log p = log_softmax(z), which is stable).  ``label_smoothing`` ε replaces
    y by y (1 - ε) + ε / K, as Keras does.  With ``epsilon=None`` the result
    is exact (+inf where y_k > 0 = p_k); ``epsilon=1e-7`` reproduces Keras:
    p is divided by its sum along ``axis``, then clipped to [ε, 1 - ε].
    Returns one loss per sample (a NumPy scalar for 1-D input).

    Speed trade: from logits, on many short rows, NumPy reduces a short last
    axis row by row.  Transposing to make the reductions run across rows is
    faster, but the code no longer reads like the formula; we keep the
    formula.  The gap, and the times against TensorFlow and PyTorch, are
    measured in the benchmarks appendix (chapters/a4_benchmarks.md,
    "Benchmarks"), not quoted here.

    Derived in chapter 4, Cross-entropy (chapters/04_cross_entropy.ipynb);
    logits in chapter 5, label smoothing in chapter 6.
    """
    label_smoothing = check_label_smoothing(label_smoothing)
    epsilon = check_epsilon(epsilon, from_logits)
    y, p = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axis = check_axis(p, axis, "y_pred")
    check_distribution(y, "y_true", axis)
    if label_smoothing:
        y = y * (1 - label_smoothing) + label_smoothing / y.shape[axis]
    if from_logits:
        log_q = _log_softmax(p, axis)
        return reduced(-sum_along(x_times(y, log_q), axis))  # 0 · (-inf) counts as 0
    check_distribution(p, "y_pred", axis)
    if epsilon is None:
        return reduced(-sum_along(xlogy(y, p), axis))
    p = np.clip(p / sum_along(p, axis, keepdims=True), epsilon, 1 - epsilon)
    return reduced(-sum_along(y * np.log(p), axis))


def sparse_categorical_crossentropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    ignore_index: int | None = None,
    axis: int = -1,
) -> Result:
    """Sparse categorical cross-entropy CE = -log p_y for an integer class label y.

    Same as ``categorical_crossentropy`` with a one-hot ``y_true``.  ``y_true``
    holds integer labels in [0, K) and has the shape of ``y_pred`` without
    ``axis``.  ``y_pred`` holds probabilities along ``axis``, or logits if
    ``from_logits=True``.  Natural log; exact (+inf where p_y = 0).
    Returns one loss per sample (a NumPy scalar for one sample).

    ``ignore_index`` (any int, such as PyTorch's -100, a void label 255, or a
    class in [0, K)): a sample with that label gets loss 0, as in PyTorch's
    ``ignore_index`` and Keras's ``ignore_class``.  To leave it out of the
    mean as well, reduce with ``weighted_mean(loss, weights=y_true != ignore_index)``.

    Derived in chapter 6, Binary and sparse cross-entropy, label smoothing and focal loss
    (chapters/06_classification_losses.ipynb); ``ignore_index`` in chapter 10.
    """
    p = as_float(y_pred, "y_pred")
    axis = check_axis(p, axis, "y_pred")
    expected = p.shape[: axis % p.ndim] + p.shape[axis % p.ndim + 1 :]
    ignore_index = check_ignore_index(ignore_index)
    ignored = None
    if ignore_index is not None:
        raw = as_array(y_true, "y_true")
        ignored = raw == ignore_index
        check_labels(raw[~ignored], "y_true", p.shape[axis])  # the labels that count
        y_true = np.where(ignored, 0, raw)  # any valid label: its loss is replaced by 0
    labels = check_labels(y_true, "y_true", p.shape[axis])
    if labels.shape != expected:
        raise ValueError(
            f"y_true: shape {labels.shape} does not match y_pred shape {p.shape}"
            f" without axis {axis}, which is {expected} (one integer label per sample)"
        )
    if from_logits:
        log_p = _log_softmax(p, axis)
    else:
        check_distribution(p, "y_pred", axis)
        with np.errstate(divide="ignore"):
            log_p = np.log(p)  # -inf where p = 0
    picked = np.take_along_axis(log_p, np.expand_dims(labels, axis), axis=axis)
    loss = -np.squeeze(picked, axis=axis)
    return reduced(loss if ignored is None else np.where(ignored, 0.0, loss))


def binary_crossentropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    epsilon: float | None = None,
    pos_weight: npt.ArrayLike | None = None,
    axis: int = -1,
) -> Result:
    """Binary cross-entropy BCE = mean_i -[y_i log p_i + (1 - y_i) log(1 - p_i)].

    ``y_true`` holds targets in [0, 1]; ``y_pred`` probabilities in [0, 1], or
    logits z if ``from_logits=True``, where the stable log-sigmoid form
    max(z, 0) - z y + log(1 + exp(-|z|)) is used.  ``label_smoothing`` ε
    replaces y by y (1 - ε) + ε / 2, as Keras does.  With ``epsilon=None`` the
    result is exact; ``epsilon=1e-7`` reproduces Keras by clipping p to
    [ε, 1 - ε].  Natural log.  Averages over ``axis``, as Keras does; returns
    one loss per sample (a NumPy scalar for 1-D input).

    ``pos_weight`` w ≥ 0 (one number, or one per output along ``axis``)
    multiplies the positive term only: -[w y log p + (1 - y) log(1 - p)], as
    PyTorch's ``BCEWithLogitsLoss(pos_weight=w)`` and TensorFlow's
    ``tf.nn.weighted_cross_entropy_with_logits`` do; w = 1 is the plain loss.
    From logits it is -[w y log σ(z) + (1 - y) log σ(-z)], with
    -log σ(±z) = max(∓z, 0) + log(1 + exp(-|z|)): non-negative terms, no
    overflow, no cancellation.

    Derived in chapter 6, Binary and sparse cross-entropy, label smoothing and focal loss
    (chapters/06_classification_losses.ipynb); ``pos_weight`` in chapter 10.
    """
    label_smoothing = check_label_smoothing(label_smoothing)
    epsilon = check_epsilon(epsilon, from_logits)
    y, p = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axis = check_axis(p, axis, "y_pred")
    check_probabilities(y, "y_true")
    if label_smoothing:
        y = y * (1 - label_smoothing) + label_smoothing / 2
    y_pos = y if pos_weight is None else _per_output(pos_weight, p, axis) * y  # w y
    if from_logits:
        z = p
        if pos_weight is None:
            loss = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
        else:
            loss = -(y_pos * _log_sigmoid(z) + (1 - y) * _log_sigmoid(-z))  # -log σ(±z) ≥ 0
        return reduced(np.mean(loss, axis=axis))
    check_probabilities(p, "y_pred")
    if epsilon is not None:
        p = np.clip(p, epsilon, 1 - epsilon)
    return reduced(np.mean(-(xlogy(y_pos, p) + xlog1py(1 - y, -p)), axis=axis))


def _per_output(pos_weight: npt.ArrayLike, p: FloatArray, axis: int) -> FloatArray:
    """``pos_weight`` as an array in p's dtype that broadcasts along ``axis`` of ``p``."""
    w = as_float(pos_weight, "pos_weight")
    k = p.shape[axis]
    if w.shape not in ((), (k,)):
        raise ValueError(
            f"pos_weight: shape {w.shape} must be () or ({k},), one weight per output"
            f" along axis {axis} of y_pred shape {p.shape}"
        )
    check_weights(w, "pos_weight")
    trailing = p.ndim - 1 - axis % p.ndim  # the axes after ``axis``
    return w.astype(p.dtype).reshape(w.shape + (1,) * (trailing if w.ndim else 0))


def _log_sigmoid(z: FloatArray) -> FloatArray:
    """log σ(z) = min(z, 0) - log1p(exp(-|z|)): finite, and exact for tiny losses, for any z."""
    out: FloatArray = np.minimum(z, 0) - np.log1p(np.exp(-np.abs(z)))
    return out


def binary_focal_crossentropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    epsilon: float | None = None,
    axis: int = -1,
) -> Result:
    """Binary focal cross-entropy = mean_i α_t (1 - q_t)^γ BCE(y_i, q_i), q_t = P(target).

    Keras's ``binary_focal_crossentropy``, with its arguments and defaults:
    the binary cross-entropy of each output, times the focal factor
    (1 - q_t)^γ, where q_t = y q + (1 - y)(1 - q) is the probability given to
    the target; with ``apply_class_balancing=True`` also times
    α_t = α y + (1 - α)(1 - y) (by default there is no α at all).
    ``label_smoothing`` s replaces y by y (1 - s) + s / 2 first, everywhere.
    ``y_pred`` holds probabilities, or logits z if ``from_logits=True``; then
    log q = log σ(z), log(1 - q) = log σ(-z), and 1 - q_t comes from σ(-z)
    and σ(z) directly, so the loss stays exact for confident outputs either
    way.  With ``epsilon=None`` the result is exact; ``epsilon=1e-7``
    reproduces Keras on probabilities: the cross-entropy term clips q to
    [ε, 1 - ε] (the focal factor does not).  Natural log.
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 6, Binary and sparse cross-entropy, label smoothing and focal loss
    (chapters/06_classification_losses.ipynb).
    """
    label_smoothing = check_label_smoothing(label_smoothing)
    alpha = check_parameter(alpha, "alpha", high=1.0)
    gamma = check_parameter(gamma, "gamma")
    epsilon = check_epsilon(epsilon, from_logits)
    y, q = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axis = check_axis(q, axis, "y_pred")
    check_probabilities(y, "y_true")
    if label_smoothing:
        y = y * (1 - label_smoothing) + label_smoothing / 2
    if from_logits:
        log_q, log_1mq = _log_sigmoid(q), _log_sigmoid(-q)  # q holds the logits z here
        bce = -(y * log_q + (1 - y) * log_1mq)
        miss = y * np.exp(log_1mq) + (1 - y) * np.exp(log_q)  # 1 - q_t
    else:
        check_probabilities(q, "y_pred")
        miss = y * (1 - q) + (1 - y) * q
        if epsilon is not None:
            q = np.clip(q, epsilon, 1 - epsilon)
        bce = -(xlogy(y, q) + xlog1py(1 - y, -q))
    loss = miss**gamma * bce
    if apply_class_balancing:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return reduced(np.mean(loss, axis=axis))


def categorical_focal_crossentropy(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    alpha: float | npt.ArrayLike = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    epsilon: float | None = None,
    axis: int = -1,
) -> Result:
    """Categorical focal cross-entropy = -Σ_k α_k (1 - q_k)^γ y_k log q_k.

    Keras's ``categorical_focal_crossentropy``, with its arguments and
    defaults: ``alpha`` is one weight for every class (so a scalar only
    rescales the loss) or a sequence of K, one per class along ``axis``.
    ``y_true`` holds target distributions (one-hot or soft);
    ``label_smoothing`` s replaces y by y (1 - s) + s / K first.  ``y_pred``
    holds probabilities, or logits if ``from_logits=True``; then log q is
    log_softmax(z) and 1 - q = -expm1(log q), so nothing is clipped and a
    confident mistake keeps its exact loss and gradient (Keras 3 applies a
    softmax and clips, even from logits).  With ``epsilon=None`` the result
    is exact (+inf where y_k > 0 = q_k); ``epsilon=1e-7`` reproduces Keras on
    probabilities: q is divided by its sum along ``axis`` and clipped to
    [ε, 1 - ε], in the logarithm and in the focal factor.  Natural log.
    Conventions: argument order (y_true, y_pred); sums over ``axis``; returns
    one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 6, Binary and sparse cross-entropy, label smoothing and focal loss
    (chapters/06_classification_losses.ipynb).
    """
    label_smoothing = check_label_smoothing(label_smoothing)
    gamma = check_parameter(gamma, "gamma")
    epsilon = check_epsilon(epsilon, from_logits)
    y, q = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axis = check_axis(q, axis, "y_pred")
    check_distribution(y, "y_true", axis)
    a = _class_weights(alpha, q, axis)
    if label_smoothing:
        y = y * (1 - label_smoothing) + label_smoothing / y.shape[axis]
    if from_logits:
        log_q = _log_softmax(q, axis)  # q holds the logits z here
        ce = x_times(y, log_q)  # 0 · (-inf) counts as 0
        miss = -np.expm1(log_q)  # 1 - q_k, accurate also when q_k is close to 1
    else:
        check_distribution(q, "y_pred", axis)
        if epsilon is not None:
            q = np.clip(q / sum_along(q, axis, keepdims=True), epsilon, 1 - epsilon)
        ce, miss = xlogy(y, q), 1 - q
    return reduced(-sum_along(a * miss**gamma * ce, axis))


def _class_weights(alpha: float | npt.ArrayLike, q: FloatArray, axis: int) -> FloatArray:
    """α as an array that broadcasts along ``axis``: a scalar, or one weight >= 0 per class."""
    a = as_float(alpha, "alpha").astype(q.dtype)
    if a.ndim == 0:
        check_parameter(float(a), "alpha")
        return a
    if a.shape != (q.shape[axis],):
        raise ValueError(
            f"alpha: must be a number or one weight per class, {q.shape[axis]} of them,"
            f" got shape {a.shape}"
        )
    if np.any(a < 0):
        raise ValueError(f"alpha: weights must be >= 0, got {a.min()}")
    shape = [1] * q.ndim
    shape[axis] = q.shape[axis]
    return a.reshape(shape)


def categorical_generalized_cross_entropy(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, q: float, axis: int = -1
) -> Result:
    """Generalized cross-entropy GCE = (1 - P^q) / q, P = the y_pred of the true class.

    Zhang and Sabuncu's loss for noisy labels, with Keras's arguments:
    ``y_true`` holds integer labels in [0, K), with the shape of ``y_pred``
    without ``axis``; ``y_pred`` holds probabilities along ``axis``.  Computed
    as -expm1(-q · CE) / q from CE = sparse_categorical_crossentropy, which is
    the same number, exact also for small q and P near 1, and shows the
    limits: CE as q -> 0; 1 - P at q = 1 (half the L1 distance between the
    one-hot target and y_pred, or K/2 times their MAE).  Bounded by 1/q, which
    it reaches at P = 0.  ``q`` must lie in (0, 1] (Keras's loss class takes
    (0, 1), its function any q).  Natural log in CE; no clipping.
    Conventions: argument order (y_true, y_pred); reduces over ``axis``;
    returns one value per sample (a NumPy scalar for one sample).

    Derived in chapter 12, Proper scoring rules and calibration
    (chapters/12_scoring_calibration.ipynb).
    """
    q = check_gce_q(q)
    ce = sparse_categorical_crossentropy(y_true, y_pred, axis=axis)
    return reduced(-np.expm1(-q * ce) / q)
