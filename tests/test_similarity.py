"""lossbook/similarity.py: values by hand and against mpmath, properties, extremes, dtypes.

The frameworks are compared in tests/test_against_tensorflow.py (Keras's
cosine_similarity and circle) and tests/test_against_pytorch.py (PyTorch's
cosine, margin ranking and triplet losses, and InfoNCE as cross_entropy);
bad input is in the CASES of tests/test_validation.py.  The references here
are independent: the formulas written out term by term (Circle's double sum
over positive-negative pairs, not its factored log-sum-exps) in 50-digit
mpmath.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

mpmath.mp.dps = 50
EPS = float(np.finfo(np.float64).eps)
FUNCTIONS = ("cosine_similarity", "cosine_embedding", "margin_ranking", "triplet_margin")


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(15)


def _unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


# --- exact references: 50-digit mpmath on the very same floats --------------------------


def _mp_cos(u: np.ndarray, v: np.ndarray) -> mpmath.mpf:
    uu, vv = [mpmath.mpf(float(x)) for x in u], [mpmath.mpf(float(x)) for x in v]
    dot = mpmath.fsum(a * b for a, b in zip(uu, vv, strict=True))
    nu, nv = (
        mpmath.sqrt(mpmath.fsum(a * a for a in uu)),
        mpmath.sqrt(mpmath.fsum(b * b for b in vv)),
    )
    return dot / (nu * nv) if nu * nv else mpmath.mpf(0)


def _mp_info_nce(za: np.ndarray, zb: np.ndarray, tau: float) -> list[mpmath.mpf]:
    n = za.shape[0]
    s = [[_mp_cos(za[i], zb[j]) / mpmath.mpf(tau) for j in range(n)] for i in range(n)]
    return [mpmath.log(mpmath.fsum(mpmath.exp(x - s[i][i]) for x in s[i])) for i in range(n)]


def _mp_circle(labels: np.ndarray, e: np.ndarray, gamma: float, m: float) -> list[mpmath.mpf]:
    """Sun et al.'s loss as written: log(1 + Σ_n Σ_p exp(γ α_n (s_n - Δ_n) - γ α_p (s_p - Δ_p)))."""
    g, mm = mpmath.mpf(gamma), mpmath.mpf(m)
    b = len(labels)
    rows = [[mpmath.mpf(float(x)) for x in r] for r in e]
    out = []
    for i in range(b):
        s = [
            min(mpmath.fsum(a * c for a, c in zip(rows[i], rows[j], strict=True)), 1)
            for j in range(b)
        ]
        pos = [s[j] for j in range(b) if j != i and labels[j] == labels[i]]
        neg = [s[j] for j in range(b) if labels[j] != labels[i]]
        terms = [
            g * max(sn + mm, 0) * (sn - mm) - g * max(1 + mm - sp, 0) * (sp - (1 - mm))
            for sn in neg
            for sp in pos
        ]
        out.append(mpmath.log1p(mpmath.fsum(mpmath.exp(t) for t in terms)))
    return out


def _rel_err(got: np.ndarray, exact: list[mpmath.mpf]) -> float:
    return max(
        float(abs(mpmath.mpf(float(g)) - x) / max(abs(x), mpmath.mpf(1e-300)))
        for g, x in zip(np.ravel(got), exact, strict=True)
    )


# --- values by hand ---------------------------------------------------------------------


def test_cosine_similarity_is_the_negative_cosine() -> None:
    # Keras's docstring example: orthogonal 0, the same direction -1, opposite +1
    got = lb.cosine_similarity(
        [[0.0, 1.0], [1.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0], [-1.0, -1.0]]
    )
    np.testing.assert_allclose(got, [0.0, -1.0, 1.0], rtol=2 * EPS, atol=0)
    assert lb.cosine_similarity([3.0, 4.0], [4.0, 3.0]) == pytest.approx(-24 / 25, rel=2 * EPS)
    assert np.ndim(lb.cosine_similarity([3.0, 4.0], [4.0, 3.0])) == 0


def test_cosine_similarity_axis() -> None:
    x = np.array([[1.0, 0.0], [1.0, 1.0]])
    y = np.array([[1.0, 1.0], [0.0, 1.0]])
    # along axis 0 the columns are compared: (1, 1)·(1, 0) and (0, 1)·(1, 1)
    np.testing.assert_allclose(
        lb.cosine_similarity(x, y, axis=0), [-1 / math.sqrt(2)] * 2, rtol=4 * EPS
    )


def test_a_zero_vector_has_cosine_zero() -> None:
    assert lb.cosine_similarity([0.0, 0.0], [1.0, 2.0]) == 0.0
    assert lb.cosine_embedding(1, [0.0, 0.0], [1.0, 2.0]) == 1.0  # 1 - 0, as PyTorch
    assert lb.info_nce([[0.0, 0.0], [1.0, 0.0]], [[1.0, 0.0], [0.0, 1.0]], temperature=1.0)[0] == (
        pytest.approx(math.log(2), rel=2 * EPS)
    )


def test_cosine_embedding_by_hand() -> None:
    x1 = [[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [3.0, 4.0]]
    x2 = [[2.0, 0.0], [0.0, 5.0], [7.0, 0.0], [4.0, 3.0]]
    y = [1, -1, -1, -1]
    # similar and parallel: 0; dissimilar and orthogonal: max(0, 0 - 0.5) = 0;
    # dissimilar and parallel: 1 - 0.5; dissimilar at cos 24/25: 24/25 - 0.5
    want = [0.0, 0.0, 0.5, 24 / 25 - 0.5]
    np.testing.assert_allclose(
        lb.cosine_embedding(y, x1, x2, margin=0.5), want, rtol=4 * EPS, atol=0
    )
    assert lb.cosine_embedding(-1, [1.0, 0.0], [0.0, 1.0], margin=-0.5) == pytest.approx(0.5)


@pytest.mark.parametrize("rel", [1e-2, 1e-4, 1e-6])
def test_cosine_embedding_of_nearly_parallel_pairs(rng: np.random.Generator, rel: float) -> None:
    # 1 - cos as ½ |u - v|² between the unit vectors: a relative error of a few
    # ulps / θ, where 1 - cos as written would have a few ulps / θ²
    u = rng.normal(size=(20, 6))
    v = u * (1 + rel * rng.uniform(-1, 1, size=(20, 6)))
    got = lb.cosine_embedding(np.ones(20), u, v)
    for g, a, b in zip(got, u, v, strict=True):
        exact = 1 - _mp_cos(a, b)
        theta = float(mpmath.sqrt(2 * exact))
        assert abs(mpmath.mpf(float(g)) - exact) <= 16 * EPS / theta * exact


def test_margin_ranking_by_hand() -> None:
    x1, x2 = [1.0, 2.0, 3.0, 0.25], [2.0, 1.0, 3.0, 0.0]
    y = [1, 1, -1, 1]
    # max(0, Δ - y (x1 - x2)) with Δ = 0.5: 1.5, 0, 0.5, 0.25
    np.testing.assert_array_equal(lb.margin_ranking(y, x1, x2, margin=0.5), [1.5, 0.0, 0.5, 0.25])
    assert lb.margin_ranking(1, 1.0, 2.0) == 1.0 and np.ndim(lb.margin_ranking(1, 1.0, 2.0)) == 0


def test_triplet_margin_by_hand() -> None:
    a, p, n = [0.0, 0.0], [3.0, 4.0], [6.0, 8.0]  # D(a, p) = 5, D(a, n) = 10 without eps
    assert lb.triplet_margin(a, p, n, eps=0.0) == 0.0
    assert lb.triplet_margin(a, p, n, margin=6.0, eps=0.0) == 1.0
    assert lb.triplet_margin(a, p, n, margin=8.0, eps=0.0, p=1) == 1.0  # 7 - 14 + 8
    # PyTorch's eps goes into the difference: D(a, p) = ‖a - p + eps‖
    e = 0.5
    want = math.hypot(-3 + e, -4 + e) - math.hypot(-6 + e, -8 + e) + 6.0
    assert lb.triplet_margin(a, p, n, margin=6.0, eps=e) == pytest.approx(want, rel=4 * EPS)
    # the swap: the positive is closer to the negative (D(p, n) = 5) than the anchor is
    assert lb.triplet_margin(a, p, n, margin=6.0, eps=0.0, swap=True) == pytest.approx(6.0)
    assert lb.triplet_margin(a, p, n, margin=1.0, eps=0.0, p=math.inf) == max(4 - 8 + 1.0, 0)


def test_triplet_eps_makes_the_distance_of_a_point_to_itself_eps_times_root_d() -> None:
    d = 128
    x = np.zeros(d)
    far = np.full(d, 10.0)
    # D(x, x) = eps sqrt(d), D(x, far) = ‖-10 + eps‖ sqrt(d); margin 0 and D(a, n) > D(a, p)
    assert lb.triplet_margin(x, x, far, margin=0.0) == 0.0
    loss = lb.triplet_margin(x, x, x, margin=0.0)  # all three equal: D(a, p) - D(a, n) = 0
    assert loss == 0.0
    assert lb.triplet_margin(x, x, far, margin=(10 - 1e-6) * math.sqrt(d)) == pytest.approx(
        1e-6 * math.sqrt(d), rel=1e-6
    )


def test_contrastive_by_hand() -> None:
    x1 = [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]
    x2 = [[3.0, 4.0], [0.3, 0.4], [3.0, 4.0]]
    # similar at D = 5: ½ 25; dissimilar at D = 0.5 < Δ = 1: ½ 0.25; dissimilar at D = 5: 0
    np.testing.assert_allclose(lb.contrastive([1, 0, 0], x1, x2), [12.5, 0.125, 0.0], rtol=4 * EPS)
    assert lb.contrastive(0, [0.0], [1.0], margin=3.0) == 2.0


def test_info_nce_by_hand() -> None:
    # two rows, orthogonal unit vectors: s = I, so each row is -log(e^(1/τ) / (e^(1/τ) + 1))
    tau = 0.5
    got = lb.info_nce([[2.0, 0.0], [0.0, 3.0]], [[1.0, 0.0], [0.0, 1.0]], temperature=tau)
    np.testing.assert_allclose(got, [math.log1p(math.exp(-1 / tau))] * 2, rtol=4 * EPS)
    assert got.shape == (2,)
    np.testing.assert_array_equal(lb.info_nce([[1.0, 2.0]], [[3.0, -1.0]], temperature=0.1), [0.0])


def test_circle_by_hand() -> None:
    # two samples of one class and one of another, on the unit circle
    e = np.array([[1.0, 0.0], [0.6, 0.8], [0.0, 1.0]])
    labels = np.array([7, 7, -2])  # any integers: only equality matters
    got = lb.circle(labels, e, gamma=2.0, margin=0.25)
    np.testing.assert_allclose(
        got, [float(v) for v in _mp_circle(labels, e, 2.0, 0.25)], rtol=8 * EPS
    )
    # sample 0: one positive (s = 0.6) and one negative (s = 0): the double sum has one term
    m, g = 0.25, 2.0
    t = g * max(0 + m, 0) * (0 - m) - g * (1 + m - 0.6) * (0.6 - (1 - m))
    assert got[0] == pytest.approx(math.log1p(math.exp(t)), rel=8 * EPS)
    # sample 2 has no positive: loss 0
    assert got[2] == 0.0


def test_circle_without_negatives_or_positives_is_zero() -> None:
    e = _unit_rows(np.array([[1.0, 2.0], [2.0, 1.0], [1.0, -1.0]]))
    np.testing.assert_array_equal(lb.circle([3, 3, 3], e), [0.0, 0.0, 0.0])  # no negatives
    np.testing.assert_array_equal(lb.circle([0, 1, 2], e), [0.0, 0.0, 0.0])  # no positives


@pytest.mark.parametrize(("gamma", "margin"), [(80, 0.4), (16, 0.25), (256, 0.1), (1.0, 0.0)])
def test_circle_against_the_double_sum(
    rng: np.random.Generator, gamma: float, margin: float
) -> None:
    e = _unit_rows(rng.normal(size=(9, 4)))
    labels = rng.integers(0, 3, size=9)
    got = lb.circle(labels, e, gamma=gamma, margin=margin)
    assert _rel_err(got, _mp_circle(labels, e, gamma, margin)) <= _circle_tolerance(
        gamma, margin, 4
    )


def _circle_tolerance(gamma: float, margin: float, d: int) -> float:
    # each similarity s carries a rounding error of about d ulps, and the exponent
    # γ α (s - Δ) multiplies it by up to 2 γ (1 + m): the loss (log1p of a sum of
    # exponentials) inherits that absolute error in its exponents as a relative error
    return 4 * (2 * gamma * (1 + margin) + 1) * d * EPS


@pytest.mark.parametrize("tau", [1.0, 0.1, 0.01, 1e-3])
def test_info_nce_against_mpmath(rng: np.random.Generator, tau: float) -> None:
    za, zb = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    zb[2] = za[2] * 3.0  # a perfect positive pair: a tiny loss at small τ
    got = lb.info_nce(za, zb, temperature=tau)
    # the logits are s / τ, each s with an error of a few ulps: the loss's absolute
    # error is about (1 / τ) ulps, so it is judged relative to max(loss, 1 / τ)
    exact = _mp_info_nce(za, zb, tau)
    for g, x in zip(got, exact, strict=True):
        assert abs(mpmath.mpf(float(g)) - x) <= 16 * EPS * max(abs(x), 1 / mpmath.mpf(tau))


# --- properties -------------------------------------------------------------------------

finite = st.floats(-1e3, 1e3, allow_subnormal=False)


def vectors(n: int | None = None) -> st.SearchStrategy[np.ndarray]:
    side = st.integers(1, 8) if n is None else st.just(n)
    return side.flatmap(lambda d: hnp.arrays(np.float64, d, elements=finite))


@st.composite
def vector_pair(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    d = draw(st.integers(1, 8))
    x = draw(hnp.arrays(np.float64, d, elements=finite))
    y = draw(hnp.arrays(np.float64, d, elements=finite))
    return x, y


@st.composite
def batches(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    b, d = draw(st.integers(1, 6)), draw(st.integers(1, 5))
    za = draw(hnp.arrays(np.float64, (b, d), elements=finite))
    zb = draw(hnp.arrays(np.float64, (b, d), elements=finite))
    return za, zb


@given(vector_pair(), st.integers(-300, 300), st.floats(1e-30, 1e30))
def test_cosine_is_unchanged_by_positive_rescaling(
    xy: tuple[np.ndarray, np.ndarray], k: int, c: float
) -> None:
    x, y = xy
    base = lb.cosine_similarity(x, y)
    assert -1 - 4 * EPS <= base <= 1 + 4 * EPS
    # a power of 2 changes no digit of a normal float; the value changes by an ulp
    # at most, where one of the two is rescaled before its norm is taken and the
    # other is not
    assume(np.all((x == 0) | (np.abs(x) * 2.0**k > 1e-290)))
    assert lb.cosine_similarity(x * 2.0**k, y) == pytest.approx(base, rel=4 * EPS, abs=4 * EPS)
    # any other positive factor: the same value, to rounding
    assert lb.cosine_similarity(x * c, y) == pytest.approx(base, rel=1e-14, abs=1e-14)
    assert lb.cosine_similarity(x, -y) == -base  # negating a vector negates every product


@given(vector_pair(), st.sampled_from([-1, 1]), st.floats(-1, 1))
def test_cosine_embedding_is_symmetric_and_nonnegative(
    xy: tuple[np.ndarray, np.ndarray], y: int, margin: float
) -> None:
    x1, x2 = xy
    loss = lb.cosine_embedding(y, x1, x2, margin=margin)
    assert loss == lb.cosine_embedding(y, x2, x1, margin=margin)
    assert 0 <= loss <= 2 + 4 * EPS


@given(
    hnp.arrays(np.float64, 5, elements=finite),
    hnp.arrays(np.float64, 5, elements=finite),
    hnp.arrays(np.float64, 5, elements=st.sampled_from([-1.0, 1.0])),
    st.floats(0, 10),
)
def test_margin_ranking_swaps_with_the_label(
    x1: np.ndarray, x2: np.ndarray, y: np.ndarray, margin: float
) -> None:
    loss = lb.margin_ranking(y, x1, x2, margin=margin)
    # the same real number either way; the shortfall is within two ulps of it
    # (lossbook/margin.py, _shortfall), so the two agree to four
    swapped = lb.margin_ranking(-y, x2, x1, margin=margin)
    np.testing.assert_allclose(loss, swapped, rtol=8 * EPS, atol=0)
    assert np.all(loss >= 0)
    tied = lb.margin_ranking(y, x1, x1, margin=margin)
    np.testing.assert_allclose(tied, margin, rtol=4 * EPS, atol=0)


@given(vector_pair(), st.sampled_from([0, 1]), st.floats(0, 100))
def test_contrastive_is_symmetric_in_x1_and_x2(
    xy: tuple[np.ndarray, np.ndarray], y: int, margin: float
) -> None:
    x1, x2 = xy
    loss = lb.contrastive(y, x1, x2, margin=margin)
    assert loss == lb.contrastive(y, x2, x1, margin=margin)
    assert loss >= 0
    assert lb.contrastive(1, x1, x1, margin=margin) == 0.0  # a similar pair at distance 0
    if y == 0 and np.linalg.norm(x1 - x2) >= 2 * margin:
        assert loss == 0.0  # a dissimilar pair beyond the margin costs nothing


@given(
    vectors(4),
    vectors(4),
    st.sampled_from([1, 2, 3, math.inf]),
    st.floats(0, 10),
    st.floats(0, 1e-3),
)
def test_triplet_is_zero_when_the_negative_is_far_enough(
    a: np.ndarray, pos: np.ndarray, p: float, margin: float, eps: float
) -> None:
    # shift the negative by s in every coordinate: D(a, n) >= s - 4 eps and, by the
    # triangle inequality, D(p, n) >= s - ‖a - p‖ - 4 eps (eps moves a p-norm of 4
    # entries by at most 4 eps), while D(a, p) <= ‖a - p‖ + 4 eps; so any
    # s > 2 ‖a - p‖ + Δ + 8 eps leaves both triplets inside the margin
    shift = (2 * float(np.linalg.norm(a - pos, ord=p)) + margin + 8 * eps + 1) * 1.01
    neg = a + shift
    assert lb.triplet_margin(a, pos, neg, margin=margin, p=p, eps=eps) == 0.0
    assert lb.triplet_margin(a, pos, neg, margin=margin, p=p, eps=eps, swap=True) == 0.0


@given(vectors(3), vectors(3), vectors(3), st.sampled_from([1, 2, math.inf]), st.floats(0, 5))
def test_triplet_swap_never_lowers_the_loss(
    a: np.ndarray, pos: np.ndarray, neg: np.ndarray, p: float, margin: float
) -> None:
    plain = lb.triplet_margin(a, pos, neg, margin=margin, p=p)
    swapped = lb.triplet_margin(a, pos, neg, margin=margin, p=p, swap=True)
    assert swapped >= plain >= 0  # min(D(a, n), D(p, n)) <= D(a, n)


@given(batches(), st.floats(1e-2, 1e2), st.floats(1e-3, 1e3))
def test_info_nce_bounds_and_invariance_to_rescaling(
    z: tuple[np.ndarray, np.ndarray], tau: float, c: float
) -> None:
    za, zb = z
    b = za.shape[0]
    loss = lb.info_nce(za, zb, temperature=tau)
    assert loss.shape == (b,)
    # 0 <= loss, and loss <= log b + 2 / τ: every logit lies in [-1/τ, 1/τ]
    slack = 64 * EPS * (1 / tau + math.log(b) + 1)
    assert np.all(loss >= 0) and np.all(loss <= math.log(b) + 2 / tau + slack)
    # each row of either input rescaled by its own positive factor: the same losses
    scales = c ** np.linspace(-1, 1, b)[:, None]
    np.testing.assert_allclose(
        lb.info_nce(za * scales, zb * scales[::-1], temperature=tau), loss, rtol=1e-12, atol=slack
    )


@st.composite
def labelled_embeddings(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    b, d = draw(st.integers(2, 8)), draw(st.integers(1, 4))
    x = draw(hnp.arrays(np.float64, (b, d), elements=st.floats(-10, 10, allow_subnormal=False)))
    assume(np.all(np.linalg.norm(x, axis=1) > 1e-3))
    labels = draw(hnp.arrays(np.int64, b, elements=st.integers(0, 3)))
    return labels, _unit_rows(x)


@given(labelled_embeddings(), st.floats(1, 256), st.floats(0, 1), st.permutations(range(8)))
def test_circle_is_nonnegative_and_follows_the_samples(
    data: tuple[np.ndarray, np.ndarray], gamma: float, margin: float, order: list[int]
) -> None:
    labels, e = data
    loss = lb.circle(labels, e, gamma=gamma, margin=margin)
    assert loss.shape == labels.shape and np.all(loss >= 0) and np.all(np.isfinite(loss))
    # renaming the classes changes nothing; permuting the batch permutes the losses
    np.testing.assert_array_equal(lb.circle(10 * labels - 5, e, gamma=gamma, margin=margin), loss)
    perm = np.array([i for i in order if i < len(labels)])
    permuted = lb.circle(labels[perm], e[perm], gamma=gamma, margin=margin)
    np.testing.assert_allclose(permuted, loss[perm], rtol=1e-12, atol=1e-12 * gamma)


# --- extreme inputs: no overflow, no underflow ---------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cosine_of_huge_and_tiny_vectors(dtype: type) -> None:
    info = np.finfo(dtype)
    u = np.array([3.0, -4.0, 12.0])
    v = np.array([1.0, 2.0, 2.0])
    exact = float(_mp_cos(u, v))
    for scale in (float(info.max) / 20, float(info.tiny), float(info.smallest_subnormal) * 2**10):
        x, y = (u * scale).astype(dtype), (v * scale).astype(dtype)
        got = lb.cosine_similarity(x, y)
        assert got.dtype == dtype
        assert -got == pytest.approx(exact, rel=32 * float(info.eps))
        assert lb.cosine_embedding(1, x, y) == pytest.approx(
            1 - exact, rel=1e-5 if dtype is np.float32 else 1e-13
        )


@pytest.mark.parametrize("scale", [1e200, 1e-200])
def test_distances_neither_overflow_nor_underflow(scale: float) -> None:
    # D(a, p) = 5 scale and D(a, n) = 10 scale, though (3 scale)² is inf, or 0
    a, p, n = np.zeros(2), np.array([3.0, 4.0]) * scale, np.array([6.0, 8.0]) * scale
    got = lb.triplet_margin(a, p, n, margin=6 * scale, eps=0.0)
    assert got == pytest.approx(scale, rel=1e-14)
    assert lb.triplet_margin(a, p, n, margin=6 * scale, eps=0.0, p=3) == pytest.approx(
        (6 - 2 * (3**3 + 4**3) ** (1 / 3) + (3**3 + 4**3) ** (1 / 3)) * scale, rel=1e-14
    )
    # a dissimilar pair 5 scale apart, with the margin at 1: beyond it, or well inside
    want = 0.0 if scale > 1 else 0.5 * (1 - 5 * scale) ** 2
    assert lb.contrastive(0, a, p, margin=1.0) == want


def test_info_nce_and_circle_at_extreme_scales(rng: np.random.Generator) -> None:
    za, zb = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    tiny = lb.info_nce(za, zb, temperature=1e-6)  # logits up to 1e6
    assert np.all(np.isfinite(tiny))
    exact = _mp_info_nce(za, zb, 1e-6)
    for g, x in zip(tiny, exact, strict=True):
        assert abs(mpmath.mpf(float(g)) - x) <= 16 * EPS * 1e6
    e = _unit_rows(rng.normal(size=(6, 3)))
    labels = np.array([0, 0, 1, 1, 2, 2])
    big = lb.circle(labels, e, gamma=1e5)  # exponents of order 1e5
    assert np.all(np.isfinite(big))
    assert _rel_err(big, _mp_circle(labels, e, 1e5, 0.4)) <= _circle_tolerance(1e5, 0.4, 3)


# --- dtypes ---------------------------------------------------------------------------------


def _calls(dtype: type) -> dict[str, object]:
    rng = np.random.default_rng(3)
    x, y, n = (rng.normal(size=(4, 3)).astype(dtype) for _ in range(3))
    signs = np.array([1, -1, 1, -1])
    return {
        "cosine_similarity": lb.cosine_similarity(x, y),
        "cosine_embedding": lb.cosine_embedding(signs, x, y, margin=0.1),
        "margin_ranking": lb.margin_ranking(signs, x[:, 0], y[:, 0], margin=0.1),
        "triplet_margin": lb.triplet_margin(x, y, n, swap=True),
        "contrastive": lb.contrastive([1, 0, 1, 0], x, y),
        "circle": lb.circle(
            [0, 0, 1, 1], (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(dtype)
        ),
        "info_nce": lb.info_nce(x, y, temperature=0.1),
    }


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept(dtype: type) -> None:
    for name, out in _calls(dtype).items():
        assert np.asarray(out).dtype == dtype, name


def test_float32_agrees_with_float64() -> None:
    single, double = _calls(np.float32), _calls(np.float64)
    for name in single:
        np.testing.assert_allclose(single[name], double[name], rtol=1e-5, atol=1e-5, err_msg=name)


def test_mixed_dtypes_compute_in_float32() -> None:
    x32 = np.ones((2, 3), dtype=np.float32)
    x64 = np.arange(6.0).reshape(2, 3)
    assert lb.cosine_similarity(x64, x32).dtype == np.float32
    assert lb.triplet_margin(x64, x64, x32).dtype == np.float32
    assert lb.triplet_margin(x64.tolist(), x64.tolist(), x32).dtype == np.float32
    assert lb.contrastive([1, 0], x32, x64.tolist()).dtype == np.float32
    assert lb.info_nce(x64, x32, temperature=0.5).dtype == np.float32


def test_inputs_are_not_modified() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    x0 = x.copy()
    e = x / np.linalg.norm(x, axis=1, keepdims=True)
    e0 = e.copy()
    lb.info_nce(x, x, temperature=0.1)
    lb.cosine_similarity(x, x)
    lb.triplet_margin(x, x, x)
    lb.circle([0, 0], e)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(e, e0)
