"""gaussian_nll, poisson and poisson_nll: values by hand and from SciPy's densities,
properties (hypothesis), extreme inputs against a 50-digit mpmath reference, dtypes.

Framework agreement (PyTorch's gaussian_nll_loss and poisson_nll_loss, Keras's
poisson) lives in tests/test_against_pytorch.py and tests/test_against_tensorflow.py.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

import lossbook as lb

mpmath.mp.dps = 50
EPS = float(np.finfo(np.float64).eps)
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


# --- gaussian_nll ----------------------------------------------------------------------------


def test_gaussian_nll_by_hand() -> None:
    # e = (0.5, 0), var = (1, 0.5): ½ (log 1 + 0.25) and ½ (log 0.5 + 0), averaged
    expected = (0.5 * 0.25 + 0.5 * math.log(0.5)) / 2
    got = lb.gaussian_nll([0.0, 1.0], [0.5, 1.0], [1.0, 0.5])
    assert got == pytest.approx(expected, rel=1e-15)
    full = lb.gaussian_nll([0.0, 1.0], [0.5, 1.0], [1.0, 0.5], full=True)
    assert full == pytest.approx(expected + HALF_LOG_2PI, rel=1e-15)


def test_gaussian_nll_full_is_the_negative_log_density() -> None:
    rng = np.random.default_rng(0)
    y, o = rng.normal(size=(6, 4)), rng.normal(size=(6, 4))
    var = rng.uniform(0.01, 5.0, size=(6, 4))
    nll = -stats.norm.logpdf(y, loc=o, scale=np.sqrt(var)).mean(axis=-1)
    np.testing.assert_allclose(lb.gaussian_nll(y, o, var, full=True), nll, rtol=1e-13)


def test_gaussian_nll_with_a_fixed_variance_is_a_scaled_mse() -> None:
    # chapter 7: for a fixed sigma² the Gaussian NLL is MSE / (2 sigma²) + ½ log sigma²
    rng = np.random.default_rng(1)
    y, o = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    s2 = 0.7
    expected = lb.mse(y, o) / (2 * s2) + 0.5 * math.log(s2)
    np.testing.assert_allclose(lb.gaussian_nll(y, o, s2), expected, rtol=1e-14)


def test_gaussian_nll_clamps_the_variance_at_eps() -> None:
    y, o = [0.0, 0.0], [1e-3, 0.0]
    for var in ([0.0, 0.0], [1e-9, 1e-12], [1e-6, 1e-6]):
        np.testing.assert_allclose(
            lb.gaussian_nll(y, o, var), lb.gaussian_nll(y, o, [1e-6, 1e-6]), rtol=1e-15
        )
    # a variance of 0 at a zero error: ½ log eps, finite
    assert lb.gaussian_nll([1.0], [1.0], [0.0], eps=1e-4) == pytest.approx(0.5 * math.log(1e-4))
    # above eps nothing changes
    assert lb.gaussian_nll([0.0], [1.0], [2.0], eps=1e-4) == lb.gaussian_nll([0.0], [1.0], [2.0])


def test_gaussian_nll_variance_shapes() -> None:
    rng = np.random.default_rng(2)
    y, o = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    per_sample = rng.uniform(0.5, 2.0, size=(4, 1))
    np.testing.assert_array_equal(
        lb.gaussian_nll(y, o, per_sample), lb.gaussian_nll(y, o, np.repeat(per_sample, 3, 1))
    )
    np.testing.assert_array_equal(
        lb.gaussian_nll(y, o, 1.5), lb.gaussian_nll(y, o, np.full((4, 3), 1.5))
    )
    # along axis 0, one variance per column
    per_col = rng.uniform(0.5, 2.0, size=(1, 3))
    np.testing.assert_array_equal(
        lb.gaussian_nll(y, o, per_col, axis=0),
        lb.gaussian_nll(y, o, np.repeat(per_col, 4, 0), axis=0),
    )
    with pytest.raises(
        ValueError, match=r"^var: shape \(4,\) does not match y_pred shape \(4, 3\)"
    ):
        lb.gaussian_nll(y, o, per_sample[:, 0])


@given(
    st.floats(-1e3, 1e3),
    st.floats(1e-3, 1e6),
)
def test_gaussian_nll_is_smallest_at_the_squared_error(e: float, var: float) -> None:
    # d/dv ½ (log v + e²/v) = 0 at v = e²: the learned variance is the squared error
    best = max(e * e, 1e-6)
    at_best = lb.gaussian_nll([0.0], [e], [best])
    assert lb.gaussian_nll([0.0], [e], [var]) >= at_best - 4 * EPS * (1 + abs(at_best))


# --- poisson ---------------------------------------------------------------------------------


def test_poisson_by_hand() -> None:
    # mu - y log mu for (y, mu) = (0, 0), (1, 1), (2, 0.5): 0, 1, 0.5 - 2 log 0.5
    expected = (0.0 + 1.0 + 0.5 - 2 * math.log(0.5)) / 3
    assert lb.poisson([0.0, 1.0, 2.0], [0.0, 1.0, 0.5]) == pytest.approx(expected, rel=1e-15)


def test_poisson_zero_rate() -> None:
    assert lb.poisson([0.0], [0.0]) == 0.0  # 0 log 0 = 0: a rate of 0 predicts y = 0 surely
    assert lb.poisson([1.0], [0.0]) == math.inf  # ... and y = 1 is impossible under it
    # Keras adds 1e-7 inside the log, so the impossible count costs a finite -log(1e-7)
    assert lb.poisson([1.0], [0.0], epsilon=1e-7) == pytest.approx(-math.log(1e-7), rel=1e-15)


def test_poisson_epsilon_is_keras_formula() -> None:
    rng = np.random.default_rng(3)
    y = rng.poisson(3.0, size=(5, 4)).astype(float)
    mu = rng.uniform(0.0, 6.0, size=(5, 4))
    expected = np.mean(mu - y * np.log(mu + 1e-7), axis=-1)
    np.testing.assert_allclose(lb.poisson(y, mu, epsilon=1e-7), expected, rtol=1e-15)


def test_poisson_plus_log_factorial_is_the_negative_log_pmf() -> None:
    rng = np.random.default_rng(4)
    mu = rng.uniform(0.1, 30.0, size=(6, 5))
    y = rng.poisson(mu).astype(float)
    nll = -stats.poisson.logpmf(y, mu).mean(axis=-1)
    log_fact = special.gammaln(y + 1).mean(axis=-1)
    np.testing.assert_allclose(lb.poisson(y, mu) + log_fact, nll, rtol=1e-13)


@given(st.floats(0.0, 1e6), st.floats(1e-6, 1e6))
def test_poisson_is_smallest_at_the_count(y: float, mu: float) -> None:
    # d/dmu (mu - y log mu) = 1 - y / mu = 0 at mu = y
    at_y = lb.poisson([y], [y])
    assert lb.poisson([y], [mu]) >= at_y - 4 * EPS * (abs(at_y) + y * abs(math.log(y or 1.0)))


# --- poisson_nll -----------------------------------------------------------------------------


def test_poisson_nll_log_input_and_rates_agree_with_poisson() -> None:
    rng = np.random.default_rng(5)
    mu = rng.uniform(0.05, 20.0, size=(6, 5))
    y = rng.poisson(mu).astype(float)
    np.testing.assert_array_equal(lb.poisson_nll(y, mu, log_input=False), lb.poisson(y, mu))
    np.testing.assert_allclose(lb.poisson_nll(y, np.log(mu)), lb.poisson(y, mu), rtol=1e-13)


def test_poisson_nll_full_adds_the_stirling_term_above_one() -> None:
    y = np.array([0.0, 0.5, 1.0, 2.0, 7.0, 300.0])
    o = np.log([0.3, 0.8, 1.5, 2.5, 6.0, 310.0])
    big = np.maximum(y, 2.0)
    stirling = np.where(y > 1, big * np.log(big) - big + 0.5 * np.log(2 * np.pi * big), 0)
    for i in range(y.size):  # one element at a time: each term on its own
        plain = lb.poisson_nll(y[i : i + 1], o[i : i + 1])
        full = lb.poisson_nll(y[i : i + 1], o[i : i + 1], full=True)
        assert full == pytest.approx(plain + stirling[i], rel=1e-13, abs=1e-14)
        rates = lb.poisson_nll(y[i : i + 1], np.exp(o[i : i + 1]), log_input=False, full=True)
        assert rates == pytest.approx(float(full), rel=1e-13)


def test_poisson_nll_stirling_term_errs_by_about_one_over_12y() -> None:
    y = np.array([2.0, 5.0, 20.0, 100.0, 1e4])
    o = np.log(y)
    stirling = [
        float(lb.poisson_nll([v], [w], full=True) - lb.poisson_nll([v], [w]))
        for v, w in zip(y, o, strict=True)
    ]
    err = special.gammaln(y + 1) - np.array(stirling)  # log y! - Stirling
    np.testing.assert_allclose(err, 1 / (12 * y), rtol=0.03)  # next term: -1/(360 y³)


def _ref_full(y: float, pred: float, log_input: bool) -> float:
    """The exact full Poisson NLL (with PyTorch's Stirling term) at the float inputs."""
    yy, p = mpmath.mpf(y), mpmath.mpf(pred)
    nll = mpmath.exp(p) - yy * p if log_input else p - yy * mpmath.log(p)
    if yy > 1:
        nll += yy * mpmath.log(yy) - yy + mpmath.log(2 * mpmath.pi * yy) / 2
    return float(nll)


@pytest.mark.parametrize("count", [2.0, 1e3, 1e6, 1e9, 1e12])
def test_poisson_nll_full_large_counts_against_mpmath(count: float) -> None:
    # The terms are of size y log y, their sum only about ½ log(2π y).  The sum as
    # PyTorch writes it cancels; lossbook's y (r - 1 - log r) + ½ log(2π y) does not,
    # and is as accurate as the inputs allow: within a few ulps of the sum of the
    # sizes of the changes that one-ulp changes of μ (or log μ) and y cause,
    # |μ - y| max(1, |log μ|) and y |log μ - log y|, beside the value itself.
    rng = np.random.default_rng(6)
    y = np.round(count * rng.uniform(0.5, 1.5, size=20))
    o = np.log(y) + rng.normal(scale=1 / np.sqrt(count), size=20)
    mu = np.exp(o)
    naive_err = []
    for log_input in (True, False):
        pred = o if log_input else mu
        got = lb.poisson_nll(y[:, None], pred[:, None], log_input=log_input, full=True)
        ref = np.array([_ref_full(v, w, log_input) for v, w in zip(y, pred, strict=True)])
        sensitivity = np.abs(mu - y) * np.maximum(1, np.abs(o)) + y * np.abs(o - np.log(y))
        np.testing.assert_array_less(np.abs(got - ref), 8 * EPS * (np.abs(ref) + sensitivity))
        naive = mu - y * o + y * np.log(y) - y + 0.5 * np.log(2 * np.pi * y)
        naive_err.append(np.max(np.abs(naive - ref) / (np.abs(ref) + sensitivity)))
    if count >= 1e6:  # the naive sum misses that bound by orders of magnitude
        assert min(naive_err) > 100 * EPS


@pytest.mark.parametrize("o", [-700.0, -30.0, 30.0, 700.0])
def test_poisson_nll_log_input_extremes_against_mpmath(o: float) -> None:
    for y in (0.0, 1.0, 3.0):
        got = float(lb.poisson_nll([y], [o]))
        ref = mpmath.exp(mpmath.mpf(o)) - mpmath.mpf(y) * mpmath.mpf(o)
        assert got == pytest.approx(float(ref), rel=4 * EPS)


@pytest.mark.parametrize("var", [1e-300, 1e-30, 1e-6, 1.0, 1e30, 1e300])
def test_gaussian_nll_extremes_against_mpmath(var: float) -> None:
    for e in (0.0, 1e-150, 1e-3, 1.0, 1e100):
        with np.errstate(over="ignore"):  # e²/v beyond the largest float: inf, correctly
            got = float(lb.gaussian_nll([0.0], [e], [var], eps=1e-300))
        v = mpmath.mpf(var)
        ref = (mpmath.log(v) + mpmath.mpf(e) ** 2 / v) / 2
        if abs(ref) > 1e308:
            assert got == math.inf
        else:
            assert got == pytest.approx(float(ref), rel=4 * EPS)


# --- dtypes ----------------------------------------------------------------------------------


def test_float32_stays_float32() -> None:
    y = np.array([[1.0, 2.0], [0.0, 3.0]], dtype=np.float32)
    mu = np.array([[1.5, 2.0], [0.5, 2.5]], dtype=np.float32)
    assert lb.poisson(y, mu).dtype == np.float32
    assert lb.poisson(y, mu, epsilon=1e-7).dtype == np.float32
    for log_input in (True, False):
        for full in (False, True):
            assert lb.poisson_nll(y, mu, log_input=log_input, full=full).dtype == np.float32
    assert lb.gaussian_nll(y, mu, mu).dtype == np.float32
    assert lb.gaussian_nll(y, mu, mu.astype(np.float64)).dtype == np.float32  # least precise
    assert lb.gaussian_nll(y.astype(np.float64), mu.astype(np.float64), mu).dtype == np.float32
    assert lb.gaussian_nll(y, mu, [[1.0, 1.0], [1.0, 1.0]], full=True).dtype == np.float32
    assert isinstance(lb.gaussian_nll([0.0, 1.0], [1.0, 1.0], 2.0), np.float64)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_both_dtypes_against_float64_reference(dtype: type) -> None:
    rng = np.random.default_rng(7)
    mu = rng.uniform(0.1, 10.0, size=(8, 5))
    y = rng.poisson(mu).astype(float)
    var = rng.uniform(0.1, 3.0, size=(8, 5))
    rtol = 1e-5 if dtype is np.float32 else 1e-13
    d = (lambda a: a.astype(dtype)) if dtype is np.float32 else (lambda a: a)
    for f, args in (
        (lb.poisson, (y, mu)),
        (lb.poisson_nll, (y, np.log(mu))),
        (lambda a, b, c: lb.gaussian_nll(a, b, c, full=True), (y, mu, var)),
    ):
        got = f(*(d(a) for a in args))
        assert got.dtype == dtype
        np.testing.assert_allclose(got, f(*args), rtol=rtol)
