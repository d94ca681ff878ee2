"""Private input checks shared by every lossbook function.

Each check raises ``ValueError`` with a message that starts with the name of
the offending argument, e.g. ``"y_pred: shape (4, 1) does not match y_true
shape (4,)"``.  Nothing is broadcast silently.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.floating[Any]]
Result = FloatArray | np.floating[Any]


def reduced(x: Any) -> Result:
    """A reduction's result: an array, or a NumPy scalar when 0-d; -0.0 becomes 0.0."""
    out: Result = np.asarray(x + 0.0)[()]
    return out


def as_array(x: npt.ArrayLike, name: str) -> npt.NDArray[Any]:
    """Convert ``x`` to an array of real numbers (bool, integer or floating)."""
    try:
        a = np.asarray(x)
    except (ValueError, TypeError) as err:  # ragged lists and the like
        raise ValueError(f"{name}: cannot be converted to an array ({err})") from None
    if a.dtype.kind not in "biuf":
        raise ValueError(f"{name}: expected real numbers, got dtype {a.dtype}")
    if a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        raise ValueError(f"{name}: contains NaN or inf")
    return a


def sum_along(x: FloatArray, axis: int, keepdims: bool = False) -> FloatArray:
    """``np.sum(x, axis=axis, keepdims=keepdims)``, computed with ``np.einsum`` for speed.

    The same sum up to rounding, but faster when ``axis`` is short and the
    rows many (a million rows of K = 10 classes): ``np.sum`` restarts its
    inner loop for every row, ``einsum`` runs across the rows.  The gap is
    measured in the benchmarks appendix (chapters/a4_benchmarks.md,
    "Benchmarks").
    """
    s: FloatArray = np.einsum("...k->...", np.moveaxis(x, axis, -1))
    return np.expand_dims(s, axis) if keepdims else s


def float_dtype(*arrays: npt.NDArray[Any]) -> np.dtype[Any]:
    """The floating dtype to compute in: the least precise floating one, float64 if none.

    Computing in the least precise dtype never pretends to more precision than
    the data has, so float32 probabilities promoted to float64 are not judged
    by the float64 tolerance.  The one exception is float16, computed (and
    returned) in float32, as mixed-precision training computes its losses:
    float16's exp overflows above 11.09, and a loss of 7e4 would be inf
    (chapter 19, Low precision, chapters/19_low_precision.ipynb).
    """
    floats = [
        a.dtype if a.dtype.itemsize >= 4 else np.dtype(np.float32)
        for a in arrays
        if a.dtype.kind == "f"
    ]
    return min(floats, key=lambda d: d.itemsize) if floats else np.dtype(np.float64)


def as_float(x: npt.ArrayLike, name: str) -> FloatArray:
    """A single finite floating array (bool and integer input become float64)."""
    a = as_array(x, name)
    return a.astype(float_dtype(a), copy=False)


def as_float_pair(
    a: npt.ArrayLike, b: npt.ArrayLike, names: tuple[str, str]
) -> tuple[FloatArray, FloatArray]:
    """Two finite floating arrays of exactly the same shape and a common dtype.

    Floating NumPy arrays keep their dtype: float32 stays float32, also next to
    float64.  Python lists and numbers, and bool or integer arrays, adopt the
    dtype of a floating NumPy partner (as Keras casts y_true to the dtype of
    y_pred); without one, they compute in float64.
    """
    x, y = as_array(a, names[0]), as_array(b, names[1])
    if x.shape != y.shape:
        raise ValueError(
            f"{names[1]}: shape {y.shape} does not match {names[0]} shape {x.shape}"
            " (shapes must match exactly; nothing is broadcast)"
        )
    arrays = [arr for raw, arr in ((a, x), (b, y)) if isinstance(raw, np.ndarray | np.generic)]
    dtype = (
        float_dtype(*arrays) if any(arr.dtype.kind == "f" for arr in arrays) else float_dtype(x, y)
    )
    return x.astype(dtype, copy=False), y.astype(dtype, copy=False)


def check_axis(x: npt.NDArray[Any], axis: int, name: str) -> int:
    """Check that ``axis`` is an int naming a non-empty axis of ``x``."""
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer):
        raise ValueError(f"axis: must be an int, got {axis!r}")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis: {axis} is out of range for {name} with shape {x.shape}")
    if x.shape[axis] == 0:
        raise ValueError(f"{name}: axis {axis} is empty (shape {x.shape})")
    return int(axis)


def check_nonnegative(p: FloatArray, name: str) -> None:
    """Check that every entry is >= 0."""
    if np.any(p < 0):
        raise ValueError(f"{name}: probabilities must be >= 0, got min {np.min(p)}")


def check_probabilities(p: FloatArray, name: str) -> None:
    """Check that every entry lies in [0, 1]."""
    check_nonnegative(p, name)
    if np.any(p > 1):
        raise ValueError(f"{name}: probabilities must be <= 1, got max {np.max(p)}")


def sum_tolerance(dtype: np.dtype[Any], k: int) -> float:
    """How far a sum of ``k`` probabilities may drift from 1 by rounding alone.

    ``k`` times ten units in the last place, but never tighter than ``k * 1e-9``:
    about ``1.2e-6 * k`` for float32 (so float32 softmax output passes) and
    ``1e-9 * k`` for float64.
    """
    return k * max(10 * float(np.finfo(dtype).eps), 1e-9)


def check_distribution(p: FloatArray, name: str, axis: int) -> None:
    """Check that ``p`` holds probability distributions along ``axis``.

    Entries that are >= 0 and sum to 1 are also <= 1, so valid input needs no
    upper check; it runs only to explain a failure.
    """
    check_nonnegative(p, name)
    k = p.shape[axis]
    err = np.abs(sum_along(p, axis) - 1)
    tol = sum_tolerance(p.dtype, k)
    if np.any(err > tol):
        check_probabilities(p, name)  # an entry > 1 is the clearer message
        raise ValueError(
            f"{name}: probabilities along axis {axis} must sum to 1"
            f" (within {tol:.1e}), but one sum is off by {np.max(err):.3g}"
        )


def check_weights(w: FloatArray, name: str) -> None:
    """Check that every weight is >= 0 (finite already: ``as_float`` checks that)."""
    if np.any(w < 0):
        raise ValueError(f"{name}: must be >= 0, got min {np.min(w)}")


def check_ignore_index(ignore_index: int | None) -> int | None:
    """Check the label to ignore: None, or an int (any int: -100, 255, or a class)."""
    if ignore_index is None:
        return None
    if isinstance(ignore_index, bool) or not isinstance(ignore_index, int | np.integer):
        raise ValueError(f"ignore_index: must be an int or None, got {ignore_index!r}")
    return int(ignore_index)


def check_labels(y: npt.ArrayLike, name: str, k: int) -> npt.NDArray[np.intp]:
    """Check integer class labels in [0, k) and return them as ``intp``."""
    a = as_array(y, name)
    if a.dtype.kind == "f" and np.any(a != np.round(a)):
        raise ValueError(f"{name}: labels must be integers, got {a[a != np.round(a)][0]}")
    if np.any(a < 0) or np.any(a >= k):
        raise ValueError(f"{name}: labels must lie in [0, {k}), got {a.min()}..{a.max()}")
    return a.astype(np.intp)


def check_base(base: float) -> float:
    """Return ln(base), checking that the logarithm base is finite, > 0 and != 1."""
    if not (isinstance(base, int | float | np.integer | np.floating)):
        raise ValueError(f"base: must be a real number, got {base!r}")
    if not math.isfinite(base) or base <= 0 or base == 1:
        raise ValueError(f"base: must be finite, > 0 and != 1, got {base}")
    return math.log(base)


def check_label_smoothing(label_smoothing: float) -> float:
    """Check that ``label_smoothing`` lies in [0, 1]."""
    if not 0 <= label_smoothing <= 1:  # also rejects NaN
        raise ValueError(f"label_smoothing: must lie in [0, 1], got {label_smoothing}")
    return float(label_smoothing)


def check_epsilon(epsilon: float | None, from_logits: bool) -> float | None:
    """Check the Keras-style clipping constant: None, or a number in (0, 0.5)."""
    if epsilon is None:
        return None
    if from_logits:
        raise ValueError("epsilon: clipping applies to probabilities, not with from_logits=True")
    if not 0 < epsilon < 0.5:  # also rejects NaN
        raise ValueError(f"epsilon: must lie in (0, 0.5), got {epsilon}")
    return float(epsilon)


def check_delta(delta: float) -> float:
    """Check the Huber threshold: finite and > 0."""
    if not (0 < delta < math.inf):  # also rejects NaN
        raise ValueError(f"delta: must be finite and > 0, got {delta}")
    return float(delta)


def check_parameter(value: float, name: str, *, low: float = 0.0, high: float = math.inf) -> float:
    """Check a real, finite scalar parameter in [low, high] (a margin, gamma, alpha)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name}: must be a real number, got {value!r}")
    if not (math.isfinite(value) and low <= value <= high):  # also rejects NaN
        where = f"be finite and >= {low:g}" if high == math.inf else f"lie in [{low:g}, {high:g}]"
        raise ValueError(f"{name}: must {where}, got {value}")
    return float(value)


def check_signs(y: FloatArray, name: str, *, zero_one: bool = False) -> FloatArray:
    """Check labels in {-1, 1} and return them.

    With ``zero_one``, labels that are all 0 or 1 are accepted too and returned
    as 2y - 1, which is Keras's conversion for the hinge losses; -1 and 0 in
    the same array are a mistake either way.
    """
    signs = (y == 1) | (y == -1)
    if np.all(signs):
        return y
    if zero_one and np.all((y == 0) | (y == 1)):
        converted: FloatArray = 2 * y - 1
        return converted
    also = ", or all 0 or 1 (converted to -1 and 1)" if zero_one else ""
    raise ValueError(f"{name}: labels must be -1 or 1{also}, got {y[~signs][0]}")


def check_labels_for(y: npt.ArrayLike, y_pred: npt.NDArray[Any], axis: int) -> npt.NDArray[np.intp]:
    """Integer labels for ``y_pred``: in [0, K), K = y_pred.shape[axis], one per sample.

    The labels' shape must be ``y_pred``'s without ``axis`` (so (b, 1) labels for a
    (b, K) ``y_pred`` raise instead of broadcasting).
    """
    labels = check_labels(y, "y_true", y_pred.shape[axis])
    expected = y_pred.shape[: axis % y_pred.ndim] + y_pred.shape[axis % y_pred.ndim + 1 :]
    if labels.shape != expected:
        raise ValueError(
            f"y_true: shape {labels.shape} does not match y_pred shape {y_pred.shape}"
            f" without axis {axis}, which is {expected} (one integer label per sample)"
        )
    return labels


def check_gce_q(q: float) -> float:
    """Check the exponent q of the generalized cross-entropy: 0 < q <= 1."""
    if not (isinstance(q, int | float | np.integer | np.floating)) or isinstance(q, bool):
        raise ValueError(f"q: must be a real number, got {q!r}")
    if not 0 < q <= 1:  # also rejects NaN
        raise ValueError(f"q: must lie in (0, 1], got {q}")
    return float(q)


def check_n_bins(n_bins: int) -> int:
    """Check a number of bins: an int >= 1."""
    if isinstance(n_bins, bool) or not isinstance(n_bins, int | np.integer) or n_bins < 1:
        raise ValueError(f"n_bins: must be an int >= 1, got {n_bins!r}")
    return int(n_bins)


def check_axes(
    x: npt.NDArray[Any], axis: int | tuple[int, ...] | None, name: str
) -> tuple[int, ...]:
    """Check ``axis`` (None for every axis, an int, or a tuple of distinct ints) against ``x``.

    Returns the axes as a tuple of non-negative ints; each must name a
    non-empty axis of ``x``.
    """
    if axis is None:
        axes: tuple[Any, ...] = tuple(range(x.ndim))
    else:
        axes = axis if isinstance(axis, tuple) else (axis,)
    for a in axes:
        if isinstance(a, bool) or not isinstance(a, int | np.integer):
            raise ValueError(f"axis: must be None, an int or a tuple of ints, got {axis!r}")
        if not -x.ndim <= a < x.ndim:
            raise ValueError(f"axis: {a} is out of range for {name} with shape {x.shape}")
    out = tuple(sorted(int(a) % x.ndim for a in axes))
    if len(set(out)) != len(out):
        raise ValueError(f"axis: {axis!r} names an axis twice")
    for a in out:
        if x.shape[a] == 0:
            raise ValueError(f"{name}: axis {a} is empty (shape {x.shape})")
    return out


def check_above(x: FloatArray, name: str, low: float, why: str = "") -> None:
    """Check that every entry is > ``low`` (log(1 + y) in the MSLE needs y > -1)."""
    if np.any(x <= low):
        raise ValueError(f"{name}: must be > {low:g}{why}, got min {np.min(x)}")


def check_open(value: float, name: str, *, low: float = 0.0, high: float = math.inf) -> float:
    """Check a real scalar strictly between ``low`` and ``high`` (an eps > 0, a quantile q)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{name}: must be a real number, got {value!r}")
    if not low < value < high:  # also rejects NaN
        where = f"be finite and > {low:g}" if high == math.inf else f"lie in ({low:g}, {high:g})"
        raise ValueError(f"{name}: must {where}, got {value}")
    return float(value)


def check_zero_one(y: FloatArray, name: str) -> FloatArray:
    """Check pair labels in {0, 1} (1 similar, 0 dissimilar) and return them."""
    ok = (y == 0) | (y == 1)
    if not np.all(ok):
        raise ValueError(f"{name}: labels must be 0 or 1, got {y[~ok][0]}")
    return y


def check_matrix(x: npt.NDArray[Any], name: str) -> None:
    """Check a batch of row vectors: 2-D, (b, d), with b >= 1 and d >= 1."""
    if x.ndim != 2 or 0 in x.shape:
        raise ValueError(
            f"{name}: must be 2-D with one row per sample, (b, d) with b, d >= 1,"
            f" got shape {x.shape}"
        )


def check_unit_rows(x: FloatArray, name: str) -> None:
    """Check that every row of a (b, d) array has unit L2 norm, to rounding (``sum_tolerance``)."""
    with np.errstate(over="ignore"):
        err = np.abs(sum_along(x * x, -1) - 1)
    tol = sum_tolerance(x.dtype, x.shape[-1])
    if np.any(err > tol):
        raise ValueError(
            f"{name}: rows must be L2-normalized (squared norm 1 within {tol:.1e}),"
            f" but one squared norm is off by {np.max(err):.3g}"
        )


def check_group_labels(y: npt.ArrayLike, name: str, b: int) -> npt.NDArray[np.intp]:
    """Integer class labels, one per row of a batch of b embeddings: shape (b,), any integers.

    Only equality matters (same class or not), so the labels need not lie in [0, K).
    """
    a = as_array(y, name)
    if a.dtype.kind == "f" and np.any(a != np.round(a)):
        raise ValueError(f"{name}: labels must be integers, got {a[a != np.round(a)][0]}")
    if a.shape != (b,):
        raise ValueError(
            f"{name}: shape {a.shape} does not match the {b} rows of the embeddings"
            f" (one integer label per row, shape ({b},))"
        )
    return a.astype(np.intp)
