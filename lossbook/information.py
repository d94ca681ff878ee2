"""Entropy, KL divergence and cross-entropy of discrete distributions.

All three reduce over ``axis`` (default: the last one) and measure in nats by
default; pass ``base=2`` for bits.  Inputs must be probability distributions
along ``axis``: entries in [0, 1] that sum to 1.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ._validation import (
    FloatArray,
    Result,
    as_float,
    as_float_pair,
    check_axis,
    check_base,
    check_distribution,
    reduced,
    sum_along,
)


def x_times(x: FloatArray, log_y: FloatArray) -> FloatArray:
    """x · log_y elementwise, with 0 · (-inf) = 0: the convention 0 · log 0 = 0.

    Floating point makes 0 · (-inf) NaN.  Every input is checked to be finite
    first, so each NaN here is such a term, and it is set to 0.  (A product and
    one pass to mend the NaNs is faster than taking the log only where x != 0.)
    """
    with np.errstate(invalid="ignore"):
        out = x * log_y
    out[np.isnan(out)] = 0.0
    return out


def xlogy(x: FloatArray, y: FloatArray) -> FloatArray:
    """x · log y elementwise, with 0 wherever x = 0 (so 0 · log 0 = 0); -inf where x > 0 = y."""
    with np.errstate(divide="ignore"):
        return x_times(x, np.log(y))


def xlog1py(x: FloatArray, y: FloatArray) -> FloatArray:
    """x · log(1 + y) elementwise via log1p, exact even for tiny y; 0 wherever x = 0."""
    with np.errstate(divide="ignore"):
        return x_times(x, np.log1p(y))


def _distributions(p: npt.ArrayLike, q: npt.ArrayLike, axis: int) -> tuple[FloatArray, FloatArray]:
    p_, q_ = as_float_pair(p, q, ("p", "q"))
    check_axis(p_, axis, "p")
    check_distribution(p_, "p", axis)
    check_distribution(q_, "q", axis)
    return p_, q_


def entropy(p: npt.ArrayLike, *, base: float = math.e, axis: int = -1) -> Result:
    """Shannon entropy H(p) = -Σ_i p_i log p_i, with 0 · log 0 = 0.

    Conventions: logarithm to ``base`` (e, nats, by default; 2 gives bits);
    sums over ``axis``; returns one entropy per distribution (a NumPy scalar
    for 1-D input).  ``p`` must be a distribution along ``axis``.

    Derived in chapter 2, Entropy (chapters/02_entropy.ipynb).
    """
    ln_base = check_base(base)
    p_ = as_float(p, "p")
    check_axis(p_, axis, "p")
    check_distribution(p_, "p", axis)
    h = -sum_along(xlogy(p_, p_), axis)
    return reduced(h / ln_base)


def kl_divergence(
    p: npt.ArrayLike, q: npt.ArrayLike, *, base: float = math.e, axis: int = -1
) -> Result:
    """Kullback-Leibler divergence D_KL(p‖q) = Σ_i p_i log(p_i / q_i).

    Terms with p_i = 0 contribute 0; a term with p_i > 0 and q_i = 0 makes the
    divergence +inf.  Conventions: logarithm to ``base`` (nats by default, 2
    for bits); sums over ``axis``; returns one divergence per pair of
    distributions (a NumPy scalar for 1-D input).  Not symmetric in p and q.

    Derived in chapter 3, KL divergence (chapters/03_kl_divergence.ipynb).
    """
    ln_base = check_base(base)
    p_, q_ = _distributions(p, q, axis)
    d = sum_along(xlogy(p_, p_) - xlogy(p_, q_), axis)  # p (log p - log q)
    return reduced(d / ln_base)


def cross_entropy(
    p: npt.ArrayLike, q: npt.ArrayLike, *, base: float = math.e, axis: int = -1
) -> Result:
    """Cross-entropy H(p, q) = -Σ_i p_i log q_i = H(p) + D_KL(p‖q).

    Terms with p_i = 0 contribute 0; +inf where p_i > 0 and q_i = 0.
    Conventions: ``p`` is the true distribution, ``q`` the model's; logarithm
    to ``base`` (nats by default, 2 for bits); sums over ``axis``; returns one
    value per pair (a NumPy scalar for 1-D input).

    Derived in chapter 4, Cross-entropy (chapters/04_cross_entropy.ipynb).
    """
    ln_base = check_base(base)
    p_, q_ = _distributions(p, q, axis)
    h = -sum_along(xlogy(p_, q_), axis)
    return reduced(h / ln_base)
