"""MSE, MAE and Huber: hand-computed values, the (b,) vs (b, 1) trap, dtypes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import lossbook as lb


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
