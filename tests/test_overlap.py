"""lossbook.overlap: the Dice and Tversky losses against set formulas, mpmath and properties.

Keras's dice and tversky, and a PyTorch transcription, are compared in
test_against_tensorflow.py and test_against_pytorch.py.
"""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

EPS = float(np.finfo(np.float64).eps)


def masks(shape: tuple[int, ...] = (3, 6, 6)) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0]))


def soft(shape: tuple[int, ...] = (3, 6, 6)) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=st.floats(0.0, 1.0))


weights = st.floats(0.0, 10.0)


# --- values: sets, by hand, mpmath ---------------------------------------------------


def test_rectangles_by_sets() -> None:
    y, q = np.zeros((8, 8)), np.zeros((8, 8))
    y[2:5, 2:6] = 1  # 12 pixels
    q[3:6, 3:7] = 1  # 12 pixels, 6 of them in y
    assert lb.dice(y, q) == 0.5  # 1 - 2 * 6 / 24, exactly
    assert lb.tversky(y, q, alpha=1.0, beta=1.0) == pytest.approx(1 - 6 / 18, rel=1e-15)
    # alpha weighs the 6 false positives, beta the 6 false negatives
    assert lb.tversky(y, q, alpha=0.2, beta=0.0) == pytest.approx(1.2 / 7.2, rel=1e-15)


def test_alpha_is_on_false_positives_beta_on_false_negatives() -> None:
    y = np.array([1.0, 1.0, 1.0, 1.0, 0.0, 0.0])
    misses = np.array([1.0, 1.0, 0.0, 0.0, 0.0, 0.0])  # TP 2, FN 2, FP 0
    overshoots = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0])  # TP 4, FP 2, FN 0
    assert lb.tversky(y, misses, alpha=0.9, beta=0.1) == pytest.approx(0.2 / 2.2, rel=1e-15)
    assert lb.tversky(y, overshoots, alpha=0.9, beta=0.1) == pytest.approx(1.8 / 5.8, rel=1e-15)


def test_soft_counts_by_hand() -> None:
    y = np.array([1.0, 1.0, 0.0, 0.5])
    q = np.array([0.9, 0.3, 0.2, 0.5])
    tp = 0.9 + 0.3 + 0.25
    fp = 0.2 + 0.25
    fn = 0.1 + 0.7 + 0.25
    assert lb.tversky(y, q, alpha=0.3, beta=0.7) == pytest.approx(
        (0.3 * fp + 0.7 * fn) / (tp + 0.3 * fp + 0.7 * fn), rel=1e-15
    )
    assert lb.dice(y, q) == pytest.approx(1 - 2 * tp / (y.sum() + q.sum()), rel=1e-15)


def test_empty_target_and_prediction() -> None:
    empty = np.zeros((2, 4, 4))
    assert lb.dice(empty, empty) == 0.0  # the masks agree: nothing is counted wrong
    assert lb.tversky(empty, empty, alpha=0.3, beta=0.7) == 0.0
    assert lb.dice(empty, empty, epsilon=1e-7) == 1.0  # Keras's constant: 1 - 0 / ε
    np.testing.assert_array_equal(lb.dice(empty, empty, axis=(1, 2)), [0.0, 0.0])
    faint = np.full((2, 4, 4), 1e-300)
    assert lb.dice(empty, faint) == 1.0  # any foreground on an empty target: D = 0


def test_tiny_loss_keeps_its_relative_accuracy() -> None:
    # a near-perfect prediction: 1 - TP / (...) would cancel; the mistakes / total form does not
    rng = np.random.default_rng(0)
    y = (rng.random((64, 64)) < 0.3).astype(float)
    q = np.where(y == 1, 1 - 1e-12 * rng.random(y.shape), 1e-12 * rng.random(y.shape))
    with mp.workdps(50):
        yy, qq = [mp.mpf(v) for v in y.ravel()], [mp.mpf(v) for v in q.ravel()]
        tp = mp.fsum(a * b for a, b in zip(yy, qq, strict=True))
        fp = mp.fsum((1 - a) * b for a, b in zip(yy, qq, strict=True))
        fn = mp.fsum(a * (1 - b) for a, b in zip(yy, qq, strict=True))
        exact = (fp + fn) / (2 * tp + fp + fn)
    assert 1e-14 < exact < 1e-11
    assert lb.dice(y, q) == pytest.approx(float(exact), rel=1e-12)


def test_float32_stays_float32() -> None:
    rng = np.random.default_rng(1)
    y = (rng.random((4, 32, 32)) < 0.1).astype(np.float32)
    q = rng.random((4, 32, 32)).astype(np.float32)
    for got in (lb.dice(y, q), lb.tversky(y, q, alpha=0.2, beta=0.8, axis=(1, 2))):
        assert got.dtype == np.float32
    np.testing.assert_allclose(
        lb.dice(y, q, axis=(1, 2)),
        lb.dice(y.astype(float), q.astype(float), axis=(1, 2)),
        rtol=1e-5,
    )
    assert np.ndim(lb.dice(y, q)) == 0  # axis=None: one number


# --- properties ------------------------------------------------------------------------


@given(soft(), soft(), weights, weights)
def test_range_and_the_two_forms(y: np.ndarray, q: np.ndarray, alpha: float, beta: float) -> None:
    loss = lb.tversky(y, q, alpha=alpha, beta=beta, axis=(1, 2))
    assert np.all((loss >= 0) & (loss <= 1))
    tp = np.sum(y * q, axis=(1, 2))
    fp = np.sum((1 - y) * q, axis=(1, 2))
    fn = np.sum(y * (1 - q), axis=(1, 2))
    den = tp + alpha * fp + beta * fn
    ok = den > 1e-200
    np.testing.assert_allclose(loss[ok], 1 - tp[ok] / den[ok], rtol=1e-12, atol=32 * EPS)


@given(soft(), soft())
def test_dice_is_tversky_at_one_half_and_symmetric(y: np.ndarray, q: np.ndarray) -> None:
    dice = lb.dice(y, q, axis=(1, 2))
    np.testing.assert_array_equal(dice, lb.tversky(y, q, alpha=0.5, beta=0.5, axis=(1, 2)))
    np.testing.assert_array_equal(
        lb.dice(y, q, axis=(1, 2), epsilon=1e-7),
        lb.tversky(y, q, alpha=0.5, beta=0.5, axis=(1, 2), epsilon=0.5e-7),
    )
    np.testing.assert_allclose(lb.dice(q, y, axis=(1, 2)), dice, rtol=1e-12, atol=32 * EPS)


@given(soft(), soft(), weights, weights)
def test_swapping_target_and_prediction_swaps_alpha_and_beta(
    y: np.ndarray, q: np.ndarray, alpha: float, beta: float
) -> None:
    np.testing.assert_allclose(
        lb.tversky(q, y, alpha=beta, beta=alpha, axis=-1),
        lb.tversky(y, q, alpha=alpha, beta=beta, axis=-1),
        rtol=1e-12,
        atol=32 * EPS,
    )


@given(masks(), masks())
def test_jaccard_is_dice_over_two_minus_dice(y: np.ndarray, q: np.ndarray) -> None:
    d = 1 - lb.dice(y, q, axis=(1, 2))
    j = 1 - lb.tversky(y, q, alpha=1.0, beta=1.0, axis=(1, 2))
    np.testing.assert_allclose(j, d / (2 - d), rtol=1e-12, atol=32 * EPS)


@given(masks())
def test_perfect_prediction_scores_zero(y: np.ndarray) -> None:
    np.testing.assert_array_equal(lb.dice(y, y, axis=(1, 2)), 0.0)
    assert lb.tversky(y, y, alpha=0.3, beta=0.7) == 0.0


@given(soft(), soft(), st.integers(1, 20))
def test_true_negatives_do_not_count(y: np.ndarray, q: np.ndarray, pad: int) -> None:
    # pixels that both leave out (y = q = 0) add nothing to TP, FP or FN
    padded = [np.pad(a, ((0, 0), (pad, pad), (0, pad))) for a in (y, q)]
    np.testing.assert_allclose(  # the same sums, added in a different order
        lb.dice(*padded, axis=(1, 2)), lb.dice(y, q, axis=(1, 2)), rtol=1e-12, atol=32 * EPS
    )


@given(soft(), soft())
def test_axes(y: np.ndarray, q: np.ndarray) -> None:
    every = lb.dice(y, q)
    np.testing.assert_allclose(every, lb.dice(y.ravel(), q.ravel()), rtol=1e-12, atol=32 * EPS)
    np.testing.assert_array_equal(lb.dice(y, q, axis=(0, 1, 2)), every)
    per_image = lb.dice(y, q, axis=(1, 2))
    np.testing.assert_array_equal(lb.dice(y, q, axis=(-1, -2)), per_image)
    looped = [lb.dice(y[i], q[i]) for i in range(len(y))]
    np.testing.assert_allclose(per_image, looped, rtol=1e-12, atol=32 * EPS)
    assert lb.dice(y, q, axis=2).shape == (3, 6)


# --- bad input ---------------------------------------------------------------------------

Y, Q = np.zeros((2, 3)), np.full((2, 3), 0.5)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: lb.dice(Y, Q[:, :2]), r"^y_pred: shape \(2, 2\) does not match y_true"),
        (lambda: lb.dice(Y, Q + 1), r"^y_pred: probabilities must be <= 1"),
        (lambda: lb.dice(Y - 1, Q), r"^y_true: probabilities must be >= 0"),
        (lambda: lb.dice(Y, Q * math.nan), r"^y_pred: contains NaN or inf"),
        (lambda: lb.dice(Y, Q, axis=2), r"^axis: 2 is out of range"),
        (lambda: lb.dice(Y, Q, axis=(1, -1)), r"^axis: \(1, -1\) names an axis twice"),
        (lambda: lb.dice(Y, Q, axis=1.0), r"^axis: must be None, an int or a tuple"),
        (lambda: lb.dice(np.zeros((2, 0)), np.zeros((2, 0)), axis=1), r"^y_pred: axis 1 is empty"),
        (lambda: lb.dice(Y, Q, epsilon=0.0), r"^epsilon: must lie in \(0, 0.5\)"),
        (lambda: lb.tversky(Y, Q, alpha=-0.1), r"^alpha: must be finite and >= 0"),
        (lambda: lb.tversky(Y, Q, beta=math.inf), r"^beta: must be finite and >= 0"),
        (lambda: lb.tversky(Y, Q, alpha=math.nan), r"^alpha: must be finite and >= 0"),
    ],
)
def test_bad_input(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]
