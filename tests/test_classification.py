"""Softmax, log-sum-exp and the classification losses: exact values and conventions."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from scipy import special

import lossbook as lb

Y_TRUE = [[0.0, 0.0, 0.0, 1.0], [0.0, 1.0, 0.0, 0.0]]
Y_PRED = [[0.1, 0.1, 0.1, 0.7], [0.1, 0.6, 0.1, 0.2]]


# --- the article's batch --------------------------------------------------------


def test_categorical_crossentropy_article_batch() -> None:
    loss = lb.categorical_crossentropy(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(loss, [0.35667494393873245, 0.5108256237659907], rtol=1e-15)
    np.testing.assert_allclose(loss, [-math.log(0.7), -math.log(0.6)], rtol=1e-15)
    assert loss.shape == (2,)


def test_sparse_equals_categorical_with_one_hot() -> None:
    sparse = lb.sparse_categorical_crossentropy([3, 1], Y_PRED)
    np.testing.assert_allclose(sparse, lb.categorical_crossentropy(Y_TRUE, Y_PRED), rtol=1e-15)
    # float labels that hold integers are accepted, as in Keras
    np.testing.assert_array_equal(lb.sparse_categorical_crossentropy([3.0, 1.0], Y_PRED), sparse)
    assert isinstance(lb.sparse_categorical_crossentropy(3, Y_PRED[0]), np.float64)


def test_categorical_equals_cross_entropy() -> None:
    rng = np.random.default_rng(0)
    y = rng.dirichlet(np.ones(5), size=20)
    p = rng.dirichlet(np.ones(5), size=20)
    np.testing.assert_allclose(lb.categorical_crossentropy(y, p), lb.cross_entropy(y, p), rtol=0)


def test_categorical_exact_gives_inf_and_zero() -> None:
    assert lb.categorical_crossentropy([0.0, 1.0], [1.0, 0.0]) == math.inf
    perfect = lb.categorical_crossentropy([0.0, 1.0], [0.0, 1.0])
    assert perfect == 0.0 and not np.signbit(perfect)
    assert lb.sparse_categorical_crossentropy([1], [[1.0, 0.0]])[0] == math.inf


# --- from_logits ------------------------------------------------------------------


def test_from_logits_equals_softmax_then_probabilities() -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(scale=3.0, size=(30, 6))
    y = rng.dirichlet(np.ones(6), size=30)
    labels = rng.integers(0, 6, size=30)
    p = lb.softmax(z)
    np.testing.assert_allclose(
        lb.categorical_crossentropy(y, z, from_logits=True),
        lb.categorical_crossentropy(y, p),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        lb.sparse_categorical_crossentropy(labels, z, from_logits=True),
        lb.sparse_categorical_crossentropy(labels, p),
        rtol=1e-12,
    )


def test_softmax_log_softmax_logsumexp_match_scipy() -> None:
    rng = np.random.default_rng(2)
    z = rng.normal(scale=10.0, size=(25, 7))
    for axis in (0, 1, -1):
        np.testing.assert_allclose(
            lb.softmax(z, axis=axis), special.softmax(z, axis=axis), rtol=1e-13
        )
        np.testing.assert_allclose(
            lb.log_softmax(z, axis=axis), special.log_softmax(z, axis=axis), rtol=1e-13, atol=1e-13
        )
        np.testing.assert_allclose(
            lb.logsumexp(z, axis=axis), special.logsumexp(z, axis=axis), rtol=1e-14
        )


def test_huge_logits_do_not_overflow(recwarn: pytest.WarningsRecorder) -> None:
    z = np.array([1000.0, 0.0, -1000.0])
    np.testing.assert_array_equal(lb.softmax(z), [1.0, 0.0, 0.0])
    np.testing.assert_array_equal(lb.log_softmax(z), [0.0, -1000.0, -2000.0])
    assert lb.logsumexp(z) == 1000.0
    assert lb.categorical_crossentropy([0.0, 0.0, 1.0], z, from_logits=True) == 2000.0
    assert lb.binary_crossentropy([0.0], [1e4], from_logits=True) == 1e4
    assert len(recwarn) == 0


def test_softmax_and_log_softmax_keep_shape_and_dtype() -> None:
    z = np.zeros((2, 3, 4), dtype=np.float32)
    for f in (lb.softmax, lb.log_softmax):
        out = f(z, axis=1)
        assert out.shape == (2, 3, 4) and out.dtype == np.float32
    np.testing.assert_allclose(lb.softmax(z, axis=1), np.full((2, 3, 4), 1 / 3), rtol=1e-7)
    lse = lb.logsumexp(z, axis=1)
    assert lse.shape == (2, 4) and lse.dtype == np.float32
    assert isinstance(lb.logsumexp([1.0, 2.0]), np.float64)


# --- label smoothing ------------------------------------------------------------


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5, 1.0])
def test_categorical_label_smoothing_formula(eps: float) -> None:
    k = 4
    y = np.array(Y_TRUE)
    p = np.array(Y_PRED)
    smoothed = y * (1 - eps) + eps / k
    np.testing.assert_allclose(
        lb.categorical_crossentropy(y, p, label_smoothing=eps),
        -(smoothed * np.log(p)).sum(axis=-1),
        rtol=1e-14,
    )


@pytest.mark.parametrize("eps", [0.0, 0.2, 1.0])
def test_binary_label_smoothing_formula(eps: float) -> None:
    y = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    p = np.array([[0.9, 0.2, 0.6], [0.3, 0.01, 0.99]])
    s = y * (1 - eps) + eps / 2
    expected = -(s * np.log(p) + (1 - s) * np.log(1 - p)).mean(axis=-1)
    np.testing.assert_allclose(
        lb.binary_crossentropy(y, p, label_smoothing=eps), expected, rtol=1e-14
    )


# --- binary cross-entropy ---------------------------------------------------------


def test_binary_crossentropy_by_hand() -> None:
    # mean over the last axis of -[y log p + (1-y) log(1-p)]
    loss = lb.binary_crossentropy([1.0, 0.0, 1.0, 0.0], [0.9, 0.2, 0.6, 0.1])
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.6) + math.log(0.9)) / 4
    assert loss == pytest.approx(expected, rel=1e-15)
    assert lb.binary_crossentropy([1.0], [0.0]) == math.inf
    zero = lb.binary_crossentropy([0.0, 1.0], [0.0, 1.0])
    assert zero == 0.0 and not np.signbit(zero)


def test_binary_from_logits_matches_sigmoid_formula() -> None:
    rng = np.random.default_rng(3)
    z = rng.normal(scale=4.0, size=(40, 3))
    y = rng.random((40, 3))
    p = special.expit(z)
    expected = -(y * np.log(p) + (1 - y) * np.log(1 - p)).mean(axis=-1)
    np.testing.assert_allclose(lb.binary_crossentropy(y, z, from_logits=True), expected, rtol=1e-10)
    np.testing.assert_allclose(lb.binary_crossentropy(y, p), expected, rtol=1e-12)


def test_binary_from_logits_soft_targets_in_the_tails() -> None:
    # -log sigmoid(z) = log1p(exp(-z)); for z = -800 that is 800 exactly (to rounding)
    assert lb.binary_crossentropy([1.0], [-800.0], from_logits=True) == pytest.approx(
        800.0, rel=1e-15
    )
    assert lb.binary_crossentropy([0.0], [800.0], from_logits=True) == pytest.approx(
        800.0, rel=1e-15
    )
    assert lb.binary_crossentropy([1.0], [800.0], from_logits=True) == 0.0
    assert lb.binary_crossentropy([0.5], [0.0], from_logits=True) == pytest.approx(
        math.log(2), rel=1e-15
    )


# --- the epsilon path (what Keras computes) ----------------------------------------------------


def test_categorical_epsilon_path_clips() -> None:
    eps = 1e-7
    y = [0.0, 1.0, 0.0]
    p = [0.5, 0.0, 0.5]
    assert lb.categorical_crossentropy(y, p) == math.inf
    assert lb.categorical_crossentropy(y, p, epsilon=eps) == pytest.approx(
        -math.log(eps), rel=1e-15
    )
    # a confident correct prediction is clipped at 1 - eps, so the loss is not 0
    assert lb.categorical_crossentropy([1.0, 0.0], [1.0, 0.0], epsilon=eps) == pytest.approx(
        -math.log(1 - eps), rel=1e-12
    )


def test_binary_epsilon_path_clips() -> None:
    eps = 1e-7
    loss = lb.binary_crossentropy([1.0, 0.0], [0.0, 1.0], epsilon=eps)
    # p = 0 becomes eps; p = 1 becomes 1 - eps, and 1 - (1 - eps) is eps up to rounding
    assert loss == pytest.approx((-math.log(eps) - math.log(1 - (1 - eps))) / 2, rel=1e-15)
    # away from 0 and 1 the epsilon path is the exact loss
    p = np.array([0.3, 0.8])
    assert lb.binary_crossentropy([1.0, 0.0], p, epsilon=eps) == lb.binary_crossentropy(
        [1.0, 0.0], p
    )


def test_float32_stays_float32_everywhere() -> None:
    y = np.array(Y_TRUE, dtype=np.float32)
    p = np.array(Y_PRED, dtype=np.float32)
    outs = [
        lb.categorical_crossentropy(y, p),
        lb.categorical_crossentropy(y, p, epsilon=1e-7),
        lb.categorical_crossentropy(y, p, label_smoothing=0.1),
        lb.categorical_crossentropy(y, np.log(p), from_logits=True),
        lb.sparse_categorical_crossentropy([3, 1], p),
        lb.sparse_categorical_crossentropy([3, 1], p, from_logits=True),
        lb.binary_crossentropy(y, p),
        lb.binary_crossentropy(y, p, epsilon=1e-7, label_smoothing=0.2),
        lb.binary_crossentropy(y, p, from_logits=True),
        lb.entropy(p),
        lb.kl_divergence(y, p, base=2),
        lb.cross_entropy(y, p),
    ]
    for out in outs:
        assert out.dtype == np.float32 and out.shape == (2,)
    # an integer one-hot y_true adopts the float32 of y_pred
    assert lb.categorical_crossentropy(np.array(Y_TRUE, dtype=int), p).dtype == np.float32


def test_float32_softmax_output_is_a_valid_distribution() -> None:
    rng = np.random.default_rng(4)
    for k in (2, 10, 1000):
        z = rng.normal(scale=5.0, size=(64, k)).astype(np.float32)
        labels = rng.integers(0, k, size=64)
        p = lb.softmax(z)
        assert p.dtype == np.float32
        loss = lb.sparse_categorical_crossentropy(labels, p)
        np.testing.assert_allclose(
            loss,
            lb.sparse_categorical_crossentropy(labels, z, from_logits=True),
            rtol=1e-4,
            atol=1e-5,
        )


def test_other_axis_for_losses() -> None:
    y = np.array(Y_TRUE)
    p = np.array(Y_PRED)
    np.testing.assert_array_equal(
        lb.categorical_crossentropy(y.T, p.T, axis=0), lb.categorical_crossentropy(y, p)
    )
    np.testing.assert_array_equal(
        lb.sparse_categorical_crossentropy([3, 1], p.T, axis=0),
        lb.sparse_categorical_crossentropy([3, 1], p),
    )
    np.testing.assert_array_equal(
        lb.binary_crossentropy(p.T, p.T, axis=0), lb.binary_crossentropy(p, p, axis=-1)
    )
    # label smoothing uses K along the given axis (Keras always uses the last axis)
    np.testing.assert_allclose(
        lb.categorical_crossentropy(y.T, p.T, axis=0, label_smoothing=0.1),
        lb.categorical_crossentropy(y, p, label_smoothing=0.1),
        rtol=1e-15,
    )


def test_dtype_rule_for_mixed_inputs() -> None:
    p32 = np.array(Y_PRED, dtype=np.float32)
    # a Python list adopts the dtype of the NumPy array it is paired with, as Keras casts y_true
    assert lb.categorical_crossentropy(Y_TRUE, p32).dtype == np.float32
    assert lb.binary_crossentropy(Y_PRED, p32).dtype == np.float32
    assert lb.kl_divergence(Y_TRUE, p32).dtype == np.float32
    assert lb.mse(Y_PRED, p32).dtype == np.float32
    # float32 next to float64 stays float32, so float32 model output is judged as float32
    assert lb.categorical_crossentropy(np.array(Y_TRUE), p32).dtype == np.float32
    assert lb.cross_entropy(p32, np.array(Y_PRED)).dtype == np.float32
    # two lists compute in float64
    assert lb.categorical_crossentropy(Y_TRUE, Y_PRED).dtype == np.float64


# --- focal losses (issue 14): exact, stable from logits, Keras's clipping on request ------------

EPS64 = float(np.finfo(np.float64).eps)


def _binary_focal_mp(y: float, z: float, gamma: float, alpha: float | None = None) -> mpmath.mpf:
    """alpha_t (1 - q_t)^gamma BCE(y, sigma(z)) in 50 digits, for a soft or hard y."""
    with mpmath.workdps(50):  # log q and log(1 - q) directly: 1 - q can be 1e-4343
        y_, zm = mpmath.mpf(y), mpmath.mpf(z)
        log_q, log_1mq = -mpmath.log1p(mpmath.exp(-zm)), -mpmath.log1p(mpmath.exp(zm))
        bce = -(y_ * log_q + (1 - y_) * log_1mq)
        miss = y_ * mpmath.exp(log_1mq) + (1 - y_) * mpmath.exp(log_q)
        weight = 1 if alpha is None else alpha * y_ + (1 - alpha) * (1 - y_)
        return weight * miss ** mpmath.mpf(gamma) * bce


def _categorical_focal_mp(p: list[float], z: list[float], gamma: float, alpha: float) -> mpmath.mpf:
    """-sum_k alpha (1 - q_k)^gamma p_k log q_k, q = softmax(z), in 50 digits."""
    with mpmath.workdps(50):
        zs = [mpmath.mpf(v) for v in z]
        lse = mpmath.log(mpmath.fsum(mpmath.exp(v) for v in zs))
        total = mpmath.mpf(0)
        for pk, zk in zip(p, zs, strict=True):
            if pk:
                log_q = zk - lse
                total += alpha * (1 - mpmath.exp(log_q)) ** mpmath.mpf(gamma) * pk * log_q
        return -total


def test_binary_focal_by_hand() -> None:
    y, q = [1.0, 0.0], [0.9, 0.4]  # q_t = 0.9 and 0.6
    expected = ((0.1**2) * -math.log(0.9) + (0.4**2) * -math.log(0.6)) / 2
    assert lb.binary_focal_crossentropy(y, q) == pytest.approx(expected, rel=1e-15)
    balanced = (0.25 * 0.1**2 * -math.log(0.9) + 0.75 * 0.4**2 * -math.log(0.6)) / 2
    got = lb.binary_focal_crossentropy(y, q, apply_class_balancing=True)
    assert got == pytest.approx(balanced, rel=1e-15)


def test_categorical_focal_by_hand() -> None:
    p, q = [0.0, 1.0, 0.0], [0.2, 0.7, 0.1]
    expected = -0.25 * 0.3**2 * math.log(0.7)
    assert lb.categorical_focal_crossentropy(p, q) == pytest.approx(expected, rel=1e-15)
    per_class = lb.categorical_focal_crossentropy(p, q, alpha=[1.0, 2.0, 3.0], gamma=1.0)
    assert per_class == pytest.approx(-2.0 * 0.3 * math.log(0.7), rel=1e-15)


def test_focal_with_gamma_zero_is_cross_entropy() -> None:
    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, size=(20, 6)).astype(float)
    q = rng.uniform(0.01, 0.99, size=(20, 6))
    z = rng.normal(0, 3, size=(20, 6))
    np.testing.assert_allclose(
        lb.binary_focal_crossentropy(y, q, gamma=0.0), lb.binary_crossentropy(y, q), rtol=1e-15
    )
    np.testing.assert_allclose(
        lb.binary_focal_crossentropy(y, z, gamma=0.0, from_logits=True, label_smoothing=0.1),
        lb.binary_crossentropy(y, z, from_logits=True, label_smoothing=0.1),
        rtol=1e-14,
    )
    p = rng.dirichlet(np.ones(6), size=20)
    for kwargs in ({}, {"from_logits": True}, {"label_smoothing": 0.2}):
        zq = z if kwargs.get("from_logits") else lb.softmax(z)
        np.testing.assert_allclose(
            lb.categorical_focal_crossentropy(p, zq, alpha=1.0, gamma=0.0, **kwargs),
            lb.categorical_crossentropy(p, zq, **kwargs),
            rtol=1e-13,
        )


def test_focal_from_logits_equals_probabilities_away_from_the_tails() -> None:
    rng = np.random.default_rng(6)
    z = rng.normal(0, 2, size=(30, 5))
    y = rng.uniform(size=(30, 5))
    q = 1 / (1 + np.exp(-z))
    for kwargs in ({}, {"apply_class_balancing": True, "alpha": 0.7, "gamma": 1.5}):
        np.testing.assert_allclose(
            lb.binary_focal_crossentropy(y, z, from_logits=True, **kwargs),
            lb.binary_focal_crossentropy(y, q, **kwargs),
            rtol=1e-12,
        )
    p = rng.dirichlet(np.ones(5), size=30)
    np.testing.assert_allclose(
        lb.categorical_focal_crossentropy(p, z, from_logits=True, alpha=[0.1, 0.2, 0.3, 0.2, 0.2]),
        lb.categorical_focal_crossentropy(p, lb.softmax(z), alpha=[0.1, 0.2, 0.3, 0.2, 0.2]),
        rtol=1e-12,
    )


@pytest.mark.parametrize("y", [0.0, 1.0, 0.3])
@pytest.mark.parametrize("z", [-1e4, -745.0, -40.0, -5.0, 0.0, 3.0, 40.0, 745.0, 1e4])
def test_binary_focal_from_extreme_logits_against_mpmath(y: float, z: float) -> None:
    for gamma, alpha in ((2.0, None), (0.5, 0.25)):
        got = lb.binary_focal_crossentropy(
            [y],
            [z],
            from_logits=True,
            gamma=gamma,
            apply_class_balancing=alpha is not None,
            alpha=0.25 if alpha is None else alpha,
        )
        exact = _binary_focal_mp(y, z, gamma, alpha)
        tiny = mpmath.mpf(float(np.finfo(np.float64).tiny))
        if exact < tiny:  # underflows: judged by its absolute error
            assert abs(got - exact) <= tiny
        else:
            assert abs(got - exact) <= 16 * EPS64 * exact, (y, z, gamma, float(got), exact)


@pytest.mark.parametrize(
    "z",
    [[-20.0, 0.0, 0.0], [-800.0, 0.0, 5.0], [30.0, 0.0, -1.0], [1e4, -1e4, 0.0], [0.5, 0.1, -0.2]],
)
def test_categorical_focal_from_extreme_logits_against_mpmath(z: list[float]) -> None:
    p = [1.0, 0.0, 0.0]
    for gamma, alpha in ((2.0, 0.25), (0.5, 1.0)):
        got = lb.categorical_focal_crossentropy(p, z, from_logits=True, gamma=gamma, alpha=alpha)
        exact = _categorical_focal_mp(p, z, gamma, alpha)
        tiny = mpmath.mpf(float(np.finfo(np.float64).tiny))
        if exact < tiny:
            assert abs(got - exact) <= tiny
        else:
            assert abs(got - exact) <= 16 * EPS64 * exact, (z, gamma, float(got), exact)


def test_categorical_focal_is_exact_where_keras_clips() -> None:
    # chapter 6: at logits [-20, 0, 0] Keras 3 charges 4.0295 (the loss at q_t = 1e-7)
    p, z = [1.0, 0.0, 0.0], [-20.0, 0.0, 0.0]
    exact = float(_categorical_focal_mp(p, z, 2.0, 0.25))
    assert lb.categorical_focal_crossentropy(p, z, from_logits=True) == pytest.approx(
        exact, rel=1e-15
    )
    assert round(exact, 4) == 5.1733
    clipped = lb.categorical_focal_crossentropy(p, lb.softmax(z), epsilon=1e-7)
    assert clipped == pytest.approx(0.25 * (1 - 1e-7) ** 2 * -math.log(1e-7), rel=1e-15)
    assert round(float(clipped), 4) == 4.0295


def test_focal_epsilon_path_reproduces_keras_clipping() -> None:
    eps = 1e-7
    y, q = np.array([[1.0, 0.0, 1.0]]), np.array([[0.0, 1.0, 0.5]])
    # Keras: the cross-entropy term clips q to [eps, 1 - eps], the focal factor does not
    qc = np.clip(q, eps, 1 - eps)
    bce = -(y * np.log(qc) + (1 - y) * np.log(1 - qc))
    miss = 1 - (y * q + (1 - y) * (1 - q))
    np.testing.assert_allclose(
        lb.binary_focal_crossentropy(y, q, epsilon=eps, gamma=0.5), np.mean(miss**0.5 * bce, -1)
    )
    assert lb.binary_focal_crossentropy(y, q, gamma=0.5)[0] == math.inf  # exact
    p = np.array([[0.0, 1.0, 0.0]])
    r = np.array([[0.6, 0.0, 0.4]])
    rc = np.clip(r / r.sum(), eps, 1 - eps)  # normalized, then clipped, everywhere
    np.testing.assert_allclose(
        lb.categorical_focal_crossentropy(p, r, epsilon=eps),
        -np.sum(0.25 * (1 - rc) ** 2 * p * np.log(rc), axis=-1),
        rtol=1e-15,
    )
    assert lb.categorical_focal_crossentropy(p, r)[0] == math.inf


def test_focal_label_smoothing_smooths_every_term() -> None:
    y, q, s = np.array([1.0, 0.0]), np.array([0.8, 0.3]), 0.2
    ys = y * (1 - s) + s / 2
    np.testing.assert_allclose(
        lb.binary_focal_crossentropy(y, q, label_smoothing=s, apply_class_balancing=True),
        lb.binary_focal_crossentropy(ys, q, apply_class_balancing=True),
        rtol=1e-15,
    )
    p, r = np.array([0.0, 1.0, 0.0]), np.array([0.2, 0.5, 0.3])
    np.testing.assert_allclose(
        lb.categorical_focal_crossentropy(p, r, label_smoothing=s),
        lb.categorical_focal_crossentropy(p * (1 - s) + s / 3, r),
        rtol=1e-15,
    )


def test_focal_alpha_per_class_follows_the_axis_and_dtype() -> None:
    rng = np.random.default_rng(8)
    p = rng.dirichlet(np.ones(4), size=5)
    z = rng.normal(size=(5, 4))
    alpha = [0.1, 0.4, 0.3, 0.2]
    np.testing.assert_allclose(
        lb.categorical_focal_crossentropy(p.T, z.T, from_logits=True, alpha=alpha, axis=0),
        lb.categorical_focal_crossentropy(p, z, from_logits=True, alpha=alpha),
        rtol=1e-15,
    )
    p32, z32 = p.astype(np.float32), z.astype(np.float32)
    got = lb.categorical_focal_crossentropy(p32, z32, from_logits=True, alpha=alpha)
    assert got.dtype == np.float32
    y32 = (rng.random((5, 4)) < 0.5).astype(np.float32)
    bal = lb.binary_focal_crossentropy(y32, z32, from_logits=True, apply_class_balancing=True)
    assert bal.dtype == np.float32
    np.testing.assert_allclose(
        bal,
        lb.binary_focal_crossentropy(
            y32.astype(float), z, from_logits=True, apply_class_balancing=True
        ),
        rtol=2e-6,
    )
    # a scalar alpha only rescales the categorical loss
    np.testing.assert_allclose(
        lb.categorical_focal_crossentropy(p, z, from_logits=True, alpha=0.5),
        2 * lb.categorical_focal_crossentropy(p, z, from_logits=True, alpha=0.25),
        rtol=1e-15,
    )


# --- generalized cross-entropy (issue 14) --------------------------------------------------------


def test_gce_by_hand() -> None:
    # Keras's docstring example: labels [0, 1, 0, 1]; the true class gets 0.7, 0.8, 0.6, 0.6
    y_pred = [[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]]
    got = lb.categorical_generalized_cross_entropy([0, 1, 0, 1], y_pred, q=0.5)
    want = [(1 - math.sqrt(p)) / 0.5 for p in (0.7, 0.8, 0.6, 0.6)]
    np.testing.assert_allclose(got, want, rtol=1e-15)
    one = lb.categorical_generalized_cross_entropy(1, [0.5, 0.5], q=0.5)
    assert isinstance(one, np.float64) and one == pytest.approx(2 - math.sqrt(2), rel=1e-15)
    # bounded by 1/q, reached where the true class gets 0; 0 where it gets 1
    assert lb.categorical_generalized_cross_entropy([1], [[1.0, 0.0]], q=0.25)[0] == 4.0
    assert lb.categorical_generalized_cross_entropy([0], [[1.0, 0.0]], q=0.25)[0] == 0.0


def test_gce_at_q_1_is_one_minus_p_and_k_over_2_mae() -> None:
    rng = np.random.default_rng(4)
    p = rng.dirichlet(np.ones(5), size=30)
    labels = rng.integers(0, 5, size=30)
    gce = lb.categorical_generalized_cross_entropy(labels, p, q=1.0)
    np.testing.assert_allclose(gce, 1 - p[np.arange(30), labels], rtol=1e-14)
    np.testing.assert_allclose(gce, 5 / 2 * lb.mae(np.eye(5)[labels], p), rtol=1e-14)


def test_gce_tends_to_sparse_cross_entropy_as_q_goes_to_0() -> None:
    rng = np.random.default_rng(5)
    p = rng.dirichlet(np.ones(4), size=50)
    labels = rng.integers(0, 4, size=50)
    ce = lb.sparse_categorical_crossentropy(labels, p)
    for q in (1e-2, 1e-4, 1e-8, 1e-12):
        gap = ce - lb.categorical_generalized_cross_entropy(labels, p, q=q)
        # 0 <= CE - GCE <= q CE^2 / 2, to rounding (a few ulps of CE)
        assert np.all(gap >= -4e-16 * ce) and np.all(gap <= q * ce**2 / 2 + 4e-16 * ce)


@pytest.mark.parametrize("q", [1e-8, 1e-3, 0.7, 1.0])
@pytest.mark.parametrize("p_true", [1 - 1e-15, 1 - 1e-9, 0.5, 1e-9, 1e-300])
def test_gce_against_mpmath(q: float, p_true: float) -> None:
    # (1 - P^q) / q at 50 digits, at the float P; exact also where 1 - P^q cancels
    y_pred = np.array([[p_true, 1 - p_true]])
    got = lb.categorical_generalized_cross_entropy([0], y_pred, q=q)[0]
    with mpmath.workdps(50):
        exact = -mpmath.expm1(q * mpmath.log(mpmath.mpf(p_true))) / q
        assert abs(got - exact) <= 8 * np.finfo(np.float64).eps * exact


def test_gce_dtypes_and_axis() -> None:
    p64 = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]])
    got32 = lb.categorical_generalized_cross_entropy([0, 2], p64.astype(np.float32), q=0.7)
    assert got32.dtype == np.float32
    got = lb.categorical_generalized_cross_entropy([0, 2], p64, q=0.7)
    np.testing.assert_allclose(got32, got, rtol=1e-6)
    np.testing.assert_array_equal(
        lb.categorical_generalized_cross_entropy([0, 2], p64.T, q=0.7, axis=0), got
    )
    # float labels that hold integers are accepted, as in Keras (which truncates 0.6 to 0)
    np.testing.assert_array_equal(
        lb.categorical_generalized_cross_entropy([0.0, 2.0], p64, q=0.7), got
    )
