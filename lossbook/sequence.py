"""Sequence losses: connectionist temporal classification (CTC).

A network emits one distribution over K symbols per frame, T frames in all; the
label is a shorter sequence of symbols.  CTC sums the probability of every
frame-by-frame alignment that collapses to the label (merge repeats, then drop
the blank), with the forward (α) recursion in log space, so that sequences of
thousands of frames neither underflow nor overflow.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from ._validation import FloatArray, as_array, as_float, check_labels
from .classification import _log_softmax


def _lengths(x: npt.ArrayLike, name: str, b: int, upper: int, upper_name: str) -> npt.NDArray[Any]:
    """Integer lengths, one per sequence: shape (b,), each in [0, upper]."""
    a = as_array(x, name)
    if a.dtype.kind not in "iu":
        raise ValueError(f"{name}: must hold integers, got dtype {a.dtype}")
    if a.shape != (b,):
        raise ValueError(f"{name}: shape {a.shape} should be ({b},), one length per sequence")
    if np.any(a < 0) or np.any(a > upper):
        raise ValueError(f"{name}: lengths must lie in [0, {upper}] ({upper_name}), got {a}")
    return a.astype(np.intp)


def _extended(labels: npt.NDArray[np.intp], blank: int) -> npt.NDArray[np.intp]:
    """The extended label l' = (blank, l_1, blank, l_2, ..., l_S, blank): shape (b, 2S + 1)."""
    ext = np.full((labels.shape[0], 2 * labels.shape[1] + 1), blank, dtype=np.intp)
    ext[:, 1::2] = labels
    return ext


def _logsumexp3(a: FloatArray, b: FloatArray, c: FloatArray) -> FloatArray:
    """log(e^a + e^b + e^c) elementwise, shifted by the largest: m + log Σ e^(x - m).

    Entries may be -inf (log 0); where all three are, the result is -inf.  The
    shift m is kept finite so that -inf - m is -inf, never NaN.
    """
    m = np.maximum(np.maximum(np.maximum(a, b), c), np.finfo(a.dtype).min)
    with np.errstate(divide="ignore"):  # log 0 = -inf where all three are -inf
        out: FloatArray = m + np.log(np.exp(a - m) + np.exp(b - m) + np.exp(c - m))
    return out


def ctc_loss(
    labels: npt.ArrayLike,
    logits: npt.ArrayLike,
    *,
    label_lengths: npt.ArrayLike,
    logit_lengths: npt.ArrayLike,
    blank: int = 0,
) -> FloatArray:
    """CTC loss = -log Σ_{alignments π with B(π) = l} Π_t softmax(z_t)[π_t], per sequence.

    ``labels``: integers, shape (b, S), sequence i's label in its first
    ``label_lengths[i]`` entries (the rest is padding and is ignored).
    ``logits``: unnormalized scores z, shape (b, T, K), the blank among the K
    symbols; sequence i uses its first ``logit_lengths[i]`` frames.  B is the
    collapse map: merge repeated symbols, then remove ``blank``.  Returns the
    negative log-likelihood of each label, shape (b,), in nats (natural log);
    no mean over the batch and no division by the label length (reduce
    explicitly).  +inf where no alignment exists: fewer frames than the
    label's length plus its number of repeated neighbours.  There is no
    ``axis``: the symbols lie along the last axis.

    Computed by the forward recursion over the extended label
    l' = (blank, l_1, blank, ..., l_S, blank), in log space (log-softmax, and
    a shifted log-sum-exp of three terms per state), one frame at a time for
    the whole batch at once, so T in the thousands neither underflows nor
    overflows.  A label symbol equal to ``blank`` or outside [0, K), or a
    length above S or T, raises ValueError.

    Derived in chapter 13, Sequences and CTC (chapters/13_ctc.ipynb).
    """
    z = as_float(logits, "logits")
    if z.ndim != 3 or 0 in z.shape[::2]:
        raise ValueError(f"logits: shape {z.shape} should be (b, T, K) with b, K > 0")
    b, t_max, k = z.shape
    if isinstance(blank, bool) or not isinstance(blank, int | np.integer) or not 0 <= blank < k:
        raise ValueError(f"blank: must be an int in [0, {k}), got {blank!r}")
    lab = as_array(labels, "labels")
    if lab.ndim != 2 or lab.shape[0] != b:
        raise ValueError(f"labels: shape {lab.shape} should be ({b}, S), padded")
    label_len = _lengths(label_lengths, "label_lengths", b, lab.shape[1], "S, the labels' width")
    logit_len = _lengths(logit_lengths, "logit_lengths", b, t_max, "T, the logits' length")
    used = np.arange(lab.shape[1]) < label_len[:, None]  # the symbols, not the padding
    symbols = check_labels(lab[used], "labels", k)
    if np.any(symbols == blank):
        raise ValueError(f"labels: a label symbol equals blank = {blank}")
    lab = np.full(lab.shape, blank, dtype=np.intp)
    lab[used] = symbols

    ext = _extended(lab, blank)  # (b, S'), S' = 2S + 1
    # a label state may also be entered from two states back, unless that holds the same symbol
    skip = np.zeros(ext.shape, dtype=bool)
    skip[:, 2:] = (ext[:, 2:] != blank) & (ext[:, 2:] != ext[:, :-2])
    no_skip = np.where(skip, 0.0, -np.inf).astype(z.dtype)  # log of 1 or 0
    # log q_t(l'_s): each frame's log-softmax, read at the extended label's symbols
    emit = np.take_along_axis(_log_softmax(z, -1), ext[:, None, :], axis=-1)  # (b, T, S')
    emit = np.ascontiguousarray(np.moveaxis(emit, 1, 0))  # (T, b, S'): one frame at a time

    # log α, with two states that stay empty (log 0) in front of s = 0, so that
    # s - 1 and s - 2 exist for every s.  Before the first frame, all of the
    # probability is in the first blank.
    log_alpha = np.full((b, 2 + ext.shape[1]), -np.inf, dtype=z.dtype)
    log_alpha[:, 2] = 0.0
    for t in range(t_max):
        stay, step, jump = log_alpha[:, 2:], log_alpha[:, 1:-1], log_alpha[:, :-2]
        new = emit[t] + _logsumexp3(stay, step, jump + no_skip)
        log_alpha[:, 2:] = np.where((t < logit_len)[:, None], new, stay)  # a short one stops
    # an alignment ends in the last symbol or in the blank after it (states 2L - 1, 2L)
    ends = np.take_along_axis(log_alpha, 2 + 2 * label_len[:, None] + np.array([[-1, 0]]), axis=1)
    nll: FloatArray = -np.logaddexp(ends[:, 0], ends[:, 1])
    return nll
