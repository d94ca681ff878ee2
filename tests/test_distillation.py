"""lossbook.distillation: values by hand, mpmath at extreme logits, properties, dtypes."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import lossbook as lb


def _mp_distillation(t: list[float], s: list[float], tau: float) -> float:
    """T² KL(softmax(t/T) ‖ softmax(s/T)) in 50 digits."""
    with mpmath.workdps(50):
        tt = [mpmath.mpf(x) / tau for x in t]
        ss = [mpmath.mpf(x) / tau for x in s]
        lt, ls = (
            mpmath.log(sum(mpmath.exp(x) for x in tt)),
            mpmath.log(sum(mpmath.exp(x) for x in ss)),
        )
        kl = sum(mpmath.exp(a - lt) * ((a - lt) - (b - ls)) for a, b in zip(tt, ss, strict=True))
        return float(mpmath.mpf(tau) ** 2 * kl)


def test_by_hand_two_classes() -> None:
    # teacher logits (log 3, 0) at T = 1: p = (3/4, 1/4); student (0, 0): q = (1/2, 1/2)
    expected = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
    got = lb.distillation([math.log(3), 0.0], [0.0, 0.0], temperature=1.0)
    assert got == pytest.approx(expected, rel=1e-15)
    # at T = 2 the teacher's logits (2 log 3, 0) give the same p; the loss is 4 times the KL
    got2 = lb.distillation([2 * math.log(3), 0.0], [0.0, 0.0], temperature=2.0)
    assert got2 == pytest.approx(4 * expected, rel=1e-15)


def test_equals_t2_times_kl_of_softmaxes() -> None:
    rng = np.random.default_rng(0)
    t, s = rng.normal(size=(5, 7)), rng.normal(size=(5, 7))
    for tau in (0.5, 1.0, 4.0):
        kl = lb.kl_divergence(lb.softmax(t / tau), lb.softmax(s / tau))
        np.testing.assert_allclose(lb.distillation(t, s, temperature=tau), tau**2 * kl, rtol=1e-12)


@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3, 1e4])
def test_extreme_logits_against_mpmath(scale: float) -> None:
    rng = np.random.default_rng(1)
    for _ in range(5):
        t, s = scale * rng.normal(size=4), scale * rng.normal(size=4)
        for tau in (1.0, 3.0):
            got = float(lb.distillation(t, s, temperature=tau))
            want = _mp_distillation(list(t), list(s), tau)
            assert np.isfinite(got)
            # the log-softmax differences carry scale/T in absolute terms: rounding of
            # the logits' size, so the error is relative to the sum of the |terms|
            assert abs(got - want) <= 1e-12 * max(want, tau * scale * 4)


def test_teacher_one_hot_limit() -> None:
    # the teacher's softmax underflows to one-hot: the loss is T² (-log q_0) with p_0 = 1
    got = float(lb.distillation([1e4, 0.0, 0.0], [0.0, 0.0, 0.0], temperature=1.0))
    assert got == pytest.approx(math.log(3), rel=1e-14)


logit_rows = arrays(
    np.float64,
    st.tuples(st.integers(1, 4), st.integers(2, 6)),
    elements=st.floats(-50, 50),
)
temperatures = st.floats(0.1, 20.0)


@settings(max_examples=60, deadline=None)
@given(logit_rows, st.data(), temperatures)
def test_nonnegative_and_zero_at_equality(t: np.ndarray, data: st.DataObject, tau: float) -> None:
    s = data.draw(arrays(np.float64, t.shape, elements=st.floats(-50, 50)))
    d = lb.distillation(t, s, temperature=tau)
    assert np.all(d >= 0)
    assert np.all(lb.distillation(t, t, temperature=tau) == 0)


@settings(max_examples=60, deadline=None)
@given(logit_rows, st.data(), temperatures, st.floats(-100, 100), st.floats(-100, 100))
def test_shift_invariance(
    t: np.ndarray, data: st.DataObject, tau: float, c1: float, c2: float
) -> None:
    s = data.draw(arrays(np.float64, t.shape, elements=st.floats(-50, 50)))
    base = lb.distillation(t, s, temperature=tau)
    shifted = lb.distillation(t + c1, s + c2, temperature=tau)
    # adding c changes the logits by rounding only: |c| ulps in each log-softmax entry
    tol = 1e-12 * (1 + (abs(c1) + abs(c2) + 100) / tau) * max(1.0, tau**2)
    np.testing.assert_allclose(shifted, base, rtol=1e-9, atol=tol)


@settings(max_examples=60, deadline=None)
@given(logit_rows, st.data(), temperatures, st.floats(0.25, 4.0))
def test_t2_scaling(t: np.ndarray, data: st.DataObject, tau: float, a: float) -> None:
    # logits and temperature scaled together give the same softmaxes: the loss scales by a²
    s = data.draw(arrays(np.float64, t.shape, elements=st.floats(-50, 50)))
    base = lb.distillation(t, s, temperature=tau)
    scaled = lb.distillation(a * t, a * s, temperature=a * tau)
    np.testing.assert_allclose(
        scaled, a * a * base, rtol=1e-9, atol=1e-12 * a * a * (1 + 100 / tau)
    )


def test_gradient_is_t_times_q_minus_p() -> None:
    # central differences of T² KL against the closed form T (q - p)
    rng = np.random.default_rng(2)
    t, s = rng.normal(size=5), rng.normal(size=5)
    for tau in (1.0, 2.0, 5.0):
        p, q = lb.softmax(t / tau), lb.softmax(s / tau)
        h = 1e-6
        grad = np.array(
            [
                (
                    lb.distillation(t, s + h * e, temperature=tau)
                    - lb.distillation(t, s - h * e, temperature=tau)
                )
                / (2 * h)
                for e in np.eye(5)
            ]
        )
        np.testing.assert_allclose(grad, tau * (q - p), atol=1e-8)


def test_dtypes_and_shapes() -> None:
    t = np.array([[1.0, 2.0, 0.5], [0.0, 0.0, 3.0]])
    s = np.array([[0.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    out64 = lb.distillation(t, s, temperature=2.0)
    assert out64.shape == (2,) and out64.dtype == np.float64
    out32 = lb.distillation(t.astype(np.float32), s.astype(np.float32), temperature=2.0)
    assert out32.dtype == np.float32
    # float32 rounding of log p - log q (terms of size ~1): absolute, T² x a few float32 ulps
    np.testing.assert_allclose(out32, out64, rtol=0, atol=4 * 8 * 1.2e-7)
    one = lb.distillation(t[0], s[0], temperature=2.0)
    assert isinstance(one, np.floating) and one == pytest.approx(out64[0], rel=1e-15)
    batch = lb.distillation(np.stack([t, t]), np.stack([s, s]), temperature=2.0)
    assert batch.shape == (2, 2)
    np.testing.assert_array_equal(batch[1], out64)
