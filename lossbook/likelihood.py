"""Losses as negative log-likelihoods: the Gaussian with a learned variance, and the Poisson.

Each loss is the negative log-likelihood of a noise model, per output, with
the constants that do not depend on the prediction dropped unless ``full``
asks for them, and averaged over ``axis`` (default: the last one) to one value
per sample.  The argument order is (y_true, y_pred), as everywhere in
lossbook: PyTorch's ``gaussian_nll_loss`` and ``poisson_nll_loss`` take
(input, target), the prediction first.  Names follow Keras (``poisson``) or
PyTorch's functional API without ``_loss`` (``gaussian_nll``, ``poisson_nll``).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ._validation import (
    FloatArray,
    Result,
    as_array,
    as_float_pair,
    check_axis,
    check_epsilon,
    check_open,
    check_weights,
    float_dtype,
    reduced,
)
from .information import xlogy


def _variances(var: npt.ArrayLike, e: FloatArray, axis: int) -> tuple[FloatArray, FloatArray]:
    """The variances for the errors ``e``, and ``e``, in their common dtype.

    One variance per output (the shape of ``e``), one per sample (that shape
    with 1 along ``axis``, shared by the sample's outputs) or one scalar.
    """
    v = as_array(var, "var")
    per_sample = e.shape[: axis % e.ndim] + (1,) + e.shape[axis % e.ndim + 1 :]
    if v.shape not in (e.shape, per_sample, ()):
        raise ValueError(
            f"var: shape {v.shape} does not match y_pred shape {e.shape}"
            f" (one variance per output, {per_sample} for one per sample, or a scalar)"
        )
    check_weights(v, "var")
    floating = isinstance(var, np.ndarray | np.generic) and v.dtype.kind == "f"
    dtype = float_dtype(e, v) if floating else e.dtype
    return v.astype(dtype, copy=False), e.astype(dtype, copy=False)


def gaussian_nll(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    var: npt.ArrayLike,
    *,
    full: bool = False,
    eps: float = 1e-6,
    axis: int = -1,
) -> Result:
    """Gaussian NLL = mean_i ½ (log v_i + (y_pred_i - y_true_i)² / v_i), v = max(var, eps).

    The negative log-density of y_true under N(y_pred, var), without its
    constant ½ log 2π unless ``full=True``; as PyTorch's
    ``F.gaussian_nll_loss(input, target, var, full, eps)``, which also clamps
    the variances below at ``eps`` (default 1e-6) so that a variance of 0 gives
    a finite loss.  ``var`` >= 0 holds one variance per output, one per sample
    (the shape of ``y_pred`` with 1 along ``axis``) or one scalar; ``eps`` > 0.
    Conventions: argument order (y_true, y_pred, var); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 9, Losses as likelihoods (chapters/09_likelihood_losses.ipynb).
    """
    t, o = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axis = check_axis(o, axis, "y_pred")
    eps = check_open(eps, "eps")
    v, e = _variances(var, o - t, axis)
    v = np.maximum(v, eps)
    nll = 0.5 * (np.log(v) + e**2 / v)
    if full:
        nll = nll + 0.5 * math.log(2 * math.pi)
    return reduced(np.mean(nll, axis=axis))


def _counts_and_rates(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, axis: int, rates: bool
) -> tuple[FloatArray, FloatArray]:
    """Counts y >= 0 and predictions (rates μ >= 0 if ``rates``, else any log-rate)."""
    y, o = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    check_axis(o, axis, "y_pred")
    check_weights(y, "y_true")
    if rates:
        check_weights(o, "y_pred")
    return y, o


def poisson(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    epsilon: float | None = None,
    axis: int = -1,
) -> Result:
    """Poisson loss = mean_i (y_pred_i - y_true_i log y_pred_i), the Poisson NLL without log y!.

    ``y_pred`` holds rates μ >= 0, ``y_true`` counts y >= 0 (not necessarily
    integers).  Exact by default, with 0 log 0 = 0: a rate of 0 costs 0 where
    y = 0 and inf where y > 0.  ``epsilon=1e-7`` reproduces Keras's
    ``poisson``, y_pred - y_true log(y_pred + ε).
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 9, Losses as likelihoods (chapters/09_likelihood_losses.ipynb).
    """
    y, mu = _counts_and_rates(y_true, y_pred, axis, rates=True)
    eps = check_epsilon(epsilon, from_logits=False)
    log_term = xlogy(y, mu) if eps is None else y * np.log(mu + eps)
    return reduced(np.mean(mu - log_term, axis=axis))


def poisson_nll(
    y_true: npt.ArrayLike,
    y_pred: npt.ArrayLike,
    *,
    log_input: bool = True,
    full: bool = False,
    axis: int = -1,
) -> Result:
    """Poisson NLL = mean_i (exp(y_pred_i) - y_true_i y_pred_i), y_pred the log-rate (log_input).

    PyTorch's ``F.poisson_nll_loss(input, target, log_input, full)``.  With
    ``log_input=True`` (the default) ``y_pred`` is the log-rate o = log μ,
    any real, and the loss exp(o) - y o needs no logarithm; with
    ``log_input=False`` it is the rate μ >= 0 and the loss is ``poisson``'s
    μ - y log μ, exact (PyTorch adds 1e-8 inside the log).  ``full=True``
    adds PyTorch's Stirling approximation of log y!, y log y - y + ½ log(2π y),
    where y > 1 (and 0 where y <= 1); it errs by about 1/(12 y).  There the sum
    is computed as y (r - 1 - log r) + ½ log(2π y), with r = μ / y: the same
    number, but without the cancellation between terms of size y log y that
    costs PyTorch's sum its digits for large counts.
    ``y_true`` holds counts y >= 0.
    Conventions: argument order (y_true, y_pred); averages over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 9, Losses as likelihoods (chapters/09_likelihood_losses.ipynb).
    """
    y, o = _counts_and_rates(y_true, y_pred, axis, rates=not log_input)
    nll = np.exp(o) - y * o if log_input else o - xlogy(y, o)  # or poisson's μ - y log μ
    if full:  # where y > 1: nll + y log y - y + ½ log(2π y), in a form that does not cancel
        big = np.where(y > 1, y, 2)  # any value > 1 where y <= 1: no log of 0
        with np.errstate(divide="ignore"):  # a rate μ = 0: r - 1 - log r = inf, as it should
            if log_input:
                d = o - np.log(big)  # log r
                excess = np.expm1(d) - d  # r - 1 - log r
            else:
                r = o / big
                excess = (r - 1) - np.log(r)
        stirling = big * excess + 0.5 * np.log(2 * math.pi * big)
        nll = np.where(y > 1, stirling, nll)
    return reduced(np.mean(nll, axis=axis))
