"""Properties that hold for every input, checked with hypothesis.

Floating-point sums in a different order differ by a few units in the last
place, so equalities are checked to a tolerance derived from the size of the
numbers involved (``EPS`` = float64 machine epsilon), never more loosely.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

EPS = float(np.finfo(np.float64).eps)


@st.composite
def distribution(draw: st.DrawFn, k: int, zeros: bool = True) -> np.ndarray:
    """A probability vector of length k (float64), possibly with exact zeros."""
    low = 0.0 if zeros else 1e-3
    w = draw(hnp.arrays(np.float64, k, elements=st.floats(low, 1e3)))
    assume(w.sum() > 0)
    return w / w.sum()


@st.composite
def pair(draw: st.DrawFn, q_zeros: bool = False) -> tuple[np.ndarray, np.ndarray]:
    k = draw(st.integers(1, 12))
    return draw(distribution(k)), draw(distribution(k, zeros=q_zeros))


def logits(dtype: type = np.float64, scale: float = 1e4) -> st.SearchStrategy[np.ndarray]:
    shape = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=20)
    width = 32 if dtype is np.float32 else 64
    return hnp.arrays(dtype, shape, elements=st.floats(-scale, scale, width=width))


bases = st.floats(1e-3, 1e3).filter(lambda b: abs(math.log(b)) > 1e-3)


# --- Gibbs' inequality and the decomposition of cross-entropy ---------------------------


@given(pair(q_zeros=True))
def test_gibbs_inequality_with_pinsker_bound(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    kl = lb.kl_divergence(p, q)
    # p and q are distributions only up to rounding (a sum may be 1 ± ulps), and the
    # sum of the terms p log(p/q) is rounded, so both bounds hold up to that rounding
    tol = 8 * EPS * len(p) * (1 + lb.entropy(p) + lb.cross_entropy(p, q))
    assert kl >= -tol  # Gibbs: KL >= 0
    assert kl >= 0.5 * np.sum(np.abs(p - q)) ** 2 - tol  # Pinsker, so KL = 0 only if p = q


@given(pair(q_zeros=True))
def test_kl_of_a_distribution_with_itself_is_exactly_zero(
    pq: tuple[np.ndarray, np.ndarray],
) -> None:
    p, _ = pq
    assert lb.kl_divergence(p, p) == 0.0
    assert lb.cross_entropy(p, p) == lb.entropy(p)


@given(pair(q_zeros=True))
def test_cross_entropy_is_entropy_plus_kl(pq: tuple[np.ndarray, np.ndarray]) -> None:
    p, q = pq
    h_pq = lb.cross_entropy(p, q)
    decomposed = lb.entropy(p) + lb.kl_divergence(p, q)
    if math.isinf(h_pq):
        assert math.isinf(decomposed) and np.any((p > 0) & (q == 0))
    else:
        assert h_pq == pytest.approx(decomposed, rel=8 * EPS * len(p), abs=8 * EPS * len(p))
        assert h_pq >= lb.entropy(p) - 8 * EPS * len(p) * (1 + h_pq)


@given(st.integers(1, 12).flatmap(distribution))
def test_entropy_bounds(p: np.ndarray) -> None:
    h = lb.entropy(p)
    assert 0.0 <= h <= math.log(len(p)) + 4 * EPS * len(p)


# --- the logarithm base -----------------------------------------------------------------


@given(pair(), bases)
def test_base_rescales_by_ln_base(pq: tuple[np.ndarray, np.ndarray], base: float) -> None:
    p, q = pq
    ln_b = math.log(base)
    for f in (lb.entropy,):
        assert f(p, base=base) == pytest.approx(f(p) / ln_b, rel=4 * EPS, abs=1e-300)
    for g in (lb.kl_divergence, lb.cross_entropy):
        assert g(p, q, base=base) == pytest.approx(g(p, q) / ln_b, rel=4 * EPS, abs=1e-300)
    assert lb.entropy(p, base=2) * math.log(2) == pytest.approx(lb.entropy(p), rel=4 * EPS)


# --- permuting the classes -------------------------------------------------------------------


@given(
    st.integers(1, 12).flatmap(
        lambda k: st.tuples(
            distribution(k), distribution(k, zeros=False), st.permutations(range(k))
        )
    )
)
def test_permuting_classes_changes_nothing(case: tuple[np.ndarray, np.ndarray, list[int]]) -> None:
    p, q, perm = case
    k = len(p)
    tol = dict(rel=4 * EPS * k, abs=4 * EPS * k)
    assert lb.entropy(p[perm]) == pytest.approx(lb.entropy(p), **tol)
    assert lb.kl_divergence(p[perm], q[perm]) == pytest.approx(lb.kl_divergence(p, q), **tol)
    assert lb.cross_entropy(p[perm], q[perm]) == pytest.approx(lb.cross_entropy(p, q), **tol)
    assert lb.categorical_crossentropy(p[perm], q[perm], label_smoothing=0.1) == pytest.approx(
        lb.categorical_crossentropy(p, q, label_smoothing=0.1), **tol
    )
    assert lb.binary_crossentropy(p[perm], q[perm]) == pytest.approx(
        lb.binary_crossentropy(p, q), **tol
    )
    label = int(np.argmax(p))
    new_label = perm.index(label)  # class `label` moved to position new_label
    assert lb.sparse_categorical_crossentropy(
        new_label, q[perm]
    ) == lb.sparse_categorical_crossentropy(label, q)


@given(
    st.integers(1, 20).flatmap(
        lambda k: st.tuples(
            hnp.arrays(np.float64, k, elements=st.floats(-1e4, 1e4)), st.permutations(range(k))
        )
    )
)
def test_softmax_is_permutation_equivariant(case: tuple[np.ndarray, list[int]]) -> None:
    z, perm = case
    np.testing.assert_allclose(
        lb.softmax(z[perm]), lb.softmax(z)[perm], rtol=4 * EPS * len(z), atol=1e-300
    )
    assert lb.logsumexp(z[perm]) == pytest.approx(lb.logsumexp(z), rel=4 * EPS * len(z))


# --- softmax and its logarithm ----------------------------------------------------------------


@given(logits())
def test_softmax_rows_sum_to_one(z: np.ndarray) -> None:
    s = lb.softmax(z)
    assert s.shape == z.shape
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=0, atol=z.shape[-1] * EPS)
    np.testing.assert_allclose(
        np.exp(lb.log_softmax(z)), s, rtol=8 * EPS * (1 + np.abs(z).max()), atol=1e-300
    )


@given(logits(np.float32, scale=1e4))
def test_float32_softmax_output_passes_validation(z: np.ndarray) -> None:
    s = lb.softmax(z)
    assert s.dtype == np.float32
    h = lb.entropy(s)  # raises if a row does not sum to 1 within the float32 tolerance
    assert np.all(np.isfinite(h))
    labels = np.argmax(z, axis=-1)
    assert np.all(np.isfinite(lb.sparse_categorical_crossentropy(labels, s)))


@given(
    st.sampled_from([np.float64, np.float32]).flatmap(
        lambda t: logits(t, scale=float(np.finfo(t).max))
    )
)
def test_any_finite_logits_give_no_nan(z: np.ndarray) -> None:
    # logits anywhere in the float range: no NaN, no warning, rows still sum to 1
    labels = np.argmin(z, axis=-1)
    one_hot = np.eye(z.shape[-1], dtype=z.dtype)[labels]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = lb.softmax(z)
        eps = float(np.finfo(z.dtype).eps)
        np.testing.assert_allclose(
            s.sum(axis=-1, dtype=np.float64), 1.0, rtol=0, atol=z.shape[-1] * eps
        )
        assert not np.isnan(lb.log_softmax(z)).any()
        assert not np.isnan(lb.logsumexp(z)).any()
        cce = lb.categorical_crossentropy(one_hot, z, from_logits=True)
        scce = lb.sparse_categorical_crossentropy(labels, z, from_logits=True)
        np.testing.assert_array_equal(cce, scce)
        assert np.all(cce >= 0)
    # with losses near the largest float, the sum inside the mean over axis may
    # overflow to inf (with NumPy's warning) although the mean is finite; never NaN
    with np.errstate(over="ignore"):
        assert not np.isnan(lb.binary_crossentropy(s, z, from_logits=True)).any()


@given(logits(), st.floats(-1e4, 1e4))
def test_log_softmax_is_shift_invariant(z: np.ndarray, c: float) -> None:
    # z + c is rounded at the scale of |z| + |c|, and that is all that can differ
    tol = 8 * EPS * (1 + np.abs(z).max() + abs(c))
    np.testing.assert_allclose(lb.log_softmax(z + c), lb.log_softmax(z), rtol=0, atol=tol)
    np.testing.assert_allclose(lb.logsumexp(z + c), lb.logsumexp(z) + c, rtol=0, atol=tol)
    assert np.all(lb.log_softmax(z) <= 0)


@given(logits(scale=50.0).filter(lambda z: z.ndim == 2))
def test_sparse_equals_categorical_with_one_hot_labels(z: np.ndarray) -> None:
    labels = np.arange(z.shape[0]) % z.shape[1]
    one_hot = np.eye(z.shape[1])[labels]
    np.testing.assert_array_equal(
        lb.sparse_categorical_crossentropy(labels, z, from_logits=True),
        lb.categorical_crossentropy(one_hot, z, from_logits=True),
    )


# --- binary cross-entropy and the regression losses -------------------------------------------


@given(hnp.arrays(np.float64, st.integers(1, 10), elements=st.floats(-20, 20)), st.data())
def test_binary_from_logits_equals_probability_form(z: np.ndarray, data: st.DataObject) -> None:
    y = data.draw(hnp.arrays(np.float64, z.shape, elements=st.floats(0, 1)))
    p = 1 / (1 + np.exp(-z))
    assume(np.all((p > 0) & (p < 1)))
    # rounding p costs the probability form an absolute error of about eps·(1 + e^|z|) in
    # log p or log(1 - p); the logits form is accurate (see test_extreme_logits.py)
    tol = 4 * EPS * float(np.mean(1 + np.exp(np.abs(z))))
    assert lb.binary_crossentropy(y, z, from_logits=True) == pytest.approx(
        lb.binary_crossentropy(y, p), rel=4 * EPS, abs=tol
    )


finite = st.floats(-1e6, 1e6)


@given(hnp.arrays(np.float64, st.integers(1, 10), elements=finite), st.data(), st.floats(1e-3, 1e3))
def test_regression_loss_inequalities(
    y_true: np.ndarray, data: st.DataObject, delta: float
) -> None:
    y_pred = data.draw(hnp.arrays(np.float64, y_true.shape, elements=finite))
    mse, mae, hub = (
        lb.mse(y_true, y_pred),
        lb.mae(y_true, y_pred),
        lb.huber(y_true, y_pred, delta=delta),
    )
    assert mse >= 0 and mae >= 0 and hub >= 0
    assert mae**2 <= mse * (1 + 1e-12)  # Jensen: (mean |e|)² <= mean e²
    assert hub <= 0.5 * mse * (1 + 1e-12) + 1e-300  # δ(|e| - δ/2) <= e²/2
    assert hub <= delta * mae * (1 + 1e-12) + 1e-300  # ½e² <= δ|e| when |e| <= δ
    assert lb.mse(y_true, y_pred) == lb.mse(y_pred, y_true)
