"""Similarity and metric-learning losses: cosine, pairs, triplets, Circle and InfoNCE.

An embedding is a row vector; a batch of them is a (b, d) array, one row per
sample.  The cosine similarity of two embeddings is the dot product of their
unit vectors, cos(u, v) = u·v / (‖u‖ ‖v‖); a vector whose squared norm would
overflow or underflow is divided by its largest entry first, so no finite
input is too large or too small for it.  A zero vector has no direction, and
its cosine with anything is 0, as in Keras and PyTorch.  Distances are
Euclidean (or p-norms) and are not squared unless a loss says so.

Names follow Keras (cosine_similarity, circle), PyTorch's functional API
without ``_loss`` (cosine_embedding, margin_ranking, triplet_margin), or the
paper (contrastive, info_nce).  Every loss returns one value per sample (per
pair, triplet or row); averaging over the batch is a separate step.
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
    check_group_labels,
    check_matrix,
    check_open,
    check_parameter,
    check_signs,
    check_unit_rows,
    check_zero_one,
    float_dtype,
    reduced,
    sum_along,
)
from .classification import sparse_categorical_crossentropy
from .margin import _shortfall


def _squares(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(x', Σ x'² per row, s) with x = s x' along the last axis; s = 1 but for risky rows.

    Σ x² is one pass over x.  A row whose Σ x² overflows, or is so small that
    its squares may have lost digits to underflow (a zero row too), is divided
    by its largest entry s first, which keeps its Σ x'² in [1, d] and its
    direction as it was: the norm of a vector of 1e200s, or of 1e-200s, is as
    accurate as that of 1s.
    """
    info = np.finfo(x.dtype)
    low = float(info.tiny) * x.shape[-1] / float(info.eps)
    with np.errstate(over="ignore", under="ignore"):
        sq = np.asarray(np.einsum("...i,...i->...", x, x))  # an array, also for one row
    scale = np.ones_like(sq)
    risky = ~((sq >= low) & (sq <= float(info.max)))
    if np.any(risky):
        rows = x[risky]
        m = np.max(np.abs(rows), axis=-1)
        m = np.where(m > 0, m, 1)
        rows = rows / m[..., None]
        x = x.copy()
        x[risky], sq[risky], scale[risky] = rows, np.einsum("...i,...i->...", rows, rows), m
    return x, sq, scale


def _unit(x: FloatArray) -> FloatArray:
    """x / ‖x‖₂ along the last axis (0 stays 0), from ``_squares`` so nothing overflows."""
    x, sq, _ = _squares(x)
    norm = np.sqrt(sq)
    unit: FloatArray = x / np.where(norm > 0, norm, 1)[..., None]
    return unit


def _norm(v: FloatArray, p: float) -> FloatArray:
    """‖v‖_p along the last axis, as m ‖v / m‖_p (m = max|v| where needed), so nothing overflows."""
    if p == 2:  # the common case: one pass, rescaling only the risky rows
        _, sq, scale = _squares(v)
        two: FloatArray = scale * np.sqrt(sq)
        return two
    m = np.max(np.abs(v), axis=-1, keepdims=True)
    a = np.abs(v) / np.where(m > 0, m, 1)
    if p == math.inf:
        norm = np.max(a, axis=-1)
    elif p == 1:
        norm = sum_along(a, -1)
    else:
        norm = sum_along(a**p, -1) ** (1 / p)
    out: FloatArray = np.squeeze(m, axis=-1) * norm
    return out


def _cosine(a: FloatArray, b: FloatArray) -> FloatArray:
    """cos(a, b) along the last axis, a·b / (‖a‖ ‖b‖), 0 for a zero vector.

    Rows are rescaled by ``_squares`` where their squares would overflow or
    underflow (a cosine does not change); then |a·b| <= ‖a‖ ‖b‖ cannot
    overflow either.  Rounding can take the result an ulp beyond ±1; it is
    clipped back.
    """
    a, sq_a, _ = _squares(a)
    b, sq_b, _ = _squares(b)
    denominator = np.sqrt(sq_a) * np.sqrt(sq_b)
    dot = np.einsum("...i,...i->...", a, b)
    cos: FloatArray = np.clip(dot / np.where(denominator > 0, denominator, 1), -1, 1)
    return cos


def _pairs(
    y_true: npt.ArrayLike, x1: npt.ArrayLike, x2: npt.ArrayLike
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Pair labels y (one per pair) and two (..., d) batches of embeddings, checked."""
    a, b = as_float_pair(x1, x2, ("x1", "x2"))
    check_axis(a, -1, "x1")
    y = as_float(y_true, "y_true").astype(a.dtype, copy=False)
    if y.shape != a.shape[:-1]:
        raise ValueError(
            f"y_true: shape {y.shape} does not match x1 shape {a.shape} without its last"
            f" axis, which is {a.shape[:-1]} (one label per pair)"
        )
    return y, a, b


def cosine_similarity(y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Cosine similarity loss = -cos(y_true, y_pred) = -Σ_i u_i v_i, u, v the unit vectors.

    Keras's ``cosine_similarity``: the *negative* cosine, so that minimizing
    it aligns the vectors; -1 for the same direction, 0 for orthogonal vectors
    and +1 for opposite ones.  A zero vector has cosine 0 with anything, as in
    Keras.  A vector whose squared norm would overflow or underflow is
    divided by its largest entry first, so the result does not overflow or
    underflow for any finite input (Keras returns 0 for float32 vectors of
    norm above about 1.8e19).
    Conventions: argument order (y_true, y_pred); reduces over ``axis``;
    returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 15, Similarity and metric learning (chapters/15_similarity_losses.ipynb).
    """
    u, v = as_float_pair(y_true, y_pred, ("y_true", "y_pred"))
    axis = check_axis(v, axis, "y_pred")
    return reduced(-_cosine(np.moveaxis(u, axis, -1), np.moveaxis(v, axis, -1)))


def cosine_embedding(
    y_true: npt.ArrayLike, x1: npt.ArrayLike, x2: npt.ArrayLike, *, margin: float = 0.0
) -> Result:
    """Cosine embedding loss = 1 - cos(x1, x2) if y = 1, max(0, cos(x1, x2) - Δ) if y = -1.

    PyTorch's ``cosine_embedding_loss``, with Δ = ``margin`` in [-1, 1]: a
    similar pair (y = 1) is pulled to the same direction, a dissimilar one
    (y = -1) pushed until its cosine is at most Δ.  ``x1`` and ``x2`` hold
    embeddings along the last axis, ``y_true`` one label per pair (the shape
    of ``x1`` without its last axis).  Labels other than -1 and 1 raise
    ``ValueError`` (PyTorch returns 0 for them).  1 - cos is computed as
    ½ ‖x̂1 - x̂2‖², the squared chord between the unit vectors, so a nearly
    parallel pair at angle θ keeps a relative accuracy of about u / θ, u the
    unit roundoff (1 - cos computed as written has u / θ²; full accuracy
    near θ = 0 would need extended precision).  PyTorch adds 1e-12 to each squared norm, which
    lowers its cosine by about 1e-12 (1/‖x1‖² + 1/‖x2‖²) / 2.
    Conventions: reduces over the last axis; returns one value per pair (a
    NumPy scalar for one pair of 1-D vectors).

    Derived in chapter 15, Similarity and metric learning (chapters/15_similarity_losses.ipynb).
    """
    margin = check_parameter(margin, "margin", low=-1.0, high=1.0)
    y, a, b = _pairs(y_true, x1, x2)
    y = check_signs(y, "y_true")
    cos = _cosine(a, b)
    one_minus_cos = np.array(1 - cos)
    # where cos > ½ the two terms of 1 - cos cancel: half the squared chord between
    # the unit vectors instead, ½ |u - v|², by |u - v|² = 2 - 2 cos
    near = (y == 1) & (cos > 0.5)
    if np.any(near):
        chord = _unit(a[near]) - _unit(b[near])
        one_minus_cos[near] = 0.5 * np.einsum("...i,...i->...", chord, chord)
    return reduced(np.where(y == 1, one_minus_cos, np.maximum(cos - margin, 0)))


def margin_ranking(
    y_true: npt.ArrayLike, x1: npt.ArrayLike, x2: npt.ArrayLike, *, margin: float = 0.0
) -> Result:
    """Margin ranking loss = max(0, Δ - y (x1 - x2)), for y in {-1, 1} and scores x1, x2.

    PyTorch's ``margin_ranking_loss``, with Δ = ``margin`` (finite, >= 0):
    y = 1 says that x1 should rank above x2 by at least Δ, y = -1 that x2
    should rank above x1.  Elementwise: ``y_true``, ``x1`` and ``x2`` have the
    same shape, one entry per pair of scores.  Labels other than -1 and 1
    raise ``ValueError`` (PyTorch returns Δ for y = 0).  The shortfall is
    computed with its rounding error recovered, so it keeps its relative
    accuracy near the kink.
    Conventions: elementwise, no axis is reduced; returns one value per pair
    (a NumPy scalar for scalar input).

    Derived in chapter 15, Similarity and metric learning (chapters/15_similarity_losses.ipynb).
    """
    margin = check_parameter(margin, "margin")
    s1, s2 = as_float_pair(x1, x2, ("x1", "x2"))
    y = as_float(y_true, "y_true").astype(s1.dtype, copy=False)
    if y.shape != s1.shape:
        raise ValueError(
            f"y_true: shape {y.shape} does not match x1 shape {s1.shape} (one label per pair)"
        )
    y = check_signs(y, "y_true")
    return reduced(np.maximum(_shortfall(margin, y * s1, y * s2), 0))


def triplet_margin(
    anchor: npt.ArrayLike,
    positive: npt.ArrayLike,
    negative: npt.ArrayLike,
    *,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
) -> Result:
    """Triplet margin loss = max(0, D(a, p) - D(a, n) + Δ), D(x, y) = ‖x - y + eps‖_p.

    PyTorch's ``triplet_margin_loss``, with Δ = ``margin`` (finite, >= 0):
    the anchor a should be closer to the positive p than to the negative n by
    at least Δ.  The distance is PyTorch's ``pairwise_distance``: ``eps`` is
    added to every entry of the difference (not to the norm), so D(x, x) =
    eps · d^(1/p) for d dimensions, and D(x, y) != D(y, x) in general.  With
    ``swap=True`` (the distance swap of Balntas et al.), D(a, n) is replaced
    by min(D(a, n), D(p, n)).  The distances are not squared (FaceNet squares
    them).  ``p`` is the norm's order, >= 1 (``math.inf`` for the maximum).
    The three inputs have the same shape, embeddings along the last axis.
    Conventions: reduces over the last axis; returns one value per triplet (a
    NumPy scalar for 1-D input).

    Derived in chapter 15, Similarity and metric learning (chapters/15_similarity_losses.ipynb).
    """
    margin = check_parameter(margin, "margin")
    if p != math.inf:
        p = check_parameter(p, "p", low=1.0)
    eps = check_parameter(eps, "eps")
    a, pos = as_float_pair(anchor, positive, ("anchor", "positive"))
    a, neg = as_float_pair(a, negative, ("anchor", "negative"))
    dtype = float_dtype(a, pos, neg)
    a, pos, neg = (x.astype(dtype, copy=False) for x in (a, pos, neg))
    check_axis(a, -1, "anchor")

    def dist(x: FloatArray, y: FloatArray) -> FloatArray:
        with np.errstate(over="ignore"):  # a difference beyond the largest float is inf
            return _norm(x - y + eps, p)

    d_neg = dist(a, neg)
    if swap:
        d_neg = np.minimum(d_neg, dist(pos, neg))
    return reduced(np.maximum(dist(a, pos) - d_neg + margin, 0))


def contrastive(
    y_true: npt.ArrayLike, x1: npt.ArrayLike, x2: npt.ArrayLike, *, margin: float = 1.0
) -> Result:
    """Contrastive loss = ½ y D² + ½ (1 - y) max(0, Δ - D)², D = ‖x1 - x2‖₂.

    The loss of Hadsell, Chopra and LeCun (2006), with Δ = ``margin``
    (finite, >= 0) and the Euclidean distance D, not squared inside the
    hinge.  Here y = 1 marks a similar pair (pulled together: ½ D²) and
    y = 0 a dissimilar one (pushed apart until D >= Δ); the paper's label
    is the other way round, Y = 1 - y.  Labels other than 0 and 1 raise
    ``ValueError``.  Symmetric in x1 and x2.  ``x1`` and ``x2`` hold
    embeddings along the last axis, ``y_true`` one label per pair.
    Conventions: reduces over the last axis; returns one value per pair (a
    NumPy scalar for one pair of 1-D vectors).

    Derived in chapter 15, Similarity and metric learning (chapters/15_similarity_losses.ipynb).
    """
    margin = check_parameter(margin, "margin")
    y, a, b = _pairs(y_true, x1, x2)
    y = check_zero_one(y, "y_true")
    with np.errstate(over="ignore"):  # a distance (or loss) beyond the largest float is inf
        distance = _norm(a - b, 2)
        pull = 0.5 * np.square(distance)
        push = 0.5 * np.square(np.maximum(margin - distance, 0))
    return reduced(np.where(y == 1, pull, push))


def _masked_logsumexp(v: FloatArray, mask: npt.NDArray[np.bool_]) -> FloatArray:
    """log Σ_j exp v_ij over the entries with mask_ij, per row; -inf for a row with none.

    ``logsumexp`` takes finite logits only, and here the pairs left out are the
    point: this is m + log Σ exp(v - m) over the kept entries, m their maximum.
    """
    kept = np.where(mask, v, -np.inf)
    m = np.max(kept, axis=-1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):  # log 0 = -inf for a row with nothing kept
        out: FloatArray = np.squeeze(m, -1) + np.log(sum_along(np.exp(kept - m), -1))
    return out


def circle(
    y_true: npt.ArrayLike, y_pred: npt.ArrayLike, *, gamma: float = 80, margin: float = 0.4
) -> Result:
    """Circle loss = log(1 + Σ_n exp(γ α_n (s_n - Δ_n)) Σ_p exp(-γ α_p (s_p - Δ_p))), per sample.

    Sun et al. (2020), as Keras's ``circle`` computes it.  ``y_pred`` holds b
    L2-normalized embeddings (b, d) and ``y_true`` their b integer class
    labels.  For sample i, s_p runs over the cosine similarities to the other
    samples of its class (the diagonal, i itself, is removed) and s_n over
    those to the samples of other classes; each similarity is capped at 1,
    as Keras caps the distance 1 - s at 0.  With m = ``margin``:
    α_p = max(0, 1 + m - s_p), α_n = max(0, s_n + m), Δ_p = 1 - m, Δ_n = m;
    γ = ``gamma`` > 0 is the scale.  A sample without a positive or without a
    negative in the batch has loss 0.  The two sums are computed as
    log-sum-exps and the loss as log(1 + exp(LSE_n + LSE_p)), so nothing
    overflows at γ = 80.  Keras's ``Circle`` class then averages over the
    samples whose loss is > 0 only; this function returns every sample's.
    Rows whose squared norm is off 1 by more than rounding raise ``ValueError``.
    Conventions: argument order (y_true, y_pred); reduces over the last axis
    and over the batch's pairs; returns one value per sample, shape (b,).

    Derived in chapter 15, Similarity and metric learning (chapters/15_similarity_losses.ipynb).
    """
    gamma = check_open(gamma, "gamma")
    margin = check_parameter(margin, "margin", high=1.0)
    e = as_float(y_pred, "y_pred")
    check_matrix(e, "y_pred")
    check_unit_rows(e, "y_pred")
    labels = check_group_labels(y_true, "y_true", e.shape[0])
    s = np.minimum(e @ e.T, 1)
    positive = labels[:, None] == labels[None, :]
    negative = ~positive
    np.fill_diagonal(positive, False)  # a sample is not its own positive
    alpha_p = np.maximum(1 + margin - s, 0)
    alpha_n = np.maximum(s + margin, 0)
    lse_p = _masked_logsumexp(-gamma * alpha_p * (s - (1 - margin)), positive)
    lse_n = _masked_logsumexp(gamma * alpha_n * (s - margin), negative)
    return reduced(np.logaddexp(0, lse_p + lse_n))


def info_nce(z_a: npt.ArrayLike, z_b: npt.ArrayLike, *, temperature: float) -> Result:
    """InfoNCE = -log(exp(s_ii / τ) / Σ_j exp(s_ij / τ)), s_ij = cos(z_a[i], z_b[j]), per row i.

    The contrastive loss of van den Oord et al. (2018): row i of ``z_a`` and
    row i of ``z_b`` are a positive pair, and the other rows of ``z_b`` are
    row i's negatives.  The embeddings are L2-normalized here, so s_ij is a
    cosine similarity, and τ = ``temperature`` > 0 scales it.  It is the
    sparse categorical cross-entropy, from logits, of the label i against
    row i of the similarity matrix S / τ, and is computed as that (stable
    log-softmax).  0 <= loss <= log b + 2 / τ.  Natural log (nats).
    ``z_a`` and ``z_b`` have the same shape (b, d).  For the symmetric loss
    of CLIP, average with ``info_nce(z_b, z_a, ...)``.
    Conventions: reduces over the last axis (the embedding) and over the b
    candidates; returns one value per row of ``z_a``, shape (b,).

    Derived in chapter 15, Similarity and metric learning (chapters/15_similarity_losses.ipynb).
    """
    tau = check_open(temperature, "temperature")
    a, b = as_float_pair(z_a, z_b, ("z_a", "z_b"))
    check_matrix(a, "z_a")
    logits = _unit(a) @ _unit(b).T / tau
    labels = np.arange(a.shape[0])
    return sparse_categorical_crossentropy(labels, logits, from_logits=True)
