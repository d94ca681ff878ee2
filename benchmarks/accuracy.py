"""lossbook's accuracy: maximum relative error against mpmath at 50 significant digits.

Every public function (and, for the losses that take it, label smoothing
s = 0.1) is run on float64 and float32 inputs, random and adversarial
(probabilities down to 1e-300, or down to the smallest normal float32; logits
up to ±1e4; confident predictions whose loss is tiny).  The
reference is the exact value of the function *at the rounded inputs*, computed
by mpmath, so the error measured is lossbook's alone.

The error of one output y against the exact value Y is
    |y - Y| / max(|Y|, tiny),
where tiny is the dtype's smallest normal number: a result that underflows is
judged by its absolute error, since no floating-point result can do better.
Some losses sum terms of both signs and can be 0 (Gaussian NLL, Poisson,
Poisson NLL, and the cosine of nearly orthogonal vectors in cosine_similarity
and, for y = -1, cosine_embedding); near 0 no floating-point sum has a small
relative error, so theirs is taken relative to max(|Y|, the size of the terms).
A NaN or inf where Y is finite and representable counts as a failure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath as mp
import numpy as np

import lossbook as lb

mp.mp.dps = 50
K = 10  # classes (or outputs) per row
ROWS = 60  # rows per input case
GOAL = {np.float64: 1e-12, np.float32: 1e-5}
SMOOTHING = 0.1  # the label_smoothing of the smoothed rows
GCE_Q = 0.7  # the q of the generalized cross-entropy rows (Zhang and Sabuncu's choice)
GCE_SMALL_Q = 1e-4  # and a small q, where (1 - P^q) / q as written cancels
QUANTILE = 0.9  # the q of the quantile-loss row
SMOOTH_L1_BETA = 0.5
TVERSKY = (0.3, 0.7)  # alpha, beta
GAUSSIAN_EPS = 1e-6  # gaussian_nll's default clamp of the variances
INFO_NCE_TAU = 0.1

Array = np.ndarray
Mp = Any  # an mpmath number


# --- exact references, one row at a time (lists of mpf in, mpf or list out) ----------------


def _mp(row: Array) -> Any:
    """A row as mpf numbers (exact: every float is an mpf): a list, a list of rows, or one."""
    if row.ndim == 0:
        return mp.mpf(row.item())
    if row.ndim > 1:
        return [_mp(r) for r in row]
    return [mp.mpf(x) for x in row.tolist()]


def _neg_log_softmax(z: list[Mp], i: int) -> Mp:
    """-log softmax(z)_i = log(1 + Σ_{j≠i} exp(z_j - z_i)), with exact differences."""
    rest = mp.fsum(mp.exp(mp.fsub(zj, z[i], exact=True)) for j, zj in enumerate(z) if j != i)
    return mp.log1p(rest)


def ex_entropy(p: list[Mp]) -> Mp:
    return -mp.fsum(pi * mp.log(pi) for pi in p if pi > 0)


def ex_kl(p: list[Mp], q: list[Mp]) -> Mp:
    return mp.fsum(pi * (mp.log(pi) - mp.log(qi)) for pi, qi in zip(p, q, strict=True) if pi > 0)


def ex_cross_entropy(p: list[Mp], q: list[Mp]) -> Mp:
    return -mp.fsum(pi * mp.log(qi) for pi, qi in zip(p, q, strict=True) if pi > 0)


def _errors(t: list[Mp], y: list[Mp]) -> list[Mp]:
    return [mp.fsub(yi, ti, exact=True) for ti, yi in zip(t, y, strict=True)]


def ex_mse(t: list[Mp], y: list[Mp]) -> Mp:
    return mp.fsum(e**2 for e in _errors(t, y)) / len(t)


def ex_mae(t: list[Mp], y: list[Mp]) -> Mp:
    return mp.fsum(abs(e) for e in _errors(t, y)) / len(t)


def ex_huber(t: list[Mp], y: list[Mp], delta: float = 1.0) -> Mp:
    d = mp.mpf(delta)
    terms = [e**2 / 2 if abs(e) <= d else d * (abs(e) - d / 2) for e in _errors(t, y)]
    return mp.fsum(terms) / len(t)


def ex_softmax(z: list[Mp]) -> list[Mp]:
    return [mp.exp(-_neg_log_softmax(z, i)) for i in range(len(z))]


def ex_log_softmax(z: list[Mp]) -> list[Mp]:
    return [-_neg_log_softmax(z, i) for i in range(len(z))]


def ex_logsumexp(z: list[Mp]) -> Mp:
    i = max(range(len(z)), key=lambda j: z[j])
    return z[i] + _neg_log_softmax(z, i)


def _smoothed(y: list[Mp], k: int) -> list[Mp]:
    """Label smoothing, exactly: y (1 - s) + s / k, s = SMOOTHING (k = K classes, or 2)."""
    s = mp.mpf(SMOOTHING)
    return [yi * (1 - s) + s / k for yi in y]


def ex_cce_probs(y: list[Mp], p: list[Mp]) -> Mp:
    return ex_cross_entropy(y, p)


def ex_cce_logits(y: list[Mp], z: list[Mp]) -> Mp:
    return mp.fsum(yi * _neg_log_softmax(z, i) for i, yi in enumerate(y) if yi != 0)


def ex_bce_probs(y: list[Mp], p: list[Mp]) -> Mp:
    def term(yi: Mp, pi: Mp) -> Mp:
        one_minus_y = mp.fsub(1, yi, exact=True)
        pos = yi * mp.log(pi) if yi != 0 else mp.mpf(0)
        neg = one_minus_y * mp.log1p(-pi) if one_minus_y != 0 else mp.mpf(0)
        return -(pos + neg)

    return mp.fsum(term(yi, pi) for yi, pi in zip(y, p, strict=True)) / len(y)


def ex_bce_logits(y: list[Mp], z: list[Mp]) -> Mp:
    # -[y log σ(z) + (1 - y) log(1 - σ(z))] = y softplus(-z) + (1 - y) softplus(z)
    def term(yi: Mp, zi: Mp) -> Mp:
        return yi * mp.log1p(mp.exp(-zi)) + mp.fsub(1, yi, exact=True) * mp.log1p(mp.exp(zi))

    return mp.fsum(term(yi, zi) for yi, zi in zip(y, z, strict=True)) / len(y)


def _sigmoid(z: Mp) -> Mp:
    return 1 / (1 + mp.exp(-z))


def ex_binary_focal(y: list[Mp], q: list[Mp], gamma: float = 2.0) -> Mp:
    # (1 - q_t)^γ BCE, 1 - q_t = y (1 - q) + (1 - y) q; no class balancing (Keras's default)
    def term(yi: Mp, qi: Mp) -> Mp:
        miss = yi * (1 - qi) + (1 - yi) * qi
        return miss**gamma * ex_bce_probs([yi], [qi])

    return mp.fsum(term(yi, qi) for yi, qi in zip(y, q, strict=True)) / len(y)


def ex_binary_focal_logits(y: list[Mp], z: list[Mp], gamma: float = 2.0) -> Mp:
    def term(yi: Mp, zi: Mp) -> Mp:
        miss = yi * _sigmoid(-zi) + (1 - yi) * _sigmoid(zi)
        return miss**gamma * ex_bce_logits([yi], [zi])

    return mp.fsum(term(yi, zi) for yi, zi in zip(y, z, strict=True)) / len(y)


def ex_categorical_focal(y: list[Mp], q: list[Mp], alpha: float = 0.25, gamma: float = 2.0) -> Mp:
    a = mp.mpf(alpha)
    return -mp.fsum(
        a * (1 - qi) ** gamma * yi * mp.log(qi) for yi, qi in zip(y, q, strict=True) if yi != 0
    )


def ex_categorical_focal_logits(
    y: list[Mp], z: list[Mp], alpha: float = 0.25, gamma: float = 2.0
) -> Mp:
    a = mp.mpf(alpha)
    log_q = ex_log_softmax(z)
    return -mp.fsum(
        a * (-mp.expm1(lq)) ** gamma * yi * lq for yi, lq in zip(y, log_q, strict=True) if yi != 0
    )


def ex_gce(label: int, p: list[Mp], q: float = GCE_Q) -> Mp:
    # (1 - P^q) / q with P = p[label], as -expm1(q log P) / q: exact near P = 1 too
    return -mp.expm1(mp.mpf(q) * mp.log(p[label])) / q


def ex_brier(y: list[Mp], q: list[Mp]) -> Mp:
    return mp.fsum(mp.fsub(qi, yi, exact=True) ** 2 for yi, qi in zip(y, q, strict=True))


def ex_ece(labels: list[int], q: list[list[Mp]], n_bins: int = 15) -> Mp:
    """Top-class ECE of the whole set, bins closed on the right at lossbook's float64 edges."""
    edges = [m / n_bins for m in range(n_bins + 1)]  # float64, as documented by lossbook
    gap = [mp.mpf(0)] * n_bins
    for label, row in zip(labels, q, strict=True):
        c = max(row)
        predicted = row.index(c)  # the first maximum
        m = next((i for i in range(1, n_bins + 1) if c <= edges[i]), n_bins) - 1
        gap[m] += (1 if predicted == label else 0) - c
    return mp.fsum(abs(g) for g in gap) / len(labels)


def ex_hinge(y: list[Mp], z: list[Mp]) -> Mp:
    return mp.fsum(max(mp.mpf(0), 1 - yi * zi) for yi, zi in zip(y, z, strict=True)) / len(y)


def ex_squared_hinge(y: list[Mp], z: list[Mp]) -> Mp:
    return mp.fsum(max(mp.mpf(0), 1 - yi * zi) ** 2 for yi, zi in zip(y, z, strict=True)) / len(y)


def ex_categorical_hinge(y: list[Mp], z: list[Mp]) -> Mp:
    pos = mp.fsum(yi * zi for yi, zi in zip(y, z, strict=True))
    neg = max((1 - yi) * zi for yi, zi in zip(y, z, strict=True))
    return max(mp.mpf(0), 1 + neg - pos)


def ex_soft_margin(y: list[Mp], z: list[Mp]) -> Mp:
    return mp.fsum(mp.log1p(mp.exp(-yi * zi)) for yi, zi in zip(y, z, strict=True)) / len(y)


def ex_multi_margin(label: int, z: list[Mp], p: int = 1, margin: float = 1.0) -> Mp:
    d, zt = mp.mpf(margin), z[label]
    terms = [max(mp.mpf(0), d - zt + zi) ** p for i, zi in enumerate(z) if i != label]
    return mp.fsum(terms) / len(z)


def ex_multilabel_margin(targets: list[int], z: list[Mp]) -> Mp:
    listed = targets[: targets.index(-1)] if -1 in targets else targets
    others = [zi for i, zi in enumerate(z) if i not in listed]
    terms = [max(mp.mpf(0), 1 - (z[t] - zi)) for t in listed for zi in others]
    return mp.fsum(terms) / len(z)


def ex_hinge_embedding(y: list[Mp], x: list[Mp], margin: float = 1.0) -> Mp:
    d = mp.mpf(margin)
    terms = [xi if yi == 1 else max(mp.mpf(0), d - xi) for yi, xi in zip(y, x, strict=True)]
    return mp.fsum(terms) / len(y)


def ex_log_cosh(t: list[Mp], y: list[Mp]) -> Mp:
    # log cosh e = log1p(2 sinh²(e/2)): log(cosh 1e-91) would round to log 1 = 0 at 50 digits
    return mp.fsum(mp.log1p(2 * mp.sinh(e / 2) ** 2) for e in _errors(t, y)) / len(t)


def ex_quantile(t: list[Mp], y: list[Mp], q: float = QUANTILE) -> Mp:
    # max(q (t - y), (q - 1)(t - y)), with t - y = -e
    qq = mp.mpf(q)
    return mp.fsum(max(-qq * e, (1 - qq) * e) for e in _errors(t, y)) / len(t)


def ex_msle(t: list[Mp], y: list[Mp]) -> Mp:
    return mp.fsum((mp.log1p(yi) - mp.log1p(ti)) ** 2 for ti, yi in zip(t, y, strict=True)) / len(t)


def ex_mape(t: list[Mp], y: list[Mp]) -> Mp:
    return 100 * mp.fsum(abs(e) / abs(ti) for e, ti in zip(_errors(t, y), t, strict=True)) / len(t)


def ex_gaussian_nll(t: list[Mp], y: list[Mp], var: list[Mp]) -> Mp:
    clamp = mp.mpf(GAUSSIAN_EPS)
    terms = [
        (mp.log(max(v, clamp)) + e**2 / max(v, clamp)) / 2
        for e, v in zip(_errors(t, y), var, strict=True)
    ]
    return mp.fsum(terms) / len(t)


def ex_poisson(y: list[Mp], mu: list[Mp]) -> Mp:
    terms = [m - (yi * mp.log(m) if yi != 0 else 0) for yi, m in zip(y, mu, strict=True)]
    return mp.fsum(terms) / len(y)


def ex_poisson_nll(y: list[Mp], o: list[Mp], full: bool = False) -> Mp:
    def term(yi: Mp, oi: Mp) -> Mp:
        nll = mp.exp(oi) - yi * oi
        if full and yi > 1:  # PyTorch's Stirling term for log y!
            nll += yi * mp.log(yi) - yi + mp.log(2 * mp.pi * yi) / 2
        return nll

    return mp.fsum(term(yi, oi) for yi, oi in zip(y, o, strict=True)) / len(y)


def scale_poisson(y: list[Mp], mu: list[Mp]) -> Mp:
    return mp.fsum(m + abs(yi * mp.log(m)) for yi, m in zip(y, mu, strict=True) if m) / len(y)


def scale_poisson_nll(y: list[Mp], o: list[Mp]) -> Mp:
    return mp.fsum(mp.exp(oi) + abs(yi * oi) for yi, oi in zip(y, o, strict=True)) / len(y)


def scale_gaussian_nll(t: list[Mp], y: list[Mp], var: list[Mp]) -> Mp:
    clamp = mp.mpf(GAUSSIAN_EPS)
    terms = [
        abs(mp.log(max(v, clamp))) + e**2 / max(v, clamp)
        for e, v in zip(_errors(t, y), var, strict=True)
    ]
    return mp.fsum(terms) / (2 * len(t))


def ex_weighted_mean(losses: list[Mp], w: list[Mp]) -> Mp:
    return mp.fsum(li * wi for li, wi in zip(losses, w, strict=True)) / mp.fsum(w)


POS_WEIGHT = 0.5 * np.arange(1, K + 1)  # pos_weight, one per output: 0.5 ... 5, exact in float32


def ex_bce_probs_pos_weight(y: list[Mp], p: list[Mp]) -> Mp:
    # -[w y log p + (1 - y) log(1 - p)], w = POS_WEIGHT
    def term(yi: Mp, pi: Mp, wi: Mp) -> Mp:
        one_minus_y = mp.fsub(1, yi, exact=True)
        pos = wi * yi * mp.log(pi) if yi != 0 else mp.mpf(0)
        neg = one_minus_y * mp.log1p(-pi) if one_minus_y != 0 else mp.mpf(0)
        return -(pos + neg)

    w = _mp(POS_WEIGHT)
    return mp.fsum(term(yi, pi, wi) for yi, pi, wi in zip(y, p, w, strict=True)) / len(y)


def ex_bce_logits_pos_weight(y: list[Mp], z: list[Mp]) -> Mp:
    # w y softplus(-z) + (1 - y) softplus(z), w = POS_WEIGHT
    def term(yi: Mp, zi: Mp, wi: Mp) -> Mp:
        one_minus_y = mp.fsub(1, yi, exact=True)
        return wi * yi * mp.log1p(mp.exp(-zi)) + one_minus_y * mp.log1p(mp.exp(zi))

    w = _mp(POS_WEIGHT)
    return mp.fsum(term(yi, zi, wi) for yi, zi, wi in zip(y, z, w, strict=True)) / len(y)


def ex_tversky(y: list[Mp], p: list[Mp], alpha: float = 0.5, beta: float = 0.5) -> Mp:
    a, b = mp.mpf(alpha), mp.mpf(beta)
    tp = mp.fsum(yi * pi for yi, pi in zip(y, p, strict=True))
    fp = mp.fsum((1 - yi) * pi for yi, pi in zip(y, p, strict=True))
    fn = mp.fsum(yi * (1 - pi) for yi, pi in zip(y, p, strict=True))
    wrong = a * fp + b * fn
    return wrong / (tp + wrong) if tp + wrong else mp.mpf(0)


def ex_ctc(labels: list[int], z: list[list[Mp]], blank: int = 0) -> Mp:
    """-log Σ over alignments, by the forward recursion in 50 digits (no log space needed)."""
    label = [k for k in labels if k >= 0]  # -1 pads the label (see ctc_cases)
    ext = [blank]
    for k in label:
        ext += [k, blank]
    probs = [[mp.exp(-_neg_log_softmax(zt, k)) for k in range(len(zt))] for zt in z]
    alpha = [mp.mpf(0)] * len(ext)
    alpha[0] = probs[0][ext[0]]
    if len(ext) > 1:
        alpha[1] = probs[0][ext[1]]
    for pt in probs[1:]:
        new = []
        for s, k in enumerate(ext):
            total = alpha[s] + (alpha[s - 1] if s >= 1 else 0)
            if s >= 2 and k != blank and k != ext[s - 2]:
                total += alpha[s - 2]
            new.append(total * pt[k])
        alpha = new
    total = alpha[-1] + (alpha[-2] if len(ext) > 1 else 0)
    return -mp.log(total) if total > 0 else mp.inf


def _cos(u: list[Mp], v: list[Mp]) -> Mp:
    nu, nv = mp.sqrt(mp.fsum(x * x for x in u)), mp.sqrt(mp.fsum(x * x for x in v))
    return mp.fsum(a * b for a, b in zip(u, v, strict=True)) / (nu * nv) if nu * nv else 0


def ex_cosine_similarity(u: list[Mp], v: list[Mp]) -> Mp:
    return -_cos(u, v)


def scale_cosine(u: list[Mp], v: list[Mp]) -> Mp:
    """The size of the terms of the cosine, Σ |u_i v_i| / (‖u‖ ‖v‖): at most 1."""
    return _cos([abs(x) for x in u], [abs(x) for x in v])


def scale_cosine_embedding(y: Mp, a: list[Mp], b: list[Mp]) -> Mp:
    # only y = -1 scores the cosine itself; for y = 1, 1 - cos is judged relatively
    return scale_cosine(a, b) if y != 1 else mp.mpf(0)


def ex_cosine_embedding(y: Mp, a: list[Mp], b: list[Mp], margin: float = 0.0) -> Mp:
    cos = _cos(a, b)
    return 1 - cos if y == 1 else max(mp.mpf(0), cos - mp.mpf(margin))


def ex_margin_ranking(y: list[Mp], x1: list[Mp], x2: list[Mp], margin: float = 0.0) -> list[Mp]:
    # elementwise: one value per pair of scores
    return [max(mp.mpf(0), margin - yi * (a - b)) for yi, a, b in zip(y, x1, x2, strict=True)]


def _distance(x: list[Mp], y: list[Mp], eps: float = 1e-6) -> Mp:
    # PyTorch's pairwise_distance: eps added to each entry of the difference, p = 2
    return mp.sqrt(mp.fsum((a - b + mp.mpf(eps)) ** 2 for a, b in zip(x, y, strict=True)))


def ex_triplet(a: list[Mp], p: list[Mp], n: list[Mp], margin: float = 1.0) -> Mp:
    return max(mp.mpf(0), _distance(a, p) - _distance(a, n) + margin)


def ex_contrastive(y: Mp, a: list[Mp], b: list[Mp], margin: float = 1.0) -> Mp:
    d = mp.sqrt(mp.fsum((x - z) ** 2 for x, z in zip(a, b, strict=True)))
    return d**2 / 2 if y == 1 else max(mp.mpf(0), margin - d) ** 2 / 2


def ex_circle(labels: list[int], e: list[list[Mp]], gamma: float = 80, m: float = 0.4) -> list[Mp]:
    """Every sample's Circle loss (Keras's definition), from the whole batch."""
    out = []
    for i, li in enumerate(labels):
        s = [min(mp.fsum(a * b for a, b in zip(e[i], e[j], strict=True)), 1) for j in range(len(e))]
        pos = [s[j] for j in range(len(e)) if j != i and labels[j] == li]
        neg = [s[j] for j in range(len(e)) if labels[j] != li]
        if not pos or not neg:
            out.append(mp.mpf(0))
            continue
        sum_n = mp.fsum(mp.exp(gamma * max(0, sn + m) * (sn - m)) for sn in neg)
        sum_p = mp.fsum(mp.exp(-gamma * max(0, 1 + m - sp) * (sp - (1 - m))) for sp in pos)
        out.append(mp.log1p(sum_n * sum_p))
    return out


def ex_info_nce(za: list[list[Mp]], zb: list[list[Mp]], tau: float = INFO_NCE_TAU) -> list[Mp]:
    """Every row's InfoNCE: -log softmax(S_i / τ)_i with S the cosine similarities."""
    out = []
    for i, a in enumerate(za):
        logits = [_cos(a, b) / tau for b in zb]
        out.append(_neg_log_softmax(logits, i))
    return out


def ex_gaussian_kl(mu: list[Mp], v: list[Mp]) -> Mp:
    return mp.fsum(m**2 + mp.expm1(vi) - vi for m, vi in zip(mu, v, strict=True)) / 2


def _softplus(x: Mp) -> Mp:
    return mp.log1p(mp.exp(x))


def ex_gan_discriminator(r: list[Mp], f: list[Mp]) -> list[Mp]:
    # -log σ(r) - log σ(-f) = softplus(-r) + softplus(f), elementwise
    return [_softplus(-ri) + _softplus(fi) for ri, fi in zip(r, f, strict=True)]


def ex_gan_generator(f: list[Mp], non_saturating: bool = True) -> list[Mp]:
    # -log σ(f) = softplus(-f); the minimax log σ(-f) = -softplus(f)
    return [_softplus(-fi) if non_saturating else -_softplus(fi) for fi in f]


DISTILLATION_T = 2.0


def _log_softmax_row(z: list[Mp], tau: float) -> list[Mp]:
    u = [zi / tau for zi in z]
    return [-_neg_log_softmax(u, i) for i in range(len(u))]


def ex_distillation(t: list[Mp], s: list[Mp], tau: float = DISTILLATION_T) -> Mp:
    # T² Σ p (log p - log q), p = softmax(t/T), q = softmax(s/T)
    lp, lq = _log_softmax_row(t, tau), _log_softmax_row(s, tau)
    return tau**2 * mp.fsum(mp.exp(a) * (a - b) for a, b in zip(lp, lq, strict=True))


def scale_distillation(t: list[Mp], s: list[Mp], tau: float = DISTILLATION_T) -> Mp:
    """The size of the terms, T² Σ p (|log p| + |log q|): a teacher equal to the student gives 0."""
    lp, lq = _log_softmax_row(t, tau), _log_softmax_row(s, tau)
    return tau**2 * mp.fsum(mp.exp(a) * (abs(a) + abs(b)) for a, b in zip(lp, lq, strict=True))


# --- input cases --------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    args: tuple[Array, ...]  # float64 values, cast to the dtype under test


def _dirichlet(rng: np.random.Generator, n: int, alpha: float = 1.0) -> Array:
    return rng.dirichlet(np.full(K, alpha), size=n)


def _tiny_rows(rng: np.random.Generator, n: int, dtype: type) -> Array:
    """Distributions where 1-9 entries are tiny: 10^-u, down to 1e-300 (float64) or
    the smallest normal float32 (float32).  The rest of the mass is spread at random."""
    tiny = float(np.finfo(dtype).tiny)
    lowest = 1e-300 if dtype is np.float64 else tiny
    p = _dirichlet(rng, n)
    for row in p:
        m = rng.integers(1, K)
        idx = rng.choice(K, size=m, replace=False)
        row[idx] = 10.0 ** -rng.uniform(2, -math.log10(lowest), size=m)
        row[idx[0]] = lowest  # the extreme itself, in every row
        rest = np.setdiff1d(np.arange(K), idx)
        row[rest] *= (1 - row[idx].sum()) / row[rest].sum()
    return p


def _with_zeros(rng: np.random.Generator, n: int) -> Array:
    p = _dirichlet(rng, n)
    for row in p:
        idx = rng.choice(K, size=rng.integers(1, K), replace=False)
        row[idx] = 0.0
        row /= row.sum()
    return p


def _one_hot(rng: np.random.Generator, n: int, labels: Array | None = None) -> Array:
    labels = rng.integers(0, K, size=n) if labels is None else labels
    return np.eye(K)[labels]


def _confident_logits(rng: np.random.Generator, n: int, dtype: type) -> tuple[Array, Array]:
    """Logits whose largest entry (the label) leads by 5..30 (float64) or 3..15 (float32):
    the loss -log softmax(z)_label is tiny but far from underflow."""
    top = 30 if dtype is np.float64 else 15
    z = rng.normal(0, 1, size=(n, K))
    labels = rng.integers(0, K, size=n)
    z[np.arange(n), labels] = z.max(axis=1) + rng.uniform(3, top, size=n)
    return labels, z


def distribution_cases(rng: np.random.Generator, dtype: type, n: int, pair: bool) -> list[Case]:
    tiny = _tiny_rows(rng, n, dtype)
    if not pair:
        return [
            Case("random", (_dirichlet(rng, n),)),
            Case("tiny p", (tiny,)),
            Case("zeros in p", (_with_zeros(rng, n),)),
        ]
    return [
        Case("random", (_dirichlet(rng, n), _dirichlet(rng, n))),
        Case("tiny q", (_dirichlet(rng, n), tiny)),
        Case("tiny p and q", (_tiny_rows(rng, n, dtype), tiny)),
        Case("zeros in p", (_with_zeros(rng, n), _dirichlet(rng, n))),
    ]


def regression_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    big = 150 if dtype is np.float64 else 18  # squares stay finite
    t = rng.normal(size=(n, K))
    scale = 10.0 ** rng.uniform(-big, big, size=(n, 1))
    rel = 10.0 ** -rng.uniform(1, 15 if dtype is np.float64 else 6, size=(n, K))
    return [
        Case("random", (t, rng.normal(size=(n, K)))),
        Case("magnitudes 1e-150..1e150", (t * scale, rng.normal(size=(n, K)) * scale)),
        Case("y_pred ≈ y_true", (t, t * (1 + rel))),
        Case(
            "abs(error) near delta = 1",
            (t, t + rng.choice([-1, 1], (n, K)) * rng.uniform(0.9, 1.1)),
        ),
    ]


def distillation_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Teacher and student logits: random, nearly equal (a loss near 0), ±1e4, confident."""
    t = rng.normal(0, 3, size=(n, K))
    return [
        Case("random", (t, rng.normal(0, 3, size=(n, K)))),
        Case("student = teacher + 1e-4", (t, t + 1e-4 * rng.normal(size=(n, K)))),
        Case("uniform ±1e4", (rng.uniform(-1e4, 1e4, (n, K)), rng.uniform(-1e4, 1e4, (n, K)))),
        Case("confident teacher", (_confident_logits(rng, n, dtype)[1], t)),
    ]


def logit_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    return [
        Case("random", (rng.normal(0, 3, size=(n, K)),)),
        Case("uniform ±1e4", (rng.uniform(-1e4, 1e4, size=(n, K)),)),
        Case("offset ±1e4", (rng.choice([-1e4, 1e4], (n, 1)) + rng.normal(0, 3, size=(n, K)),)),
        Case("confident", (_confident_logits(rng, n, dtype)[1],)),
    ]


def cce_cases(rng: np.random.Generator, dtype: type, n: int, from_logits: bool) -> list[Case]:
    if from_logits:
        labels, z = _confident_logits(rng, n, dtype)
        z_big = rng.uniform(-1e4, 1e4, size=(n, K))
        return [
            Case("random", (_dirichlet(rng, n), rng.normal(0, 3, size=(n, K)))),
            Case("one-hot, uniform ±1e4", (_one_hot(rng, n), z_big)),
            Case("one-hot on the max, ±1e4", (_one_hot(rng, n, z_big.argmax(1)), z_big)),
            Case("one-hot, confident", (_one_hot(rng, n, labels), z)),
        ]
    q = _tiny_rows(rng, n, dtype)
    near_one = _dirichlet(rng, n) * 10.0 ** -rng.uniform(1, 15, size=(n, 1))
    labels = rng.integers(0, K, size=n)
    near_one[np.arange(n), labels] = 0.0
    near_one[np.arange(n), labels] = 1 - near_one.sum(axis=1)
    return [
        Case("random", (_dirichlet(rng, n), _dirichlet(rng, n))),
        Case("one-hot, tiny p", (_one_hot(rng, n, q.argmin(1)), q)),
        Case("soft, tiny p", (_dirichlet(rng, n), q)),
        Case("one-hot, p near 1", (_one_hot(rng, n, labels), near_one)),
    ]


def sparse_cases(rng: np.random.Generator, dtype: type, n: int, from_logits: bool) -> list[Case]:
    return [
        Case(c.name, (c.args[0].argmax(axis=1), c.args[1]))
        for c in cce_cases(rng, dtype, n, from_logits)
    ]


def bce_cases(rng: np.random.Generator, dtype: type, n: int, from_logits: bool) -> list[Case]:
    lowest = 300 if dtype is np.float64 else -math.log10(float(np.finfo(dtype).tiny))
    y01 = rng.integers(0, 2, size=(n, K)).astype(float)
    if from_logits:
        margin = rng.uniform(3, 30 if dtype is np.float64 else 15, size=(n, K))
        return [
            Case("random", (rng.uniform(size=(n, K)), rng.normal(0, 3, size=(n, K)))),
            Case("0/1 labels, uniform ±1e4", (y01, rng.uniform(-1e4, 1e4, size=(n, K)))),
            Case("0/1 labels, confident", (y01, (2 * y01 - 1) * margin)),
        ]
    tiny = 10.0 ** -rng.uniform(1, lowest, size=(n, K))
    return [
        Case("random", (rng.uniform(size=(n, K)), rng.uniform(size=(n, K)))),
        Case("0/1 labels, tiny p", (y01, tiny)),
        Case("y=0, tiny p (confident)", (np.zeros((n, K)), tiny)),
        Case("y=1, p near 1 (confident)", (np.ones((n, K)), 1 - tiny / 10)),
    ]


def margin_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Signs y in {-1, 1} and scores z: random, far out, and margins y z near the kink at 1."""
    y = rng.choice([-1.0, 1.0], size=(n, K))
    rel = 10.0 ** -rng.uniform(1, 15 if dtype is np.float64 else 6, size=(n, K))
    return [
        Case("random", (y, rng.normal(0, 3, size=(n, K)))),
        Case("scores ±1e4", (y, rng.uniform(-1e4, 1e4, size=(n, K)))),
        Case("margins near 1", (y, y * (1 + rng.choice([-1, 1], (n, K)) * rel))),
    ]


def one_hot_score_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """One-hot targets and scores: random, far out, and the true score near the hinge's kink."""
    labels = rng.integers(0, K, size=n)
    z = rng.normal(0, 3, size=(n, K))
    rel = 10.0 ** -rng.uniform(1, 15 if dtype is np.float64 else 6, size=n)
    near = z.copy()
    near[np.arange(n), labels] = -np.inf
    neg = np.maximum(near.max(axis=1), 0)  # Keras's neg: max(0, max of the other scores)
    near[np.arange(n), labels] = (1 + neg) * (1 + rng.choice([-1, 1], n) * rel)
    return [
        Case("random", (_one_hot(rng, n, labels), z)),
        Case("scores ±1e4", (_one_hot(rng, n, labels), rng.uniform(-1e4, 1e4, size=(n, K)))),
        Case("true score near the kink", (_one_hot(rng, n, labels), near)),
    ]


def label_score_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Integer labels and scores, for the multi-margin loss: shortfalls near 0 included."""
    return [
        Case(c.name, (c.args[0].argmax(axis=1), c.args[1]))
        for c in one_hot_score_cases(rng, dtype, n)
    ]


def target_list_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """PyTorch's multilabel targets (class indices ended by -1, then junk) and scores."""
    targets = -np.ones((n, K))
    for row in targets:
        m = rng.integers(0, K + 1)
        row[:m] = rng.choice(K, size=m, replace=False)
        row[m + 1 :] = rng.integers(-1, K, size=max(K - m - 1, 0))
    return [
        Case("random", (targets, rng.normal(0, 3, size=(n, K)))),
        Case("scores ±1e4", (targets, rng.uniform(-1e4, 1e4, size=(n, K)))),
    ]


def distance_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Similar (1) or dissimilar (-1) pairs and distances x >= 0, some near the margin 1."""
    big = 150 if dtype is np.float64 else 30  # float32 ends near 3e38
    y = rng.choice([-1.0, 1.0], size=(n, K))
    rel = 10.0 ** -rng.uniform(1, 15 if dtype is np.float64 else 6, size=(n, K))
    return [
        Case("random", (y, np.abs(rng.normal(0, 2, size=(n, K))))),
        Case("distances near the margin", (y, 1 + rng.choice([-1, 1], (n, K)) * rel)),
        Case("distances 1e-150..1e150", (y, 10.0 ** rng.uniform(-big, big, size=(n, K)))),
    ]


def calibration_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Labels and predicted distributions for the ECE of a whole set."""
    confident = _dirichlet(rng, n, alpha=0.05)
    # top-class confidences exactly on the float64 bin edges m/15 (m >= 2, so the edge is
    # the row's maximum; float32 rounds them off the edges), the rest spread evenly
    edge = rng.integers(2, 16, size=(n, 1)) / 15
    on_edge = np.hstack([edge, np.repeat((1 - edge) / (K - 1), K - 1, axis=1)])
    return [
        Case("random", (rng.integers(0, K, size=n), _dirichlet(rng, n))),
        Case("confident", (confident.argmax(axis=1), confident)),
        Case("confident and wrong", ((confident.argmax(axis=1) + 1) % K, confident)),
        Case("confidences on the bin edges", (rng.integers(0, K, size=n), on_edge)),
    ]


def positive_regression_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Targets and outputs above -1 (MSLE): random, nearly equal, and 1e-30..1e30."""
    big = 30 if dtype is np.float64 else 15  # log1p of the squares stays finite
    t = np.exp(rng.normal(size=(n, K)))
    rel = 10.0 ** -rng.uniform(1, 15 if dtype is np.float64 else 6, size=(n, K))
    scale = 10.0 ** rng.uniform(-big, big, size=(n, 1))
    return [
        Case("random", (t, np.exp(rng.normal(size=(n, K))))),
        Case("y_pred ≈ y_true", (t, t * (1 + rel))),
        Case("magnitudes 1e-30..1e30", (t * scale, np.exp(rng.normal(size=(n, K))) * scale)),
        Case("near -1", (-1 + rel, -1 + rel * np.exp(rng.normal(size=(n, K))))),
    ]


def gaussian_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Targets, means and variances: random, variances at or below the clamp, large errors."""
    t, o = rng.normal(size=(n, K)), rng.normal(size=(n, K))
    tiny_var = np.where(rng.random((n, K)) < 0.3, 0.0, 10.0 ** -rng.uniform(5, 8, size=(n, K)))
    return [
        Case("random", (t, o, rng.uniform(0.1, 3.0, size=(n, K)))),
        Case("variances near and below eps", (t, o, tiny_var)),
        Case("errors 1e3, variances 1e-3..1e3", (t, o * 1e3, 10.0 ** rng.uniform(-3, 3, (n, K)))),
    ]


def count_cases(rng: np.random.Generator, dtype: type, n: int, log_rates: bool) -> list[Case]:
    """Counts and rates (or log-rates): random, tiny rates, large counts near their rate."""
    counts = rng.poisson(4.0, size=(n, K)).astype(float)
    big = rng.poisson(1e4, size=(n, K)).astype(float)
    rates = [
        ("random", counts, np.exp(rng.normal(1.0, 1.0, size=(n, K)))),
        ("tiny rates", counts, 10.0 ** -rng.uniform(1, 30, size=(n, K))),
        ("large counts at their rate", big, big * (1 + rng.normal(0, 1e-3, size=(n, K)))),
    ]
    if log_rates:
        return [Case(name, (y, np.log(mu))) for name, y, mu in rates]
    return [Case(name, (y, mu)) for name, y, mu in rates]


def weighting_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    losses = rng.exponential(size=(n, K))
    return [
        Case("random", (losses, rng.uniform(size=(n, K)))),
        Case("weights 1e-30..1e30", (losses, 10.0 ** rng.uniform(-30, 30, size=(n, K)))),
        Case("some weights 0", (losses, np.where(rng.random((n, K)) < 0.5, 0.0, 1.0))),
    ]


def overlap_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Masks y in {0, 1} and soft predictions: random, nearly perfect, empty."""
    y = (rng.random((n, K)) < 0.4).astype(float)
    rel = 10.0 ** -rng.uniform(1, 15 if dtype is np.float64 else 6, size=(n, K))
    empty = np.zeros((n, K))
    empty[n // 2 :] = y[n // 2 :]  # half the rows empty, half not
    return [
        Case("random", (y, rng.uniform(size=(n, K)))),
        Case("nearly perfect", (y, np.abs(y - rel))),
        Case("empty targets, some empty predictions", (empty, empty * rng.uniform(size=(n, K)))),
    ]


CTC_T, CTC_C, CTC_S = 12, 5, 4  # frames, classes (blank 0 included), longest label


def ctc_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Labels padded with -1 (lengths 1..S) and logits (n, T, C): random, confident, ±1e4."""
    labels = rng.integers(1, CTC_C, size=(n, CTC_S)).astype(float)
    lengths = rng.integers(1, CTC_S + 1, size=n)
    labels[np.arange(CTC_S) >= lengths[:, None]] = -1
    shape = (n, CTC_T, CTC_C)
    confident = rng.normal(size=shape)
    confident[..., 0] += 12.0 if dtype is np.float64 else 6.0  # blank almost surely
    return [
        Case("random", (labels, rng.normal(0, 2, size=shape))),
        Case("confident blanks", (labels, confident)),
        Case("logits ±1e4", (labels, rng.uniform(-1e4, 1e4, size=shape))),
    ]


def _ctc(labels: Array, z: Array) -> Any:
    """lb.ctc_loss with labels padded by -1, every frame used."""
    lengths = (labels >= 0).sum(axis=1)
    frames = np.full(len(labels), z.shape[1])
    padded = np.where(labels >= 0, labels, 1)  # any valid symbol: padding is ignored
    return lb.ctc_loss(padded, z, label_lengths=lengths, logit_lengths=frames)


def vector_pair_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Pairs of vectors (n, K): random, nearly parallel, nearly orthogonal, huge and tiny."""
    u = rng.normal(size=(n, K))
    big = 150 if dtype is np.float64 else 15
    rel = 10.0 ** -rng.uniform(2, 15 if dtype is np.float64 else 6, size=(n, K))
    scale = 10.0 ** rng.uniform(-big, big, size=(n, 1))
    w = rng.normal(size=(n, K))
    ortho = w - (np.sum(w * u, axis=1, keepdims=True) / np.sum(u * u, axis=1, keepdims=True)) * u
    return [
        Case("random", (u, rng.normal(size=(n, K)))),
        Case("nearly parallel", (u, u * (1 + rel))),
        Case("nearly orthogonal", (u, ortho + rel * u)),
        Case("norms 1e-150..1e150", (u * scale, w * scale)),
    ]


def labelled_pair_cases(
    rng: np.random.Generator, dtype: type, n: int, zero_one: bool
) -> list[Case]:
    """A label per pair (±1, or 1/0 for contrastive) before the pairs of vector_pair_cases."""
    labels = rng.choice([0.0, 1.0] if zero_one else [-1.0, 1.0], size=n)
    return [Case(c.name, (labels, *c.args)) for c in vector_pair_cases(rng, dtype, n)]


def ranking_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    y = rng.choice([-1.0, 1.0], size=(n, K))
    x1 = rng.normal(size=(n, K))
    rel = 10.0 ** -rng.uniform(1, 15 if dtype is np.float64 else 6, size=(n, K))
    return [
        Case("random", (y, x1, rng.normal(size=(n, K)))),
        Case("scores ±1e4", (y, rng.uniform(-1e4, 1e4, (n, K)), rng.uniform(-1e4, 1e4, (n, K)))),
        Case("x1 ≈ x2", (y, x1, x1 * (1 + rel))),
    ]


def triplet_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    a = rng.normal(size=(n, K))
    p = a + rng.normal(scale=0.3, size=(n, K))
    rel = 10.0 ** -rng.uniform(1, 10 if dtype is np.float64 else 5, size=(n, 1))
    return [
        Case("random", (a, p, rng.normal(size=(n, K)))),
        Case("distances 1e-3..1e3", (a * 1e3, p * 1e3, rng.normal(size=(n, K)) * 1e-3)),
        Case("negative as close as the positive", (a, p, p * (1 + rel))),
    ]


def _unit(x: Array) -> Array:
    out: Array = x / np.linalg.norm(x, axis=1, keepdims=True)
    return out


def embedding_batch_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Labels and L2-normalized embeddings (n, K): random, clustered by class."""
    labels = rng.integers(0, 3, size=n)
    centres = _unit(rng.normal(size=(3, K)))
    return [
        Case("random", (labels, _unit(rng.normal(size=(n, K))))),
        Case("clustered", (labels, _unit(centres[labels] + rng.normal(scale=0.1, size=(n, K))))),
    ]


def embedding_pair_batch_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    za = rng.normal(size=(n, K))
    return [
        Case("random", (za, rng.normal(size=(n, K)))),
        Case("matched pairs", (za, za + rng.normal(scale=0.05, size=(n, K)))),
        Case("norms 1e-30..1e30", (za * 1e30, rng.normal(size=(n, K)) * 1e-30)),
    ]


def latent_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Means and log-variances: random, the prior itself within rounding, ±50."""
    tiny = 10.0 ** -rng.uniform(4, 15 if dtype is np.float64 else 6, size=(n, K))
    return [
        Case("random", (rng.normal(size=(n, K)), rng.normal(size=(n, K)))),
        Case(
            "near the prior", (tiny * rng.choice([-1, 1], (n, K)), tiny * rng.normal(size=(n, K)))
        ),
        Case("log-variances ±50", (rng.normal(size=(n, K)), rng.uniform(-50, 50, size=(n, K)))),
    ]


def gan_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    """Real and fake logits: random, ±1e4, and a confident discriminator (tiny losses)."""
    top = 30 if dtype is np.float64 else 15
    return [
        Case("random", (rng.normal(0, 3, size=(n, K)), rng.normal(0, 3, size=(n, K)))),
        Case("logits ±1e4", (rng.uniform(-1e4, 1e4, (n, K)), rng.uniform(-1e4, 1e4, (n, K)))),
        Case("confident", (rng.uniform(3, top, (n, K)), -rng.uniform(3, top, (n, K)))),
    ]


def fake_logit_cases(rng: np.random.Generator, dtype: type, n: int) -> list[Case]:
    return [Case(c.name, (c.args[1],)) for c in gan_cases(rng, dtype, n)]


# --- the functions under test ---------------------------------------------------------------


@dataclass
class Spec:
    name: str
    func: Callable[..., Any]
    exact: Callable[..., Any]
    cases: Callable[[np.random.Generator, type, int], list[Case]]  # (rng, dtype, rows)
    kwargs: dict[str, Any] = field(default_factory=dict)
    int_first: bool = False  # the first argument holds integer labels (or lists of them)
    # the exact function takes every row at once (the ECE: one value for the set;
    # Circle and InfoNCE: one per row, each depending on the whole batch)
    whole_set: bool = False
    # for a loss whose terms have both signs, so that it can be 0: the mean size
    # of its terms, against which its error is measured (see relative_error)
    term_scale: Callable[..., Mp] | None = None


def specs() -> list[Spec]:
    return [
        Spec(
            "entropy",
            lb.entropy,
            ex_entropy,
            lambda r, d, n: distribution_cases(r, d, n, False),
        ),
        Spec(
            "kl_divergence",
            lb.kl_divergence,
            ex_kl,
            lambda r, d, n: distribution_cases(r, d, n, True),
        ),
        Spec(
            "cross_entropy",
            lb.cross_entropy,
            ex_cross_entropy,
            lambda r, d, n: distribution_cases(r, d, n, True),
        ),
        Spec("mean_squared_error", lb.mean_squared_error, ex_mse, regression_cases),
        Spec("mean_absolute_error", lb.mean_absolute_error, ex_mae, regression_cases),
        Spec("huber", lb.huber, ex_huber, regression_cases),
        Spec("softmax", lb.softmax, ex_softmax, logit_cases),
        Spec("log_softmax", lb.log_softmax, ex_log_softmax, logit_cases),
        Spec("logsumexp", lb.logsumexp, ex_logsumexp, logit_cases),
        Spec(
            "categorical_crossentropy",
            lb.categorical_crossentropy,
            ex_cce_probs,
            lambda r, d, n: cce_cases(r, d, n, False),
        ),
        Spec(
            "categorical_crossentropy(from_logits=True)",
            lb.categorical_crossentropy,
            ex_cce_logits,
            lambda r, d, n: cce_cases(r, d, n, True),
            {"from_logits": True},
        ),
        Spec(
            "sparse_categorical_crossentropy",
            lb.sparse_categorical_crossentropy,
            lambda label, p: -mp.log(p[int(label)]),
            lambda r, d, n: sparse_cases(r, d, n, False),
            int_first=True,
        ),
        Spec(
            "sparse_categorical_crossentropy(from_logits=True)",
            lb.sparse_categorical_crossentropy,
            lambda label, z: _neg_log_softmax(z, int(label)),
            lambda r, d, n: sparse_cases(r, d, n, True),
            {"from_logits": True},
            int_first=True,
        ),
        Spec(
            "binary_crossentropy",
            lb.binary_crossentropy,
            ex_bce_probs,
            lambda r, d, n: bce_cases(r, d, n, False),
        ),
        Spec(
            "binary_crossentropy(from_logits=True)",
            lb.binary_crossentropy,
            ex_bce_logits,
            lambda r, d, n: bce_cases(r, d, n, True),
            {"from_logits": True},
        ),
        # label smoothing: the same cases, the target smoothed exactly in the reference
        Spec(
            f"categorical_crossentropy(label_smoothing={SMOOTHING})",
            lb.categorical_crossentropy,
            lambda y, p: ex_cce_probs(_smoothed(y, K), p),
            lambda r, d, n: cce_cases(r, d, n, False),
            {"label_smoothing": SMOOTHING},
        ),
        Spec(
            f"categorical_crossentropy(from_logits=True, label_smoothing={SMOOTHING})",
            lb.categorical_crossentropy,
            lambda y, z: ex_cce_logits(_smoothed(y, K), z),
            lambda r, d, n: cce_cases(r, d, n, True),
            {"from_logits": True, "label_smoothing": SMOOTHING},
        ),
        Spec(
            f"binary_crossentropy(label_smoothing={SMOOTHING})",
            lb.binary_crossentropy,
            lambda y, p: ex_bce_probs(_smoothed(y, 2), p),
            lambda r, d, n: bce_cases(r, d, n, False),
            {"label_smoothing": SMOOTHING},
        ),
        Spec(
            f"binary_crossentropy(from_logits=True, label_smoothing={SMOOTHING})",
            lb.binary_crossentropy,
            lambda y, z: ex_bce_logits(_smoothed(y, 2), z),
            lambda r, d, n: bce_cases(r, d, n, True),
            {"from_logits": True, "label_smoothing": SMOOTHING},
        ),
        # the loss zoo (issue 14), as it lands
        Spec(
            "binary_focal_crossentropy",
            lb.binary_focal_crossentropy,
            ex_binary_focal,
            lambda r, d, n: bce_cases(r, d, n, False),
        ),
        Spec(
            "binary_focal_crossentropy(from_logits=True)",
            lb.binary_focal_crossentropy,
            ex_binary_focal_logits,
            lambda r, d, n: bce_cases(r, d, n, True),
            {"from_logits": True},
        ),
        Spec(
            "categorical_focal_crossentropy",
            lb.categorical_focal_crossentropy,
            ex_categorical_focal,
            lambda r, d, n: cce_cases(r, d, n, False),
        ),
        Spec(
            "categorical_focal_crossentropy(from_logits=True)",
            lb.categorical_focal_crossentropy,
            ex_categorical_focal_logits,
            lambda r, d, n: cce_cases(r, d, n, True),
            {"from_logits": True},
        ),
        Spec(
            f"categorical_generalized_cross_entropy(q={GCE_Q})",
            lb.categorical_generalized_cross_entropy,
            ex_gce,
            lambda r, d, n: sparse_cases(r, d, n, False),
            {"q": GCE_Q},
            int_first=True,
        ),
        Spec(
            f"categorical_generalized_cross_entropy(q={GCE_SMALL_Q:g})",
            lb.categorical_generalized_cross_entropy,
            lambda label, p: ex_gce(label, p, q=GCE_SMALL_Q),
            lambda r, d, n: sparse_cases(r, d, n, False),
            {"q": GCE_SMALL_Q},
            int_first=True,
        ),
        Spec(
            "brier_score",
            lb.brier_score,
            ex_brier,
            lambda r, d, n: distribution_cases(r, d, n, True),
        ),
        Spec(
            "expected_calibration_error",
            lb.expected_calibration_error,
            ex_ece,
            calibration_cases,
            int_first=True,
            whole_set=True,
        ),
        Spec("hinge", lb.hinge, ex_hinge, margin_cases),
        Spec("squared_hinge", lb.squared_hinge, ex_squared_hinge, margin_cases),
        Spec("categorical_hinge", lb.categorical_hinge, ex_categorical_hinge, one_hot_score_cases),
        Spec("soft_margin", lb.soft_margin, ex_soft_margin, margin_cases),
        Spec(
            "multilabel_soft_margin",
            lb.multilabel_soft_margin,
            ex_bce_logits,
            lambda r, d, n: bce_cases(r, d, n, True),
        ),
        Spec("multi_margin", lb.multi_margin, ex_multi_margin, label_score_cases, int_first=True),
        Spec(
            "multi_margin(p=2)",
            lb.multi_margin,
            lambda label, z: ex_multi_margin(label, z, p=2),
            label_score_cases,
            {"p": 2},
            int_first=True,
        ),
        Spec(
            "multilabel_margin",
            lb.multilabel_margin,
            ex_multilabel_margin,
            target_list_cases,
            int_first=True,
        ),
        Spec("hinge_embedding", lb.hinge_embedding, ex_hinge_embedding, distance_cases),
        # issues 13 and 15
        Spec("log_cosh", lb.log_cosh, ex_log_cosh, regression_cases),
        Spec(
            f"smooth_l1(beta={SMOOTH_L1_BETA})",
            lb.smooth_l1,
            lambda t, y: ex_huber(t, y, SMOOTH_L1_BETA) / SMOOTH_L1_BETA,
            regression_cases,
            {"beta": SMOOTH_L1_BETA},
        ),
        Spec(
            f"quantile_loss(q={QUANTILE})",
            lb.quantile_loss,
            ex_quantile,
            regression_cases,
            {"q": QUANTILE},
        ),
        Spec(
            "mean_squared_logarithmic_error",
            lb.mean_squared_logarithmic_error,
            ex_msle,
            positive_regression_cases,
        ),
        Spec(
            "mean_absolute_percentage_error",
            lb.mean_absolute_percentage_error,
            ex_mape,
            regression_cases,
        ),
        Spec(
            "gaussian_nll",
            lb.gaussian_nll,
            ex_gaussian_nll,
            gaussian_cases,
            term_scale=scale_gaussian_nll,
        ),
        Spec(
            "poisson",
            lb.poisson,
            ex_poisson,
            lambda r, d, n: count_cases(r, d, n, False),
            term_scale=scale_poisson,
        ),
        Spec(
            "poisson_nll",
            lb.poisson_nll,
            ex_poisson_nll,
            lambda r, d, n: count_cases(r, d, n, True),
            term_scale=scale_poisson_nll,
        ),
        Spec(
            "poisson_nll(full=True)",
            lb.poisson_nll,
            lambda y, o: ex_poisson_nll(y, o, full=True),
            lambda r, d, n: count_cases(r, d, n, True),
            {"full": True},
        ),
        Spec(
            "weighted_mean(axis=-1)",
            lambda losses, w: lb.weighted_mean(losses, weights=w, axis=-1),
            ex_weighted_mean,
            weighting_cases,
        ),
        Spec(
            "binary_crossentropy(pos_weight=0.5..5)",
            lambda y, p: lb.binary_crossentropy(y, p, pos_weight=POS_WEIGHT),
            ex_bce_probs_pos_weight,
            lambda r, d, n: bce_cases(r, d, n, False),
        ),
        Spec(
            "binary_crossentropy(from_logits=True, pos_weight=0.5..5)",
            lambda y, z: lb.binary_crossentropy(y, z, from_logits=True, pos_weight=POS_WEIGHT),
            ex_bce_logits_pos_weight,
            lambda r, d, n: bce_cases(r, d, n, True),
        ),
        Spec(
            "dice(axis=-1)",
            lambda y, p: lb.dice(y, p, axis=-1),
            ex_tversky,
            overlap_cases,
        ),
        Spec(
            f"tversky(alpha={TVERSKY[0]}, beta={TVERSKY[1]}, axis=-1)",
            lambda y, p: lb.tversky(y, p, alpha=TVERSKY[0], beta=TVERSKY[1], axis=-1),
            lambda y, p: ex_tversky(y, p, *TVERSKY),
            overlap_cases,
        ),
        Spec("ctc_loss", _ctc, ex_ctc, ctc_cases, int_first=True),
        # issue 15: similarity
        Spec(
            "cosine_similarity",
            lb.cosine_similarity,
            ex_cosine_similarity,
            vector_pair_cases,
            term_scale=scale_cosine,
        ),
        Spec(
            "cosine_embedding",
            lb.cosine_embedding,
            ex_cosine_embedding,
            lambda r, d, n: labelled_pair_cases(r, d, n, False),
            term_scale=scale_cosine_embedding,
        ),
        Spec("margin_ranking", lb.margin_ranking, ex_margin_ranking, ranking_cases),
        Spec("triplet_margin", lb.triplet_margin, ex_triplet, triplet_cases),
        Spec(
            "contrastive",
            lb.contrastive,
            ex_contrastive,
            lambda r, d, n: labelled_pair_cases(r, d, n, True),
        ),
        Spec(
            "circle",
            lb.circle,
            ex_circle,
            embedding_batch_cases,
            int_first=True,
            whole_set=True,
        ),
        Spec(
            f"info_nce(temperature={INFO_NCE_TAU})",
            lambda za, zb: lb.info_nce(za, zb, temperature=INFO_NCE_TAU),
            ex_info_nce,
            embedding_pair_batch_cases,
            whole_set=True,
        ),
        # issue 16: divergences and generative models
        Spec("gaussian_kl", lb.gaussian_kl, ex_gaussian_kl, latent_cases),
        Spec(
            "gan_discriminator_loss",
            lb.gan_discriminator_loss,
            ex_gan_discriminator,
            gan_cases,
        ),
        Spec("gan_generator_loss", lb.gan_generator_loss, ex_gan_generator, fake_logit_cases),
        Spec(
            "gan_generator_loss(non_saturating=False)",
            lb.gan_generator_loss,
            lambda f: ex_gan_generator(f, non_saturating=False),
            fake_logit_cases,
            {"non_saturating": False},
        ),
        Spec(
            f"distillation(temperature={DISTILLATION_T})",
            lambda t, z: lb.distillation(t, z, temperature=DISTILLATION_T),
            ex_distillation,
            distillation_cases,
            term_scale=scale_distillation,
        ),
    ]


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Outcome:
    """The worst relative error of one function on one group of cases, in one dtype."""

    max_err: float = 0.0
    worst_case: str = ""
    nonfinite: int = 0  # NaN or inf where the exact value is finite
    errors: list[str] = field(default_factory=list)  # exceptions raised by lossbook

    def add(self, err: float, case: str) -> None:
        if err > self.max_err or not self.worst_case:
            self.max_err, self.worst_case = err, case


def relative_error(got: float, exact: Mp, dtype: type, scale: Mp = 0) -> tuple[float, bool]:
    """(error, nonfinite): the error as defined in the module docstring.

    ``scale`` (for losses whose terms have both signs): the error is taken
    relative to max(|exact|, scale) instead, scale being the mean size of the terms.
    """
    info = np.finfo(dtype)
    if not mp.isfinite(exact) or abs(exact) > info.max:
        return (0.0 if got == exact or (math.isinf(got) and exact > 0) else math.inf), False
    if not math.isfinite(got):
        return math.inf, True
    floor = max(abs(exact), scale, mp.mpf(float(info.tiny)))
    return float(abs(mp.mpf(got) - exact) / floor), False


def _labels(a: Array) -> Any:
    """A label (an int), or a row of them (a list), as the exact references take them."""
    return a.tolist() if a.ndim else int(a)


def measure_case(spec: Spec, case: Case, dtype: type, outcome: Outcome) -> None:
    args = [
        a.astype(np.intp) if spec.int_first and i == 0 else a.astype(dtype)
        for i, a in enumerate(case.args)
    ]
    try:
        got = np.asarray(spec.func(*args, **spec.kwargs))
    except (ValueError, FloatingPointError) as exc:
        outcome.errors.append(f"{case.name}: {exc}")
        return
    rows = range(args[-1].shape[0])
    if spec.whole_set:  # the exact function takes every row at once
        columns = [
            [_labels(a[r]) if spec.int_first and i == 0 else _mp(a[r]) for r in rows]
            for i, a in enumerate(args)
        ]
        exact = spec.exact(*columns)
        for g, e in zip(np.atleast_1d(got).tolist(), np.atleast_1d(exact).tolist(), strict=True):
            err, nonfinite = relative_error(g, e, dtype)
            outcome.nonfinite += nonfinite
            outcome.add(err, case.name)
        return
    for r in rows:
        row = [
            _labels(a[r]) if spec.int_first and i == 0 else _mp(a[r]) for i, a in enumerate(args)
        ]
        exact = spec.exact(*row)
        exact_values: Sequence[Mp] = exact if isinstance(exact, list) else [exact]
        scale = spec.term_scale(*row) if spec.term_scale else 0
        for g, e in zip(np.atleast_1d(got[r]).tolist(), exact_values, strict=True):
            err, nonfinite = relative_error(g, e, dtype, scale)
            outcome.nonfinite += nonfinite
            outcome.add(err, case.name)


@dataclass
class Row:
    function: str
    dtype: str
    random: Outcome
    adversarial: Outcome
    goal: float
    term_relative: bool = False  # the error is relative to the size of the terms

    @property
    def met(self) -> bool:
        worst = max(self.random.max_err, self.adversarial.max_err)
        failures = self.random.nonfinite + self.adversarial.nonfinite
        return worst <= self.goal and failures == 0 and not self.errors

    @property
    def errors(self) -> list[str]:
        return self.random.errors + self.adversarial.errors


def run(seed: int = 0, rows: int = ROWS) -> list[Row]:
    """Every spec in both dtypes; ``rows`` per input case (fewer for a smoke run)."""
    out = []
    for spec in specs():
        for dtype in (np.float64, np.float32):
            rng = np.random.default_rng(seed)
            random, adversarial = Outcome(), Outcome()
            for case in spec.cases(rng, dtype, rows):
                measure_case(spec, case, dtype, random if case.name == "random" else adversarial)
            name, goal = np.dtype(dtype).name, GOAL[dtype]
            term_relative = spec.term_scale is not None
            out.append(Row(spec.name, name, random, adversarial, goal, term_relative))
    return out
