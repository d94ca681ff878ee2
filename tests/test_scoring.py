"""The Brier score and the expected calibration error: values by hand, properties, dtypes.

Neither Keras nor PyTorch has either of them, so every check here is against an
independent computation: the formula written out, a plain loop over the bins,
or exact rational arithmetic.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

EPS = float(np.finfo(np.float64).eps)


@st.composite
def distributions(draw: st.DrawFn, n: int | None = None, k: int | None = None) -> np.ndarray:
    """Rows of probability distributions (float64), possibly with exact zeros and ties."""
    n = draw(st.integers(1, 30)) if n is None else n
    k = draw(st.integers(1, 8)) if k is None else k
    w = draw(hnp.arrays(np.float64, (n, k), elements=st.sampled_from([0.0, 0.5, 1.0, 2.0, 7.0])))
    w = w + draw(hnp.arrays(np.float64, (n, k), elements=st.floats(0.0, 1.0)))
    assume(np.all(w.sum(axis=-1) > 0))
    return w / w.sum(axis=-1, keepdims=True)


# --- Brier score ---------------------------------------------------------------------------


def test_brier_by_hand() -> None:
    # true class 2 gets 0.7: 0.1^2 + 0.2^2 + 0.3^2
    assert lb.brier_score([0.0, 0.0, 1.0], [0.1, 0.2, 0.7]) == pytest.approx(0.14, rel=1e-15)
    got = lb.brier_score([[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(got, [0.0, 2.0])  # right, and confidently wrong
    assert got.shape == (2,)


def test_brier_binary_is_half_the_two_class_score() -> None:
    y, q = np.array([0.0, 1.0, 1.0, 0.3]), np.array([0.2, 0.9, 0.4, 0.6])
    two = lb.brier_score(np.stack([1 - y, y], -1), np.stack([1 - q, q], -1))
    np.testing.assert_allclose(two / 2, (q - y) ** 2, rtol=1e-15)


def test_brier_against_mpmath() -> None:
    rng = np.random.default_rng(3)
    y = np.eye(6)[rng.integers(0, 6, size=40)]
    q = rng.dirichlet(np.full(6, 0.3), size=40)
    got = lb.brier_score(y, q)
    for row_y, row_q, g in zip(y, q, got, strict=True):
        pairs = zip(row_y, row_q, strict=True)
        exact = mpmath.fsum((mpmath.mpf(b) - mpmath.mpf(a)) ** 2 for a, b in pairs)
        assert abs(g - exact) <= 4 * EPS * exact


@given(distributions(), st.data())
def test_brier_lies_in_0_2_and_is_0_only_at_the_target(q: np.ndarray, data: st.DataObject) -> None:
    p = data.draw(distributions(n=q.shape[0], k=q.shape[1]))
    bs = lb.brier_score(p, q)
    assert np.all(bs >= 0) and np.all(bs <= 2 * (1 + 4 * EPS))
    assert np.all(lb.brier_score(q, q) == 0)


@given(distributions(), st.data())
def test_brier_is_k_times_mse_for_one_hot_targets(q: np.ndarray, data: st.DataObject) -> None:
    n, k = q.shape
    labels = data.draw(hnp.arrays(np.int64, n, elements=st.integers(0, k - 1)))
    y = np.eye(k)[labels]
    np.testing.assert_allclose(lb.brier_score(y, q), k * lb.mse(y, q), rtol=8 * EPS, atol=8 * EPS)


@given(st.integers(1, 8), st.data())
def test_brier_expected_score_decomposes(k: int, data: st.DataObject) -> None:
    # E_{y~p} BS(q, y) = ||q - p||^2 + 1 - ||p||^2, so q = p minimizes it (strictly proper)
    p, q = data.draw(distributions(n=1, k=k))[0], data.draw(distributions(n=20, k=k))
    one_hot = np.eye(k)
    expected = sum(p[y] * lb.brier_score(np.tile(one_hot[y], (len(q), 1)), q) for y in range(k))
    decomposition = np.sum((q - p) ** 2, axis=-1) + 1 - p @ p
    np.testing.assert_allclose(expected, decomposition, rtol=1e-12, atol=1e-12)
    assert np.all(expected >= 1 - p @ p - 1e-12)


def test_brier_dtypes_axis_and_scalars() -> None:
    y64 = np.eye(3)[[0, 2]]
    q64 = np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    y, q = y64.astype(np.float32), q64.astype(np.float32)
    got = lb.brier_score(y, q)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, lb.brier_score(y64, q64), rtol=1e-6)  # float32 inputs
    np.testing.assert_allclose(lb.brier_score(y.T, q.T, axis=0), got, rtol=1e-7)
    assert isinstance(lb.brier_score([0.0, 1.0], [0.5, 0.5]), np.float64)
    soft = lb.brier_score([0.2, 0.8], [0.5, 0.5])  # soft targets: the squared distance
    assert soft == pytest.approx(0.18, rel=1e-15)


# --- expected calibration error --------------------------------------------------------------


def ece_loop(labels: np.ndarray, q: np.ndarray, n_bins: int) -> float:
    """The ECE written out: bins (m - 1)/M < c <= m/M, empty bins skipped."""
    c, correct = q.max(axis=-1), q.argmax(axis=-1) == labels
    total = 0.0
    for m in range(1, n_bins + 1):
        in_bin = ((m - 1) / n_bins < c) & (c <= m / n_bins)
        if in_bin.any():
            total += in_bin.mean() * abs(correct[in_bin].mean() - c[in_bin].mean())
    return total


def test_ece_by_hand() -> None:
    # c = 0.9 (right) and c = 0.6 (wrong) in different bins: (0.1 + 0.6) / 2
    ece = lb.expected_calibration_error([0, 1], [[0.9, 0.1], [0.6, 0.4]])
    assert ece == pytest.approx(0.35, rel=1e-15)
    assert isinstance(ece, np.float64)


def test_ece_bins_are_closed_on_the_right() -> None:
    # with 5 bins, 0.6 is the right edge of (0.4, 0.6]: the two samples are in different
    # bins, (|1 - 0.6| + |0 - 0.65|) / 2; closed on the left they would share one bin
    two = [[0.6, 0.4], [0.65, 0.35]]
    assert lb.expected_calibration_error([0, 1], two, n_bins=5) == (0.4 + 0.65) / 2
    # a confidence of exactly 1 falls in the last bin, (1 - 1/M, 1]
    assert lb.expected_calibration_error([0], [[1.0, 0.0]], n_bins=3) == 0.0
    assert lb.expected_calibration_error([1], [[1.0, 0.0]], n_bins=3) == 1.0


def test_ece_empty_bins_contribute_nothing() -> None:
    # every confidence in one bin: the ECE is |accuracy - mean confidence| for any M
    q = np.array([[0.81, 0.19], [0.83, 0.17], [0.82, 0.18], [0.84, 0.16]])
    labels = np.array([0, 0, 1, 0])
    want = abs(0.75 - 0.825)
    for n_bins in (1, 2, 5):  # 0.81 to 0.84 share one bin: (0, 1], (0.5, 1], (0.8, 1]
        assert lb.expected_calibration_error(labels, q, n_bins=n_bins) == pytest.approx(
            want, rel=1e-14
        )


def test_ece_one_bin_is_the_gap_between_mean_confidence_and_accuracy() -> None:
    rng = np.random.default_rng(1)
    q = rng.dirichlet(np.ones(4), size=100)
    labels = rng.integers(0, 4, size=100)
    want = abs(np.mean(q.argmax(-1) == labels) - q.max(-1).mean())
    assert lb.expected_calibration_error(labels, q, n_bins=1) == pytest.approx(want, rel=1e-13)


@pytest.mark.parametrize("n_bins", [1, 3, 10, 15, 100])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ece_equals_the_plain_loop(n_bins: int, dtype: type) -> None:
    rng = np.random.default_rng(n_bins)
    q = rng.dirichlet(np.full(5, 0.5), size=500).astype(dtype)
    q /= q.sum(axis=-1, keepdims=True)
    labels = rng.integers(0, 5, size=500)
    got = lb.expected_calibration_error(labels, q, n_bins=n_bins)
    assert got.dtype == dtype
    want = ece_loop(labels, q.astype(np.float64), n_bins)
    np.testing.assert_allclose(got, want, rtol=1e-12 if dtype is np.float64 else 1e-6)


def test_ece_exact_with_fractions() -> None:
    # confidences that are exact binary fractions and exact bin sums: Fraction arithmetic
    q = np.array([[0.75, 0.25], [0.75, 0.25], [0.5, 0.5], [0.875, 0.125], [0.625, 0.375]])
    labels = np.array([0, 1, 1, 0, 0])
    n_bins = 4  # (0, 1/4], (1/4, 1/2], (1/2, 3/4], (3/4, 1]
    c = [Fraction(float(v)) for v in q.max(-1)]
    correct = [int(a == b) for a, b in zip(q.argmax(-1), labels, strict=True)]
    bins: dict[int, list[int]] = {}
    for i, ci in enumerate(c):
        edges = [Fraction(m, n_bins) for m in range(n_bins + 1)]
        m = next(m for m in range(1, n_bins + 1) if edges[m - 1] < ci <= edges[m])
        bins.setdefault(m, []).append(i)
    exact = sum(abs(sum(correct[i] - c[i] for i in idx)) for idx in bins.values()) / len(c)
    assert lb.expected_calibration_error(labels, q, n_bins=n_bins) == float(exact)


@given(distributions(), st.data(), st.integers(1, 50))
def test_ece_lies_in_0_1(q: np.ndarray, data: st.DataObject, n_bins: int) -> None:
    labels = data.draw(hnp.arrays(np.int64, q.shape[0], elements=st.integers(0, q.shape[1] - 1)))
    ece = lb.expected_calibration_error(labels, q, n_bins=n_bins)
    assert 0 <= ece <= 1
    np.testing.assert_allclose(ece, ece_loop(labels, q, n_bins), rtol=1e-12, atol=1e-15)


@given(
    st.lists(
        st.tuples(st.integers(2, 10), st.integers(0, 10), st.integers(1, 4)), min_size=1, max_size=6
    ),
    st.integers(1, 40),
)
def test_ece_is_zero_for_a_perfectly_calibrated_construction(
    levels: list[tuple[int, int, int]], n_bins: int
) -> None:
    # each level: r d samples of confidence c = a/d (c >= 1/2, two classes), exactly r a of
    # them correct; then every bin has accuracy = mean confidence, and the ECE is 0 up to
    # the rounding of a/d and of sums of up to 240 terms of size <= 1 (well below 1e-12)
    q_rows, labels = [], []
    for d, a_raw, r in levels:
        low = (d + 1) // 2  # a in [ceil(d/2), d], so c = a/d >= 1/2
        a = low + a_raw % (d - low + 1)
        c = a / d
        for j in range(r * d):
            q_rows.append([c, 1 - c])
            labels.append(0 if j < r * a else 1)  # argmax is class 0 (first, on a tie)
    ece = lb.expected_calibration_error(labels, np.array(q_rows), n_bins=n_bins)
    assert ece <= 1e-12


def test_ece_the_true_probabilities_are_calibrated_in_the_limit() -> None:
    # labels drawn from q itself: the ECE is sampling noise, shrinking with n
    rng = np.random.default_rng(7)
    values = []
    for n in (1_000, 100_000):
        q = rng.dirichlet(np.ones(3), size=n)
        labels = (rng.random((n, 1)) > np.cumsum(q, axis=-1)).sum(axis=-1)
        values.append(float(lb.expected_calibration_error(labels, q)))
    assert values[1] < values[0] / 3 and values[1] < 0.01


def test_ece_axis_permutation_and_extra_dimensions() -> None:
    rng = np.random.default_rng(5)
    q = rng.dirichlet(np.ones(4), size=60)
    labels = rng.integers(0, 4, size=60)
    ece = lb.expected_calibration_error(labels, q)
    np.testing.assert_allclose(lb.expected_calibration_error(labels, q.T, axis=0), ece, rtol=0)
    order = rng.permutation(60)
    np.testing.assert_allclose(
        lb.expected_calibration_error(labels[order], q[order]), ece, rtol=1e-14
    )
    # (b, T, K) with labels (b, T): every position is one sample
    np.testing.assert_allclose(
        lb.expected_calibration_error(labels.reshape(6, 10), q.reshape(6, 10, 4)), ece, rtol=0
    )
    assert np.ndim(ece) == 0


def test_ece_float_labels_that_hold_integers_are_accepted() -> None:
    q = [[0.9, 0.1], [0.6, 0.4]]
    assert lb.expected_calibration_error([0.0, 1.0], q) == lb.expected_calibration_error([0, 1], q)


# --- generalized cross-entropy: the q -> 0 limit (values are in test_classification.py) -----


@given(st.floats(1e-300, 1.0), st.floats(1e-12, 1.0), st.floats(1e-12, 1.0))
def test_gce_lies_below_ce_and_tends_to_it_as_q_goes_to_0(p: float, q: float, r: float) -> None:
    # CE - q CE^2 / 2 <= GCE_q <= CE, and GCE decreases as q grows: GCE -> CE as q -> 0
    y_pred = [[p, 1 - p]]
    ce = float(lb.sparse_categorical_crossentropy([0], y_pred)[0])
    gce = float(lb.categorical_generalized_cross_entropy([0], y_pred, q=q)[0])
    assert ce - q * ce**2 / 2 - 4 * EPS * ce <= gce <= ce * (1 + 4 * EPS)
    low, high = sorted((q, r))
    gce_low = lb.categorical_generalized_cross_entropy([0], y_pred, q=low)[0]
    gce_high = lb.categorical_generalized_cross_entropy([0], y_pred, q=high)[0]
    assert gce_high <= gce_low * (1 + 4 * EPS)
