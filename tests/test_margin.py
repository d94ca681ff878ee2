"""lossbook/margin.py: values by hand, properties, extremes against mpmath, dtypes, labels.

The frameworks are compared in test_against_tensorflow.py and test_against_pytorch.py;
bad input in test_validation.py.  Here every value is checked against the formula
written out (by hand or in 50-digit mpmath), never against lossbook itself.
"""

from __future__ import annotations

import math
from itertools import pairwise

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

mpmath.mp.dps = 50
EPS = float(np.finfo(np.float64).eps)
X_DOC = [0.1, 0.2, 0.4, 0.8]  # PyTorch's documentation example for the margin losses


def signs(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    return hnp.arrays(np.float64, shape, elements=st.sampled_from([-1.0, 1.0]))


@st.composite
def labelled_scores(draw: st.DrawFn, scale: float = 1e3) -> tuple[np.ndarray, np.ndarray]:
    """Labels ±1 and scores of the same shape, (b, d) with b, d in 1..8."""
    shape = draw(st.tuples(st.integers(1, 8), st.integers(1, 8)))
    z = draw(hnp.arrays(np.float64, shape, elements=st.floats(-scale, scale)))
    return draw(signs(shape)), z


@st.composite
def class_scores(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    """Integer labels (b,) and scores (b, K), K in 2..8."""
    b, k = draw(st.integers(1, 8)), draw(st.integers(2, 8))
    z = draw(hnp.arrays(np.float64, (b, k), elements=st.floats(-100, 100)))
    labels = draw(hnp.arrays(np.int64, b, elements=st.integers(0, k - 1)))
    return labels, z


# --- hinge and squared hinge ------------------------------------------------------------


def test_hinge_by_hand() -> None:
    # margins y z = 2, 0.5, -1: hinge terms 0, 0.5, 2
    y, z = [1.0, -1.0, 1.0], [2.0, -0.5, -1.0]
    assert lb.hinge(y, z) == pytest.approx((0 + 0.5 + 2) / 3, rel=1e-15)
    assert lb.squared_hinge(y, z) == pytest.approx((0 + 0.25 + 4) / 3, rel=1e-15)
    assert lb.hinge([1.0], [1.0]) == 0.0  # exactly on the margin


def test_hinge_converts_zero_one_labels_like_keras() -> None:
    z = np.array([[0.3, 2.0, -0.5, 1.2]])
    y01 = np.array([[0.0, 1.0, 0.0, 1.0]])
    np.testing.assert_array_equal(lb.hinge(y01, z), lb.hinge(2 * y01 - 1, z))
    np.testing.assert_array_equal(lb.squared_hinge(y01, z), lb.squared_hinge(2 * y01 - 1, z))
    assert lb.hinge([0.0, 0.0], [0.0, 0.0]) == 1.0  # all zeros: all become -1
    assert lb.hinge([1.0, 1.0], [0.5, 2.0]) == 0.25  # all ones: nothing to convert


@given(labelled_scores())
def test_squared_hinge_is_the_square_of_hinge_for_one_output(yz: tuple) -> None:
    y, z = yz
    h = lb.hinge(y[:, :1], z[:, :1])
    np.testing.assert_allclose(lb.squared_hinge(y[:, :1], z[:, :1]), h**2, rtol=4 * EPS)
    # in general, mean of squares >= square of the mean (Jensen)
    assert np.all(lb.squared_hinge(y, z) >= lb.hinge(y, z) ** 2 * (1 - 4 * EPS))


@given(labelled_scores())
def test_hinge_bounds_the_zero_one_loss_and_depends_on_the_margin_only(yz: tuple) -> None:
    y, z = yz
    errors = np.mean(y * z <= 0, axis=-1)
    assert np.all(lb.hinge(y, z) >= errors)
    np.testing.assert_array_equal(lb.hinge(y, z), lb.hinge(-y, -z))  # only y z matters
    np.testing.assert_array_equal(lb.hinge(np.ones_like(y), y * z), lb.hinge(y, z))


# --- categorical hinge --------------------------------------------------------------------


def test_categorical_hinge_by_hand() -> None:
    onehot = np.eye(3)[[0, 1, 0]]
    z = np.array([[2.5, 0.3, -1.0], [0.2, 0.8, 0.5], [-0.5, -3.0, -3.0]])
    # 1 + max(0, max_{k != t} z_k) - z_t, floored at 0
    expected = [max(0, 1 + 0.3 - 2.5), max(0, 1 + 0.5 - 0.8), max(0, 1 + 0 + 0.5)]
    np.testing.assert_allclose(lb.categorical_hinge(onehot, z), expected, rtol=1e-15)


@given(class_scores())
def test_categorical_hinge_is_crammer_singer_when_a_rival_scores_above_zero(lz: tuple) -> None:
    labels, z = lz
    onehot = np.eye(z.shape[1])[labels]
    rival = np.where(onehot == 1, -np.inf, z).max(axis=-1)
    z_t = z[np.arange(len(labels)), labels]
    got = lb.categorical_hinge(onehot, z)
    keras_form = np.maximum(0, 1 + np.maximum(rival, 0) - z_t)
    np.testing.assert_allclose(got, keras_form, rtol=8 * EPS, atol=8 * EPS * np.abs(z).max())
    up = rival >= 0
    crammer_singer = np.maximum(0, 1 + rival - z_t)
    np.testing.assert_allclose(got[up], crammer_singer[up], rtol=8 * EPS, atol=1e-12)


# --- multi-margin -------------------------------------------------------------------------


def test_multi_margin_pytorch_documentation_example() -> None:
    # 1/4 * ((1 - (0.8 - 0.1)) + (1 - (0.8 - 0.2)) + (1 - (0.8 - 0.4)))
    assert lb.multi_margin(3, X_DOC) == pytest.approx((0.3 + 0.4 + 0.6) / 4, rel=1e-15)
    assert lb.multi_margin(3, X_DOC, p=2) == pytest.approx((0.09 + 0.16 + 0.36) / 4, rel=1e-14)
    assert lb.multi_margin(3, X_DOC, margin=0.5) == pytest.approx(0.1 / 4, rel=1e-14)
    assert lb.multi_margin(3, X_DOC, margin=0.0) == 0.0


@given(class_scores(), st.sampled_from([1, 2]), st.floats(0.0, 5.0))
def test_multi_margin_is_invariant_under_a_shift_and_counts_all_classes(
    lz: tuple, p: int, margin: float
) -> None:
    labels, z = lz
    base = lb.multi_margin(labels, z, p=p, margin=margin)
    shifted = lb.multi_margin(labels, z + 7.0, p=p, margin=margin)
    np.testing.assert_allclose(shifted, base, rtol=1e-12, atol=1e-12 * (1 + np.abs(z).max()))
    # a class far below every other adds no violation, but one more class to divide by
    hopeless = np.c_[z, np.full(len(labels), -1e6)]
    k = z.shape[1]
    wide = lb.multi_margin(labels, hopeless, p=p, margin=margin)
    # relative to 1e-12 wherever the loss is a normal number; a subnormal one (a margin
    # of 1e-160, squared) keeps only a few digits, so there it agrees to the last subnormal
    tiny = np.finfo(np.float64).tiny
    np.testing.assert_allclose(wide, base * k / (k + 1), rtol=1e-12, atol=tiny)


@given(labelled_scores())
def test_multi_margin_with_two_classes_is_half_the_hinge(yz: tuple) -> None:
    y, z = yz
    y, z = y[:, 0], z[:, 0]
    scores = np.stack([np.zeros_like(z), z], axis=-1)
    labels = (y > 0).astype(int)
    np.testing.assert_allclose(
        2 * lb.multi_margin(labels, scores), lb.hinge(y[:, None], z[:, None]), rtol=4 * EPS
    )
    np.testing.assert_allclose(
        2 * lb.multi_margin(labels, scores, p=2),
        lb.squared_hinge(y[:, None], z[:, None]),
        rtol=4 * EPS,
    )


# --- multilabel margin ------------------------------------------------------------------------


def _multilabel_by_hand(targets: list[int], x: list[float]) -> float:
    listed = []
    for t in targets:
        if t == -1:
            break
        listed.append(t)
    others = [i for i in range(len(x)) if i not in listed]
    return sum(max(0.0, 1 - (x[j] - x[i])) for j in listed for i in others) / len(x)


@pytest.mark.parametrize(
    "targets",
    [[3, 0, -1, 1], [-1, 0, 2, 1], [3, 3, -1, 1], [0, 1, 2, 3], [2, -1, -1, -1], [1, 2, 0, -1]],
)
def test_multilabel_margin_by_hand(targets: list[int]) -> None:
    expected = _multilabel_by_hand(targets, X_DOC)
    assert lb.multilabel_margin(targets, X_DOC) == pytest.approx(expected, rel=1e-14, abs=0)


def test_multilabel_margin_batch_and_axis() -> None:
    rng = np.random.default_rng(5)
    z = rng.normal(size=(7, 5))
    targets = np.full((7, 5), -1)
    for row in targets:
        n = rng.integers(0, 6)
        row[:n] = rng.permutation(5)[:n]
    expected = [_multilabel_by_hand(list(t), list(x)) for t, x in zip(targets, z, strict=True)]
    np.testing.assert_allclose(lb.multilabel_margin(targets, z), expected, rtol=1e-13)
    np.testing.assert_allclose(lb.multilabel_margin(targets.T, z.T, axis=0), expected, rtol=1e-13)


# --- soft margins -----------------------------------------------------------------------------


@given(labelled_scores(scale=1e4))
def test_soft_margin_is_bce_from_logits_and_never_overflows(yz: tuple) -> None:
    y, z = yz
    got = lb.soft_margin(y, z)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(
        got, lb.binary_crossentropy((y + 1) / 2, z, from_logits=True), rtol=4 * EPS
    )
    np.testing.assert_allclose(got, np.mean(np.logaddexp(0, -y * z), axis=-1), rtol=16 * EPS)


@given(labelled_scores(scale=1e4))
def test_multilabel_soft_margin_is_mean_bce_with_logits(yz: tuple) -> None:
    y, z = yz
    y01 = (y + 1) / 2
    got = lb.multilabel_soft_margin(y01, z)
    np.testing.assert_array_equal(got, lb.binary_crossentropy(y01, z, from_logits=True))
    np.testing.assert_allclose(got, lb.soft_margin(y, z), rtol=4 * EPS)


def test_soft_margin_extremes_against_mpmath() -> None:
    z = np.array([-1e4, -745.0, -40.0, -1e-8, 0.0, 1e-8, 36.0, 40.0, 745.0, 1e4])
    got = lb.soft_margin(np.ones((z.size, 1)), z[:, None])
    for zi, gi in zip(z.tolist(), got.tolist(), strict=True):
        exact = mpmath.log1p(mpmath.exp(-mpmath.mpf(zi)))
        if exact < mpmath.mpf(float(np.finfo(np.float64).tiny)):
            assert gi == pytest.approx(float(exact), abs=1e-300)
        else:
            assert abs(gi - exact) <= 2 * EPS * abs(exact), (zi, gi, exact)


# --- the shortfall near the kink keeps its relative accuracy ------------------------------------


def test_margin_losses_near_the_kink_against_mpmath() -> None:
    rng = np.random.default_rng(3)
    z_other = rng.normal(0, 3, size=200)
    z_true = z_other + (1 - 10.0 ** -rng.uniform(1, 15, size=200))  # a lead just short of 1
    scores = np.stack([z_true, z_other], axis=-1)
    onehot = np.eye(2)[np.zeros(200, dtype=int)]
    cat = lb.categorical_hinge(onehot, scores)
    multi = lb.multi_margin(np.zeros(200, dtype=int), scores)
    multilabel = lb.multilabel_margin(np.tile([0, -1], (200, 1)), scores)
    for i in range(200):
        zt, zo = mpmath.mpf(float(z_true[i])), mpmath.mpf(float(z_other[i]))
        short = 1 - (zt - zo)  # > 0
        cat_exact = max(mpmath.mpf(0), 1 + max(zo, 0) - zt)
        assert abs(cat[i] - cat_exact) <= 2 * EPS * cat_exact
        assert abs(multi[i] - short / 2) <= 2 * EPS * short / 2
        assert abs(multilabel[i] - short / 2) <= 2 * EPS * short / 2


def test_huge_scores_do_not_give_nan() -> None:
    big = np.finfo(np.float64).max
    z = np.array([[big, -big, 0.0]])
    assert lb.multi_margin([1], z) == np.inf  # class 0 leads class 1 by more than any float
    assert lb.multi_margin([0], z) == 0.0
    assert lb.categorical_hinge([[0.0, 1.0, 0.0]], z) == np.inf
    assert lb.multilabel_margin([[0, -1, -1]], z) == 0.0


# --- hinge embedding --------------------------------------------------------------------------


def test_hinge_embedding_by_hand() -> None:
    x = [0.3, 0.3, 2.5, 1.5]
    y = [1.0, -1.0, -1.0, -1.0]
    # x for similar pairs; max(0, margin - x) for dissimilar ones
    assert lb.hinge_embedding(y, x) == pytest.approx((0.3 + 0.7 + 0 + 0) / 4, rel=1e-15)
    assert lb.hinge_embedding(y, x, margin=2.0) == pytest.approx((0.3 + 1.7 + 0 + 0.5) / 4)
    assert lb.hinge_embedding([1.0], [-0.5]) == -0.5  # a negative "distance", as PyTorch


@given(labelled_scores(), st.floats(0.0, 10.0))
def test_hinge_embedding_grows_with_the_margin(yz: tuple, margin: float) -> None:
    y, z = yz
    x = np.abs(z)
    low = lb.hinge_embedding(y, x, margin=margin)
    high = lb.hinge_embedding(y, x, margin=margin + 1.0)
    assert np.all(high >= low)
    assert np.all(high - low <= 1.0 + 1e-12)  # each term grows by at most 1


# --- dtypes, shapes, scalars ---------------------------------------------------------------------


CALLS = {
    "hinge": lambda y, z, labels, lists: lb.hinge(y, z),
    "squared_hinge": lambda y, z, labels, lists: lb.squared_hinge(y, z),
    "categorical_hinge": lambda y, z, labels, lists: lb.categorical_hinge(
        np.eye(z.shape[-1], dtype=z.dtype)[labels], z
    ),
    "soft_margin": lambda y, z, labels, lists: lb.soft_margin(y, z),
    "multilabel_soft_margin": lambda y, z, labels, lists: lb.multilabel_soft_margin((y + 1) / 2, z),
    "multi_margin": lambda y, z, labels, lists: lb.multi_margin(labels, z, p=2),
    "multilabel_margin": lambda y, z, labels, lists: lb.multilabel_margin(lists, z),
    "hinge_embedding": lambda y, z, labels, lists: lb.hinge_embedding(y, np.abs(z)),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_float32_stays_float32_and_agrees_with_float64(name: str) -> None:
    rng = np.random.default_rng(11)
    y = rng.choice([-1.0, 1.0], size=(16, 5))
    z = rng.normal(0, 2, size=(16, 5))
    labels = rng.integers(0, 5, size=16)
    lists = np.where(np.arange(5) < 2, np.argsort(rng.random((16, 5)), axis=1), -1)
    f64 = CALLS[name](y, z, labels, lists)
    f32 = CALLS[name](y.astype(np.float32), z.astype(np.float32), labels, lists)
    assert f64.dtype == np.float64 and f32.dtype == np.float32
    assert f32.shape == f64.shape == (16,)
    np.testing.assert_allclose(f32, f64, rtol=2e-6, atol=2e-6)


def test_one_sample_gives_a_numpy_scalar() -> None:
    assert isinstance(lb.hinge([1.0, -1.0], [0.5, 0.5]), np.float64)
    assert isinstance(lb.multi_margin(3, X_DOC), np.float64)
    assert isinstance(lb.multilabel_margin([3, 0, -1, 1], X_DOC), np.float64)
    assert isinstance(lb.categorical_hinge([0.0, 1.0], [0.2, 0.3]), np.float64)


def test_other_axis() -> None:
    rng = np.random.default_rng(2)
    y = rng.choice([-1.0, 1.0], size=(4, 6))
    z = rng.normal(size=(4, 6))
    labels = rng.integers(0, 4, size=6)
    for f in (lb.hinge, lb.squared_hinge, lb.soft_margin, lb.hinge_embedding):
        np.testing.assert_allclose(f(y, z, axis=0), f(y.T, z.T), rtol=1e-15)
    np.testing.assert_allclose(
        lb.multi_margin(labels, z, axis=0), lb.multi_margin(labels, z.T), rtol=1e-15
    )
    onehot = np.eye(4)[labels].T  # (4 classes, 6 samples)
    np.testing.assert_allclose(
        lb.categorical_hinge(onehot, z, axis=0), lb.categorical_hinge(onehot.T, z.T), rtol=1e-15
    )


def test_labels_are_checked_where_the_frameworks_are_silent() -> None:
    with pytest.raises(ValueError, match=r"^y_true: labels must be -1 or 1, or all 0 or 1"):
        lb.hinge([[0.0, 1.0], [-1.0, 1.0]], [[0.3, 2.0], [0.5, -0.2]])  # Keras: no conversion
    with pytest.raises(ValueError, match=r"^y_true: labels must be -1 or 1, got 0"):
        lb.soft_margin([1.0, 0.0], [2.0, -5.0])  # PyTorch: log 2 for the 0
    with pytest.raises(ValueError, match=r"^y_true: labels must be -1 or 1, got 0"):
        lb.hinge_embedding([0.0], [1.0])  # PyTorch: both terms
    with pytest.raises(ValueError, match=r"^y_true: must be one-hot"):
        lb.categorical_hinge([[0.5, 0.5]], [[1.0, 2.0]])


def test_losses_are_monotone_in_the_margin() -> None:
    u = np.linspace(-5, 5, 101)[:, None]
    ones = np.ones_like(u)
    for f in (lb.hinge, lb.squared_hinge, lb.soft_margin):
        values = f(ones, u)
        assert all(a >= b for a, b in pairwise(values))
    assert math.isclose(float(lb.soft_margin([1.0], [0.0])), math.log(2), rel_tol=1e-15)
