"""Entropy, KL divergence and cross-entropy: the article's values and SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special, stats

import lossbook as lb

ONE_HOT = [0.0, 0.0, 0.0, 1.0]
Q = [0.1, 0.1, 0.1, 0.7]


# --- the article's values ---------------------------------------------------


def test_entropy_of_one_hot_is_exactly_zero() -> None:
    h = lb.entropy(ONE_HOT)
    assert h == 0.0
    assert not np.signbit(h)  # +0.0, so it prints as 0.0, not -0.0
    assert lb.entropy(ONE_HOT, base=2) == 0.0


def test_entropy_of_article_q_in_bits() -> None:
    assert lb.entropy(Q, base=2) == pytest.approx(1.3567796494470397, rel=1e-15)
    # -(3 * 0.1 log2 0.1 + 0.7 log2 0.7), written out
    expected = -(3 * 0.1 * math.log2(0.1) + 0.7 * math.log2(0.7))
    assert lb.entropy(Q, base=2) == pytest.approx(expected, rel=1e-15)


def test_kl_one_hot_against_q_in_nats_and_bits() -> None:
    assert lb.kl_divergence(ONE_HOT, Q) == pytest.approx(0.35667494393873245, rel=1e-15)
    assert lb.kl_divergence(ONE_HOT, Q) == pytest.approx(-math.log(0.7), rel=1e-15)
    assert lb.kl_divergence(ONE_HOT, Q, base=2) == pytest.approx(0.5145731728297583, rel=1e-15)


def test_cross_entropy_one_hot_equals_kl() -> None:
    # H(one-hot) = 0, so H(p, q) = KL(p || q) = -log 0.7
    assert lb.cross_entropy(ONE_HOT, Q) == pytest.approx(-math.log(0.7), rel=1e-15)


def test_entropy_of_uniform_is_log_k() -> None:
    for k in (1, 2, 3, 10, 1000):
        assert lb.entropy(np.full(k, 1 / k)) == pytest.approx(math.log(k), abs=1e-12)
        assert lb.entropy(np.full(k, 1 / k), base=2) == pytest.approx(math.log2(k), abs=1e-12)


# --- zeros and infinities -----------------------------------------------------


def test_kl_is_zero_where_p_is_zero_and_inf_where_q_is_zero() -> None:
    assert lb.kl_divergence([0.0, 1.0], [0.0, 1.0]) == 0.0
    assert lb.kl_divergence([0.0, 1.0], [1.0, 0.0]) == math.inf
    assert lb.kl_divergence([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert lb.cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    # q = 0 where p = 0 is harmless
    assert lb.cross_entropy([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_no_warnings_for_zeros(recwarn: pytest.WarningsRecorder) -> None:
    lb.entropy([[0.0, 1.0], [0.5, 0.5]])
    lb.kl_divergence([0.5, 0.5], [1.0, 0.0])
    lb.cross_entropy([0.0, 1.0], [1.0, 0.0])
    assert len(recwarn) == 0


def test_kl_with_subnormal_q_is_finite() -> None:
    # p / q would overflow to inf; p (log p - log q) does not
    q = np.array([1e-320, 1.0 - 1e-320])
    d = lb.kl_divergence([0.5, 0.5], q)
    expected = 0.5 * (math.log(0.5) - math.log(1e-320)) + 0.5 * math.log(0.5)
    assert math.isfinite(d)
    assert d == pytest.approx(expected, rel=1e-12)


# --- agreement with SciPy -------------------------------------------------------


def _random_distributions(
    rng: np.random.Generator, shape: tuple[int, ...], zeros: bool
) -> np.ndarray:
    x = rng.random(shape)
    if zeros:
        x[rng.random(shape) < 0.3] = 0.0
        x[..., 0] += 0.1  # at least one positive entry per row
    return x / x.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("zeros", [False, True])
@pytest.mark.parametrize("base", [math.e, 2.0, 10.0, 0.5])
def test_entropy_matches_scipy(zeros: bool, base: float) -> None:
    rng = np.random.default_rng(1)
    p = _random_distributions(rng, (50, 7), zeros)
    np.testing.assert_allclose(
        lb.entropy(p, base=base), stats.entropy(p, base=base, axis=-1), rtol=1e-12, atol=1e-15
    )


@pytest.mark.parametrize("zeros", [False, True])
def test_kl_and_cross_entropy_match_scipy(zeros: bool) -> None:
    rng = np.random.default_rng(2)
    p = _random_distributions(rng, (50, 6), zeros)
    q = _random_distributions(rng, (50, 6), zeros=False)
    np.testing.assert_allclose(
        lb.kl_divergence(p, q), special.rel_entr(p, q).sum(axis=-1), rtol=1e-10, atol=1e-14
    )
    np.testing.assert_allclose(
        lb.kl_divergence(p, q, base=2), stats.entropy(p, q, base=2, axis=-1), rtol=1e-10, atol=1e-14
    )
    np.testing.assert_allclose(
        lb.cross_entropy(p, q), -special.xlogy(p, q).sum(axis=-1), rtol=1e-12
    )


def test_kl_inf_pattern_matches_scipy() -> None:
    rng = np.random.default_rng(3)
    p = _random_distributions(rng, (40, 5), zeros=True)
    q = _random_distributions(rng, (40, 5), zeros=True)
    ours = lb.kl_divergence(p, q)
    theirs = special.rel_entr(p, q).sum(axis=-1)
    assert np.isinf(ours).any() and np.isfinite(ours).any()  # the batch has both kinds
    np.testing.assert_array_equal(np.isinf(ours), np.isinf(theirs))
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-14)


def test_other_axis() -> None:
    rng = np.random.default_rng(4)
    p = _random_distributions(rng, (3, 5), zeros=True)
    q = _random_distributions(rng, (3, 5), zeros=False)
    np.testing.assert_allclose(lb.entropy(p.T, axis=0), lb.entropy(p), rtol=1e-15)
    np.testing.assert_allclose(lb.kl_divergence(p.T, q.T, axis=0), lb.kl_divergence(p, q))
    np.testing.assert_allclose(
        lb.cross_entropy(p.T, q.T, axis=0), -special.xlogy(p, q).sum(axis=1), rtol=1e-12
    )
    three_d = np.stack([p, p])  # (2, 3, 5); swapped to (2, 5, 3), classes on axis 1
    np.testing.assert_allclose(
        lb.entropy(np.swapaxes(three_d, 1, 2), axis=1), np.stack([lb.entropy(p)] * 2), rtol=1e-15
    )
