"""MSE, MAE, Huber and the zoo around them (log-cosh, smooth L1, quantile, MSLE, MAPE):
hand-computed values, properties, extremes against mpmath, the (b,) vs (b, 1) trap, dtypes."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

mpmath.mp.dps = 50


def test_mse_by_hand() -> None:
    # errors 0, 1, -2 -> squares 0, 1, 4 -> mean 5/3
    assert lb.mse([1.0, 2.0, 3.0], [1.0, 3.0, 1.0]) == pytest.approx(5 / 3, rel=1e-15)
    assert lb.mean_squared_error is lb.mse


def test_mae_by_hand() -> None:
    assert lb.mae([1.0, 2.0, 3.0], [1.0, 3.0, 1.0]) == pytest.approx(1.0, rel=1e-15)
    assert lb.mean_absolute_error is lb.mae


def test_mse_one_value_per_sample() -> None:
    y_true = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 4.0]])
    y_pred = np.array([[1.0, 1.0], [1.0, 3.0], [0.0, 0.0]])
    np.testing.assert_array_equal(lb.mse(y_true, y_pred), [1.0, 2.0, 10.0])
    np.testing.assert_array_equal(lb.mae(y_true, y_pred), [1.0, 1.0, 3.0])
    np.testing.assert_array_equal(
        lb.mse(y_true, y_pred, axis=0), [(1 + 0 + 4) / 3, (1 + 4 + 16) / 3]
    )


@pytest.mark.parametrize("delta", [0.5, 1.0, 2.0])
def test_huber_piecewise_by_hand(delta: float) -> None:
    e = np.array([-3.0, -delta, -0.25, 0.0, 0.1, delta, 5.0])
    expected = np.where(np.abs(e) <= delta, 0.5 * e**2, delta * (np.abs(e) - 0.5 * delta))
    assert lb.huber(np.zeros_like(e), e, delta=delta) == pytest.approx(expected.mean(), rel=1e-15)
    # each element on its own
    for ei, hi in zip(e, expected, strict=True):
        assert lb.huber([0.0], [ei], delta=delta) == pytest.approx(hi, rel=1e-15)


def test_huber_is_continuous_at_delta_and_limits() -> None:
    delta = 1.5
    below = lb.huber([0.0], [delta - 1e-9], delta=delta)
    above = lb.huber([0.0], [delta + 1e-9], delta=delta)
    assert below == pytest.approx(above, abs=1e-8)
    # small errors: ½ MSE; large errors: ≈ δ·MAE
    small = np.array([0.01, -0.02, 0.03])
    assert lb.huber(np.zeros(3), small) == pytest.approx(
        0.5 * lb.mse(np.zeros(3), small), rel=1e-15
    )
    big = np.array([1e6, -2e6])
    assert lb.huber(np.zeros(2), big, delta=2.0) == pytest.approx(
        2.0 * lb.mae(np.zeros(2), big), rel=1e-5
    )


def test_symmetric_in_error_sign() -> None:
    rng = np.random.default_rng(0)
    y, e = rng.normal(size=(5, 4)), rng.normal(size=(5, 4))
    for f in (lb.mse, lb.mae, lb.huber):
        np.testing.assert_allclose(f(y, y + e), f(y, y - e), rtol=1e-12)


@pytest.mark.parametrize("f", [lb.mse, lb.mae, lb.huber])
def test_column_vector_trap_raises(f: Callable[..., Any]) -> None:
    y_true = np.arange(4.0)
    y_pred = y_true.reshape(4, 1)
    with pytest.raises(
        ValueError, match=r"y_pred: shape \(4, 1\) does not match y_true shape \(4,\)"
    ):
        f(y_true, y_pred)


@pytest.mark.parametrize("f", [lb.mse, lb.mae, lb.huber])
def test_dtypes_and_return_types(f: Callable[..., Any]) -> None:
    call = f
    a32 = np.array([[1.0, 2.0], [3.0, 5.0]], dtype=np.float32)
    out = call(a32, a32 + 1)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32 and out.shape == (2,)
    # an integer partner adopts float32
    assert call([[1, 2], [3, 5]], a32).dtype == np.float32
    # integer lists compute in float64 and a 1-D input gives a NumPy scalar
    s = call([1, 2, 3], [1, 2, 5])
    assert isinstance(s, np.float64)
    assert call(np.array([True, False]), np.array([False, False])).dtype == np.float64


# --- the regression zoo (chapter 9): log-cosh, smooth L1, quantile, MSLE, MAPE -----------------

EPS = float(np.finfo(np.float64).eps)
ZOO = [
    lb.log_cosh,
    lb.smooth_l1,
    functools.partial(lb.quantile_loss, q=0.3),
    lb.msle,
    lb.mape,
]


def _mp_log_cosh(e: float) -> float:
    # log cosh e = log1p(2 sinh²(e/2)): no 1 + tiny to round away, even at 50 digits
    return float(mpmath.log1p(2 * mpmath.sinh(mpmath.mpf(e) / 2) ** 2))


def test_log_cosh_by_hand() -> None:
    # log cosh 0 = 0 and log cosh 1 = log((e + 1/e) / 2): the mean of the two
    expected = (0.0 + math.log(math.cosh(1.0))) / 2
    assert lb.log_cosh([0.0, 0.0], [0.0, 1.0]) == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize(
    "e", [1e-300, 1e-150, 1e-8, 1e-4, 0.3, 0.999, 1.0, 1.001, 20.0, 1e4, 1e300]
)
def test_log_cosh_against_mpmath(e: float) -> None:
    # neither overflow (cosh(1e4) is beyond the largest float) nor cancellation
    # (log cosh e ≈ e²/2 for tiny e), at either sign
    for sign in (1.0, -1.0):
        got = float(lb.log_cosh([0.0], [sign * e]))
        assert got == pytest.approx(_mp_log_cosh(e), rel=4 * EPS, abs=1e-320)


def test_log_cosh_float32_small_and_large() -> None:
    e = np.array([1e-4, 1e-2, 0.9, 3.0, 1e4], dtype=np.float32)
    got = np.array([lb.log_cosh(np.zeros(1, np.float32), e[i : i + 1]) for i in range(e.size)])
    assert got.dtype == np.float32
    ref = [_mp_log_cosh(float(v)) for v in e]
    np.testing.assert_allclose(got, ref, rtol=4 * float(np.finfo(np.float32).eps))


@given(hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e6, 1e6)))
def test_log_cosh_lies_between_mae_minus_log_2_and_mae(e: np.ndarray) -> None:
    zero = np.zeros_like(e)
    loss, mae = lb.log_cosh(zero, e), lb.mae(zero, e)
    assert mae - math.log(2) - 4 * EPS * mae <= loss <= mae * (1 + 4 * EPS)


@given(hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e-3, 1e-3)))
def test_log_cosh_is_half_the_mse_for_small_errors(e: np.ndarray) -> None:
    # log cosh e = e²/2 - e⁴/12 + ...: within e⁴/12 of half the MSE
    zero = np.zeros_like(e)
    half_mse = 0.5 * lb.mse(zero, e)
    assert abs(lb.log_cosh(zero, e) - half_mse) <= np.mean(e**4) / 12 + 4 * EPS * half_mse


@given(
    hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e3, 1e3)),
    st.floats(1e-3, 1e3),
)
def test_smooth_l1_times_beta_is_huber(e: np.ndarray, beta: float) -> None:
    zero = np.zeros_like(e)
    huber = lb.huber(zero, e, delta=beta)
    assert lb.smooth_l1(zero, e, beta=beta) * beta == pytest.approx(huber, rel=4 * EPS, abs=1e-300)


def test_smooth_l1_by_hand_and_beta_zero_is_mae() -> None:
    # beta = 0.5: e = 0.3 is inside (½ 0.09 / 0.5 = 0.09), e = 3 outside (3 - 0.25)
    assert lb.smooth_l1([0.0, 0.0], [0.3, 3.0], beta=0.5) == pytest.approx((0.09 + 2.75) / 2)
    y, o = np.array([1.0, -2.0, 0.5]), np.array([0.0, 2.0, 0.5])
    assert lb.smooth_l1(y, o, beta=0.0) == lb.mae(y, o)


def test_smooth_l1_and_huber_limits() -> None:
    # beta -> 0: smooth L1 -> MAE, but Huber(delta -> 0) -> 0;
    # delta -> inf: Huber -> ½ MSE, but smooth L1(beta -> inf) -> 0
    y, o = np.zeros(4), np.array([-2.0, -0.5, 0.25, 3.0])
    mae, half_mse = lb.mae(y, o), 0.5 * lb.mse(y, o)
    for small in (1e-3, 1e-6, 1e-9):
        gap = abs(lb.smooth_l1(y, o, beta=small) - mae)  # |e| - β/2 outside ±β
        assert gap <= small / 2 + 4 * EPS * mae
        assert lb.huber(y, o, delta=small) <= small * mae
    for big in (1e3, 1e6, 1e9):
        assert lb.huber(y, o, delta=big) == pytest.approx(half_mse, rel=1e-15)
        assert lb.smooth_l1(y, o, beta=big) == pytest.approx(half_mse / big, rel=1e-15)


def test_quantile_loss_by_hand() -> None:
    # q = 0.9: under by 1 (y = 1, o = 0) costs 0.9; over by 1 (y = 0, o = 1) costs 0.1
    assert lb.quantile_loss([1.0], [0.0], q=0.9) == pytest.approx(0.9, rel=1e-15)
    assert lb.quantile_loss([0.0], [1.0], q=0.9) == pytest.approx(0.1, rel=1e-15)
    assert lb.quantile_loss([0.0, 1.0], [1.0, 0.0], q=0.9) == pytest.approx(0.5, rel=1e-15)


@given(
    hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e6, 1e6)),
    st.data(),
)
def test_quantile_half_is_half_the_mae(y: np.ndarray, data: st.DataObject) -> None:
    o = data.draw(hnp.arrays(np.float64, y.shape, elements=st.floats(-1e6, 1e6)))
    assert lb.quantile_loss(y, o, q=0.5) == pytest.approx(
        0.5 * lb.mae(y, o), rel=4 * EPS, abs=1e-300
    )


@given(
    hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-1e6, 1e6)),
    st.integers(1, 1023),
    st.data(),
)
def test_quantile_q_plus_one_minus_q_is_the_mae_and_mirrors(
    y: np.ndarray, k: int, data: st.DataObject
) -> None:
    # q = k/1024, so that 1 - q is exact: for a q like 0.011, 1 - (1 - q) differs from q by
    # a rounding of 1 - q, a relative error near EPS/q that is the input's, not the loss's
    q = k / 1024
    o = data.draw(hnp.arrays(np.float64, y.shape, elements=st.floats(-1e6, 1e6)))
    mae = lb.mae(y, o)
    both = lb.quantile_loss(y, o, q=q) + lb.quantile_loss(y, o, q=1 - q)
    assert both == pytest.approx(mae, rel=8 * EPS, abs=1e-300)
    # mirroring the data swaps the roles of under- and over-prediction
    assert lb.quantile_loss(-y, -o, q=1 - q) == pytest.approx(
        lb.quantile_loss(y, o, q=q), rel=8 * EPS, abs=1e-300
    )


@pytest.mark.parametrize("q", [0.1, 0.25, 0.5, 0.9])
def test_quantile_loss_is_minimized_by_the_sample_quantile(q: float) -> None:
    # with n q not an integer, the minimizer is the order statistic y_(ceil(n q))
    y = np.random.default_rng(0).lognormal(size=37)
    c = np.sort(y)
    losses = [lb.quantile_loss(y, np.full_like(y, ci), q=q) for ci in c]
    k = math.ceil(y.size * q)
    assert int(np.argmin(losses)) == k - 1
    assert c[k - 1] == np.quantile(y, q, method="inverted_cdf")


def test_msle_by_hand() -> None:
    # (log 2 - log 1)² and (log 4 - log 4)² = 0, averaged
    assert lb.msle([0.0, 3.0], [1.0, 3.0]) == pytest.approx(math.log(2) ** 2 / 2, rel=1e-15)
    assert lb.msle is lb.mean_squared_logarithmic_error


@pytest.mark.parametrize("y", [-0.999999, -0.5, 0.0, 1e-10, 1.0, 1e3, 1e300])
@pytest.mark.parametrize("rel", [1e-15, 1e-9, 1e-3, 1.0, 1e6])
def test_msle_against_mpmath(y: float, rel: float) -> None:
    # close values keep their relative accuracy (no difference of two logs);
    # far apart they do not overflow
    o = y + rel * (1 + abs(y))
    got = float(lb.msle([y], [o]))
    d = mpmath.log1p(mpmath.mpf(o)) - mpmath.log1p(mpmath.mpf(y))
    assert got == pytest.approx(float(d**2), rel=8 * EPS)


def test_msle_epsilon_reproduces_keras_clipping() -> None:
    y = np.array([[-5.0, -0.5, 0.0, 1e-9, 2.0]])
    o = np.array([[0.0, -0.9, 3.0, -2.0, 2.5]])
    clip = lambda a: np.log1p(np.maximum(a, 1e-7))  # noqa: E731
    expected = np.mean((clip(o) - clip(y)) ** 2, axis=-1)
    np.testing.assert_allclose(lb.msle(y, o, epsilon=1e-7), expected, rtol=1e-14)


def test_mape_by_hand() -> None:
    # |1 - 2| / 2 and |1 - (-1)| / 1: 50 % and 200 %, averaged
    assert lb.mape([2.0, -1.0], [1.0, 1.0]) == pytest.approx(125.0, rel=1e-15)
    assert lb.mape is lb.mean_absolute_percentage_error


def test_mape_is_asymmetric() -> None:
    # for y > 0 and o >= 0 an under-prediction costs at most 100 %, an over-prediction
    # without bound: a factor 2 off costs 50 % low and 100 % high
    assert lb.mape([2.0], [0.0]) == 100.0
    assert lb.mape([2.0], [1.0]) == 50.0 and lb.mape([2.0], [4.0]) == 100.0
    assert lb.mape([2.0], [200.0]) == pytest.approx(9900.0)


def test_mape_epsilon_reproduces_keras() -> None:
    y, o = np.array([[0.0, 1e-9, -2.0, 4.0]]), np.array([[1.0, 0.0, 1.0, 3.0]])
    expected = 100 * np.mean(np.abs(o - y) / np.maximum(np.abs(y), 1e-7), axis=-1)
    np.testing.assert_allclose(lb.mape(y, o, epsilon=1e-7), expected, rtol=1e-15)


@pytest.mark.parametrize("f", ZOO)
def test_zoo_dtypes_and_return_types(f: Callable[..., Any]) -> None:
    a32 = np.array([[1.0, 2.0], [3.0, 5.0]], dtype=np.float32)
    out = f(a32, a32 + 1)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32 and out.shape == (2,)
    assert f([[1, 2], [3, 5]], a32).dtype == np.float32  # an integer partner adopts float32
    assert isinstance(f([1, 2, 3], [1, 2, 5]), np.float64)


@pytest.mark.parametrize("f", ZOO)
def test_zoo_column_vector_trap_raises(f: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match=r"^y_pred: shape \(4, 1\) does not match y_true shape"):
        f(np.arange(1.0, 5.0), np.arange(1.0, 5.0).reshape(4, 1))


@pytest.mark.parametrize("f", [lb.log_cosh, lb.smooth_l1, lb.msle, lb.mape])
def test_zoo_float32_close_to_float64(f: Callable[..., Any]) -> None:
    rng = np.random.default_rng(3)
    y, o = rng.uniform(0.5, 5.0, size=(6, 4)), rng.uniform(0.5, 5.0, size=(6, 4))
    got = f(y.astype(np.float32), o.astype(np.float32))
    want = f(y.astype(np.float32).astype(np.float64), o.astype(np.float32).astype(np.float64))
    np.testing.assert_allclose(got, want, rtol=1e-5)
