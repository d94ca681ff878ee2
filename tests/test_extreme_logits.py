"""Softmax, log-sum-exp and the losses from logits against a 50-digit mpmath reference.

Logits as large as ±1e4 overflow a naive exp (exp(710) is already inf in
float64).  The reference is computed from the very same floating-point inputs
in 50-digit arithmetic, so any difference is lossbook's rounding error, which
must stay within a few units in the last place.
"""

from __future__ import annotations

import warnings

import mpmath
import numpy as np
import pytest

import lossbook as lb

mpmath.mp.dps = 50

ROWS = [
    [1e4, -1e4, 0.0],
    [-1e4, -1e4 + 1.0, -1e4 + 2.0],
    [1e4, 1e4, 1e4],
    [1e4, 1e4 - 1e-3, 9999.0, -1e4],
    [-1e4, 1e4, 5e3, -5e3],
    [800.0, 799.0, -800.0, 0.5],
    [0.0, -40.0, -745.0, -1e4],
]


def _mixed_rows(dtype: type) -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    rows = [np.array(r, dtype=dtype) for r in ROWS]
    rows += list(rng.uniform(-1e4, 1e4, size=(10, 6)).astype(dtype))
    rows += list((1e4 + rng.normal(scale=3.0, size=(5, 8))).astype(dtype))  # near-ties far out
    return rows


def _ref_lse(z: np.ndarray) -> mpmath.mpf:
    return mpmath.log(mpmath.fsum(mpmath.exp(mpmath.mpf(float(v))) for v in z))


def _ulp(dtype: type) -> float:
    return float(np.finfo(dtype).eps)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logsumexp_log_softmax_softmax(dtype: type) -> None:
    eps = _ulp(dtype)
    for z in _mixed_rows(dtype):
        lse = _ref_lse(z)
        ref_log_sm = np.array([float(mpmath.mpf(float(v)) - lse) for v in z])
        ref_sm = np.array([float(mpmath.exp(mpmath.mpf(float(v)) - lse)) for v in z])

        got_lse = lb.logsumexp(z)
        assert got_lse.dtype == dtype
        assert float(got_lse) == pytest.approx(float(lse), rel=2 * eps)

        got_log_sm = lb.log_softmax(z)
        assert np.all(np.isfinite(got_log_sm))
        # the shift z_i - m is one rounding of a number as large as |z_i - m|
        np.testing.assert_allclose(got_log_sm, ref_log_sm, rtol=2 * eps, atol=4 * eps)

        got_sm = lb.softmax(z)
        assert np.all(np.isfinite(got_sm))
        # entries below the smallest normal number underflow towards 0, as they must
        # exp(z_i - m) inherits the rounding of z_i - m, an error of eps·|z_i - m| relative;
        # entries below the smallest normal number underflow towards 0, as they must
        tol = 2 * eps * (1 + np.abs(ref_log_sm)) * ref_sm + np.finfo(dtype).tiny
        assert np.all(np.abs(got_sm - ref_sm) <= tol), (z, got_sm, ref_sm)
        assert abs(float(np.sum(got_sm, dtype=np.float64)) - 1.0) <= len(z) * eps


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_categorical_and_sparse_from_extreme_logits(dtype: type) -> None:
    eps = _ulp(dtype)
    for z in _mixed_rows(dtype):
        lse = _ref_lse(z)
        k = len(z)
        for label in range(k):
            ref = float(lse - mpmath.mpf(float(z[label])))
            one_hot = np.eye(k, dtype=dtype)[label]
            cce = lb.categorical_crossentropy(one_hot, z, from_logits=True)
            scce = lb.sparse_categorical_crossentropy(label, z, from_logits=True)
            assert cce.dtype == scce.dtype == dtype
            assert float(cce) == pytest.approx(ref, rel=2 * eps, abs=4 * eps)
            assert float(scce) == pytest.approx(ref, rel=2 * eps, abs=4 * eps)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_from_extreme_logits(dtype: type) -> None:
    eps = _ulp(dtype)
    logits = [-1e4, -800.0, -50.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 30.0, 50.0, 800.0, 1e4]
    for y in (0.0, 0.3, 0.5, 1.0):
        for z in np.array(logits, dtype=dtype):
            zm, ym = mpmath.mpf(float(z)), mpmath.mpf(float(np.asarray(y, dtype=dtype)))
            # -[y log σ(z) + (1 - y) log(1 - σ(z))] with log σ(z) = -log(1 + e^-z)
            ref = ym * mpmath.log1p(mpmath.exp(-zm)) + (1 - ym) * mpmath.log1p(mpmath.exp(zm))
            got = lb.binary_crossentropy(
                np.array([y], dtype=dtype), np.array([z]), from_logits=True
            )
            assert got.dtype == dtype
            # max(z, 0) - z y cancels to within an ulp of |z|
            assert float(got) == pytest.approx(float(ref), rel=4 * eps, abs=2 * eps * abs(float(z)))


def test_tiny_binary_losses_keep_their_relative_accuracy() -> None:
    # a confident, correct logit: the loss log(1 + e^-30) ≈ 9.4e-14 is not rounded to 0
    got = lb.binary_crossentropy([1.0], [30.0], from_logits=True)
    assert float(got) == pytest.approx(float(mpmath.log1p(mpmath.exp(-30))), rel=1e-15, abs=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logits_whose_gap_exceeds_the_largest_float(dtype: type) -> None:
    big = np.finfo(dtype).max / 1.5  # z_max - z_min = 1.33 · max overflows to -inf
    z = np.array([big, -big, 0.0], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(lb.softmax(z), [1.0, 0.0, 0.0])
        np.testing.assert_array_equal(lb.log_softmax(z), [0.0, -np.inf, -big])
        assert lb.logsumexp(z) == big
        # classes with y = 0 contribute nothing, even where log q = -inf
        assert lb.categorical_crossentropy([1.0, 0.0, 0.0], z, from_logits=True) == 0.0
        assert lb.categorical_crossentropy([0.0, 1.0, 0.0], z, from_logits=True) == np.inf
        assert lb.sparse_categorical_crossentropy(2, z, from_logits=True) == pytest.approx(
            big, rel=1e-6
        )
        assert lb.binary_crossentropy([1.0, 0.0], [big, -big], from_logits=True) == 0.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("gap", [20.0, 40.0, 80.0])
def test_tiny_losses_from_a_dominant_logit_keep_their_relative_accuracy(
    dtype: type, gap: float
) -> None:
    # One logit ahead by `gap`: the loss log(1 + (K-1) e^-gap) is tiny but representable,
    # and log Σ exp(z - m) would round it to 0; it must come out to a few ulps (abs=0: pytest's
    # default absolute tolerance, 1e-12, would hide exactly that).
    z = np.array([gap, 0.0, 0.0, 0.0], dtype=dtype)
    eps = _ulp(dtype)
    ref = float(mpmath.log1p(3 * mpmath.exp(-mpmath.mpf(gap))))
    assert float(lb.categorical_crossentropy([1, 0, 0, 0], z, from_logits=True)) == pytest.approx(
        ref, rel=4 * eps, abs=0
    )
    assert float(lb.sparse_categorical_crossentropy(0, z, from_logits=True)) == pytest.approx(
        ref, rel=4 * eps, abs=0
    )
    assert float(lb.log_softmax(z)[0]) == pytest.approx(-ref, rel=4 * eps, abs=0)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("p", [1e-3, 1e-8, 1e-20])
def test_tiny_binary_losses_from_probabilities_keep_their_relative_accuracy(
    dtype: type, p: float
) -> None:
    # y = 0 and a small p: the loss -log(1 - p) ≈ p, which log(1 - p) would round to 0.
    p_ = np.array([p], dtype=dtype)
    ref = float(-mpmath.log1p(-mpmath.mpf(float(p_[0]))))
    got = lb.binary_crossentropy(np.zeros(1, dtype=dtype), p_)
    assert float(got) == pytest.approx(ref, rel=4 * _ulp(dtype), abs=0)
