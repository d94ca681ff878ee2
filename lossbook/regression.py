"""Regression losses: mean squared error, mean absolute error and Huber.

Like Keras, each returns one loss per sample: the mean over ``axis`` (default:
the last one) of an elementwise penalty on the error e = y_pred - y_true.
``y_true`` and ``y_pred`` must have exactly the same shape.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._validation import FloatArray, Result, as_float_pair, check_axis, check_delta, reduced


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


mse = mean_squared_error
mae = mean_absolute_error
