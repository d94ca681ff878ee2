"""Regression losses: MSE, MAE, Huber, and the zoo around them.

The zoo: log-cosh, smooth L1 (PyTorch's Huber divided by its threshold), the
quantile (pinball) loss, and the relative-error losses MSLE and MAPE.

Like Keras, each returns one loss per sample: the mean over ``axis`` (default:
the last one) of an elementwise penalty on the error e = y_pred - y_true.
``y_true`` and ``y_pred`` must have exactly the same shape.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ._validation import (
    FloatArray,
    Result,
    as_float_pair,
    check_above,
    check_axis,
    check_delta,
    check_epsilon,
    check_open,
    check_parameter,
    reduced,
)


def _errors(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, axis: int) -> FloatArray:
    t, p = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    check_axis(p, axis, "y_pred")
    return p - t


def mean_squared_error(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Mean squared error MSE = mean_i (y_pred_i - y_true_i)².

    Conventions: argument order (y_true, y_pred) as in Keras; averages over
    ``axis``; returns one value per sample (a NumPy scalar for 1-D input).
    Shapes must match exactly: (b,) against (b, 1) raises ``ValueError``.

    Derived in chapter 1, Mean squared error (chapters/01_mse.ipynb).
    """
    e = _errors(y_true, y_pred, axis)
    return reduced(np.mean(np.square(e), axis=axis))


def mean_absolute_error(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Mean absolute error MAE = mean_i |y_pred_i - y_true_i|.

    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 7, Regression beyond MSE (chapters/07_regression_losses.ipynb).
    """
    e = _errors(y_true, y_pred, axis)
    return reduced(np.mean(np.abs(e), axis=axis))


def huber(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, delta: float = 1.0, axis: int = -1
) -> Result:
    """Huber loss: mean_i of ½ e_i² if |e_i| ≤ δ, else δ (|e_i| - ½ δ), with e = y_pred - y_true.

    Quadratic near zero, linear (slope δ) in the tails, as in Keras.
    Conventions: argument order (y_true, y_pred); ``delta`` > 0; averages over
    ``axis``; returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 7, Regression beyond MSE (chapters/07_regression_losses.ipynb).
    """
    delta = check_delta(delta)
    e = _errors(y_true, y_pred, axis)
    a = np.abs(e)
    return reduced(np.mean(np.where(a <= delta, 0.5 * e**2, delta * (a - 0.5 * delta)), axis=axis))


def log_cosh(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Log-cosh loss = mean_i log cosh(e_i), with e = y_pred - y_true.

    As Keras's ``logcosh``, but computed without overflow and without
    cancellation: log1p(2 sinh²(e/2)), since cosh e = 1 + 2 sinh²(e/2), for
    |e| < 40, and |e| - log 2 beyond, where the two agree to the last bit
    (log1p(exp(-2|e|)) is below 1e-34) and cosh(1e4) would overflow.  Both
    keep a few units in the last place: Keras's e + softplus(-2e) - log 2
    loses every digit for tiny errors, where the loss is about e²/2.
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 9, Losses as likelihoods (chapters/09_likelihood_losses.ipynb).
    """
    a = np.abs(_errors(y_true, y_pred, axis))
    near = np.log1p(2 * np.sinh(np.minimum(a, 40) / 2) ** 2)  # log cosh e, for |e| < 40
    return reduced(np.mean(np.where(a < 40, near, a - math.log(2)), axis=axis))


def smooth_l1(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, beta: float = 1.0, axis: int = -1
) -> Result:
    """Smooth L1 loss = huber(y_true, y_pred, delta=β) / β: mean_i of ½ e_i²/β or |e_i| - ½β.

    PyTorch's ``F.smooth_l1_loss(input, target, beta=β)``: the Huber loss with
    δ = β, divided by β, so its tails have slope 1 instead of δ.  As β → 0 it
    tends to the MAE (and ``beta=0`` is the MAE, as in PyTorch), while the Huber
    loss tends to 0 as δ → 0.  ``beta`` >= 0.
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 9, Losses as likelihoods (chapters/09_likelihood_losses.ipynb).
    """
    beta = check_parameter(beta, "beta")
    if beta == 0:
        return mean_absolute_error(y_true, y_pred, axis=axis)
    return reduced(huber(y_true, y_pred, delta=beta, axis=axis) / beta)


def quantile_loss(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, q: float, axis: int = -1
) -> Result:
    """Quantile (pinball) loss = mean_i max(q (y_true_i - y_pred_i), (q - 1)(y_true_i - y_pred_i)).

    An output below its target costs q per unit, one above it 1 - q, so the
    constant that minimizes the expected loss is the q-quantile of the target;
    q = 0.5 gives half the MAE.  ``q`` lies in (0, 1).  Neither Keras nor
    PyTorch has this loss.
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 9, Losses as likelihoods (chapters/09_likelihood_losses.ipynb).
    """
    q = check_open(q, "q", high=1.0)
    e = _errors(y_true, y_pred, axis)  # o - y
    return reduced(np.mean(np.maximum(-q * e, (1 - q) * e), axis=axis))


def mean_squared_logarithmic_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    epsilon: float | None = None,
    axis: int = -1,
) -> Result:
    """Mean squared logarithmic error MSLE = mean_i (log(1 + y_pred_i) - log(1 + y_true_i))².

    Exact by default, which needs every value > -1; the difference of the logs
    is computed as log1p((y_pred - y_true) / (1 + y_true)), which keeps its
    relative accuracy when the two are close.  ``epsilon=1e-7`` reproduces
    Keras's ``MSLE``, which first replaces every value below ε by ε, negative
    ones included, and so accepts any input.
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 9, Losses as likelihoods (chapters/09_likelihood_losses.ipynb).
    """
    t, p = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    check_axis(p, axis, "y_pred")
    eps = check_epsilon(epsilon, from_logits=False)
    if eps is None:
        why = " (log(1 + y) is undefined below; Keras clips values below 1e-7)"
        check_above(t, "y_true", -1.0, why)
        check_above(p, "y_pred", -1.0, why)
    else:
        t, p = np.maximum(t, eps), np.maximum(p, eps)
    with np.errstate(over="ignore"):  # a ratio beyond the largest float: see below
        ratio = (p - t) / (1 + t)  # (1 + o) / (1 + y) - 1
    d = np.where(np.isinf(ratio), np.log1p(p) - np.log1p(t), np.log1p(ratio))
    return reduced(np.mean(d**2, axis=axis))


def mean_absolute_percentage_error(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    epsilon: float | None = None,
    axis: int = -1,
) -> Result:
    """Mean absolute percentage error MAPE = 100 · mean_i |y_pred_i - y_true_i| / |y_true_i|.

    In percent, as Keras's ``MAPE``.  Exact by default, so every y_true must be
    nonzero; ``epsilon=1e-7`` reproduces Keras, which divides by
    max(|y_true|, ε) instead, and returns about 1e9 % for an error of 1 at
    y_true = 0.
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 9, Losses as likelihoods (chapters/09_likelihood_losses.ipynb).
    """
    t, p = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    check_axis(p, axis, "y_pred")
    eps = check_epsilon(epsilon, from_logits=False)
    if eps is None and np.any(t == 0):
        raise ValueError(
            "y_true: contains 0, and MAPE divides by |y_true|"
            " (epsilon=1e-7 divides by max(|y_true|, 1e-7), as Keras does)"
        )
    scale = np.abs(t) if eps is None else np.maximum(np.abs(t), eps)
    return reduced(100 * np.mean(np.abs(p - t) / scale, axis=axis))


mse = mean_squared_error
mae = mean_absolute_error
msle = mean_squared_logarithmic_error
mape = mean_absolute_percentage_error
