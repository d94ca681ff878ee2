"""Fast forms of lossbook functions that lossbook keeps in their readable form.

Each computes what its lossbook function computes, with the same input checks
and the same accuracy, but laid out for NumPy's speed rather than to read like
the formula.  They exist only to measure the gap (speed.GAPS); the book and
lossbook never use them.
"""

from __future__ import annotations

import numpy as np

from lossbook._validation import as_float_pair, check_distribution


def categorical_crossentropy_from_logits(y_true: np.ndarray, z: np.ndarray) -> np.ndarray:
    """lb.categorical_crossentropy(y_true, z, from_logits=True), on (K, N) copies.

    The same log-softmax as lossbook's, (z_i - m) - log1p(Σ_{j≠k} exp(z_j - m)),
    but with the classes first, so that every reduction runs across the N rows
    instead of along each short row.  The largest logit is found by comparing
    with the maximum (argmax along the first axis is not vectorized); tied
    maxima beyond the first are added back to the sum as exp(0) = 1 each.
    """
    y, z = as_float_pair(y_true, z, ("y_true", "y_pred"))
    check_distribution(y, "y_true", -1)
    yt, zt = np.ascontiguousarray(y.T), np.ascontiguousarray(z.T)
    with np.errstate(over="ignore"):  # a gap beyond the largest float is -inf; exp(-inf) = 0
        shifted = zt - zt.max(axis=0)
    rest = np.exp(shifted)
    top = shifted == 0
    np.putmask(rest, top, 0.0)
    ties = (top.sum(axis=0) - 1).astype(zt.dtype)  # in z's dtype: float32 stays float32
    log_q = shifted - np.log1p(rest.sum(axis=0) + ties)
    with np.errstate(invalid="ignore"):
        terms = yt * log_q
    terms[np.isnan(terms)] = 0.0  # 0 · (-inf) counts as 0, as in lossbook
    out: np.ndarray = -terms.sum(axis=0)
    return out
