"""lossbook against tf.keras.losses on seeded random batches.

TensorFlow is imported here only (after quieting its C++ logs), never by
lossbook itself.  float32 is what Keras computes in, so most comparisons are in
float32 with a float32 tolerance; values near the clipping bounds are compared
through lossbook's ``epsilon=1e-7`` path, which reproduces Keras's clipping.
"""

from __future__ import annotations

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

import lossbook as lb  # noqa: E402

KERAS_EPSILON = 1e-7
RTOL32 = 2e-6  # a few float32 ulps: the two sides sum in different orders
B, K = 64, 5


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(2024)


def f32(x: np.ndarray) -> np.ndarray:
    return np.asarray(x, dtype=np.float32)


def keras(loss: str, *args: object, **kwargs: object) -> np.ndarray:
    out = getattr(tf.keras.losses, loss)(*args, **kwargs)
    return np.asarray(out.numpy())


def test_keras_epsilon_is_what_we_reproduce() -> None:
    assert tf.keras.backend.epsilon() == KERAS_EPSILON


# --- regression -------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mse_mae(rng: np.random.Generator, dtype: type) -> None:
    y_true = rng.normal(size=(B, 3)).astype(dtype)
    y_pred = (y_true + rng.normal(scale=2.0, size=(B, 3))).astype(dtype)
    rtol = RTOL32 if dtype is np.float32 else 1e-13
    for ours, theirs in ((lb.mse, "MSE"), (lb.mae, "MAE")):
        got = ours(y_true, y_pred)
        want = keras(theirs, y_true, y_pred)
        assert got.dtype == want.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=rtol)


@pytest.mark.parametrize("delta", [0.5, 1.0, 3.0])
def test_huber(rng: np.random.Generator, delta: float) -> None:
    y_true = f32(rng.normal(size=(B, 4)))
    y_pred = f32(y_true + rng.normal(scale=2.0, size=(B, 4)))  # errors on both sides of delta
    err = np.abs(y_pred - y_true)
    assert (err <= delta).any() and (err > delta).any()
    np.testing.assert_allclose(
        lb.huber(y_true, y_pred, delta=delta),
        keras("huber", y_true, y_pred, delta=delta),
        rtol=RTOL32,
    )


def test_one_dimensional_input_gives_a_scalar_like_keras(rng: np.random.Generator) -> None:
    y_true, y_pred = f32(rng.normal(size=7)), f32(rng.normal(size=7))
    got = lb.mse(y_true, y_pred)
    want = keras("MSE", y_true, y_pred)
    assert np.ndim(got) == 0 == want.ndim
    np.testing.assert_allclose(got, want, rtol=RTOL32)


# --- categorical cross-entropy -------------------------------------------------------


def _distributions(
    rng: np.random.Generator, shape: tuple[int, int], alpha: float = 1.0
) -> np.ndarray:
    return rng.dirichlet(np.full(shape[1], alpha), size=shape[0])


def test_categorical_exact_equals_keras_away_from_the_clip(rng: np.random.Generator) -> None:
    y_true = f32(np.eye(K)[rng.integers(0, K, size=B)])
    y_pred = f32(0.01 + 0.95 * _distributions(rng, (B, K)))
    y_pred /= y_pred.sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(
        lb.categorical_crossentropy(y_true, y_pred),
        keras("categorical_crossentropy", y_true, y_pred),
        rtol=RTOL32,
    )


def test_categorical_soft_targets(rng: np.random.Generator) -> None:
    y_true = f32(_distributions(rng, (B, K)))
    y_pred = f32(_distributions(rng, (B, K), alpha=5.0))
    np.testing.assert_allclose(
        lb.categorical_crossentropy(y_true, y_pred, epsilon=KERAS_EPSILON),
        keras("categorical_crossentropy", y_true, y_pred),
        rtol=RTOL32,
    )


def test_categorical_epsilon_path_reproduces_keras_clipping(rng: np.random.Generator) -> None:
    y_true = f32(np.eye(K)[rng.integers(0, K, size=B)])
    # confident, partly exactly-zero and exactly-one predictions: Keras clips them
    y_pred = _distributions(rng, (B, K), alpha=0.05)
    y_pred[y_pred < 1e-4] = 0.0
    y_pred[:8] = np.eye(K)[rng.integers(0, K, size=8)]
    y_pred = f32(y_pred / y_pred.sum(axis=-1, keepdims=True))
    want = keras("categorical_crossentropy", y_true, y_pred)
    got = lb.categorical_crossentropy(y_true, y_pred, epsilon=KERAS_EPSILON)
    np.testing.assert_allclose(got, want, rtol=RTOL32)
    # the exact loss differs exactly where Keras clipped: inf where a true class got p = 0
    exact = lb.categorical_crossentropy(y_true, y_pred)
    zero_on_truth = (y_pred * y_true).sum(axis=-1) == 0
    assert zero_on_truth.any()
    assert np.all(np.isinf(exact[zero_on_truth]))
    np.testing.assert_allclose(want[zero_on_truth], -np.log(np.float32(KERAS_EPSILON)), rtol=RTOL32)


@pytest.mark.parametrize("label_smoothing", [0.1, 0.3, 1.0])
def test_categorical_label_smoothing(rng: np.random.Generator, label_smoothing: float) -> None:
    y_true = f32(np.eye(K)[rng.integers(0, K, size=B)])
    y_pred = f32(_distributions(rng, (B, K), alpha=2.0))
    z = f32(rng.normal(scale=3.0, size=(B, K)))
    np.testing.assert_allclose(
        lb.categorical_crossentropy(
            y_true, y_pred, label_smoothing=label_smoothing, epsilon=KERAS_EPSILON
        ),
        keras("categorical_crossentropy", y_true, y_pred, label_smoothing=label_smoothing),
        rtol=RTOL32,
    )
    np.testing.assert_allclose(
        lb.categorical_crossentropy(y_true, z, from_logits=True, label_smoothing=label_smoothing),
        keras(
            "categorical_crossentropy", y_true, z, from_logits=True, label_smoothing=label_smoothing
        ),
        rtol=RTOL32,
        atol=1e-6,
    )


@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3])
def test_categorical_from_logits(rng: np.random.Generator, scale: float) -> None:
    y_true = f32(_distributions(rng, (B, K)))
    z = f32(rng.normal(scale=scale, size=(B, K)))
    np.testing.assert_allclose(
        lb.categorical_crossentropy(y_true, z, from_logits=True),
        keras("categorical_crossentropy", y_true, z, from_logits=True),
        rtol=RTOL32,
        atol=1e-6 * scale,  # log_softmax of logits near `scale` carries ulps of `scale`
    )


def test_categorical_float64(rng: np.random.Generator) -> None:
    y_true = np.eye(K)[rng.integers(0, K, size=B)]
    y_pred = _distributions(rng, (B, K), alpha=3.0)
    z = rng.normal(scale=4.0, size=(B, K))
    got = lb.categorical_crossentropy(y_true, y_pred, epsilon=KERAS_EPSILON)
    want = keras("categorical_crossentropy", y_true, y_pred)
    assert got.dtype == want.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-13)
    np.testing.assert_allclose(
        lb.categorical_crossentropy(y_true, z, from_logits=True),
        keras("categorical_crossentropy", y_true, z, from_logits=True),
        rtol=1e-13,
    )


# --- sparse categorical cross-entropy ---------------------------------------------------


def test_sparse_probabilities_and_logits(rng: np.random.Generator) -> None:
    labels = rng.integers(0, K, size=B)
    y_pred = f32(_distributions(rng, (B, K), alpha=3.0))
    z = f32(rng.normal(scale=5.0, size=(B, K)))
    np.testing.assert_allclose(
        lb.sparse_categorical_crossentropy(labels, y_pred),
        keras("sparse_categorical_crossentropy", labels, y_pred),
        rtol=1e-5,  # Keras takes log of the clipped p, then a softmax of those logs
    )
    np.testing.assert_allclose(
        lb.sparse_categorical_crossentropy(labels, z, from_logits=True),
        keras("sparse_categorical_crossentropy", labels, z, from_logits=True),
        rtol=RTOL32,
        atol=1e-6,
    )


# --- binary cross-entropy ----------------------------------------------------------


def test_binary_exact_equals_keras_away_from_the_clip(rng: np.random.Generator) -> None:
    y_true = f32(rng.integers(0, 2, size=(B, 3)))
    y_pred = f32(rng.uniform(0.01, 0.99, size=(B, 3)))
    np.testing.assert_allclose(
        lb.binary_crossentropy(y_true, y_pred),
        keras("binary_crossentropy", y_true, y_pred),
        rtol=RTOL32,
    )


def test_binary_epsilon_path_reproduces_keras_clipping(rng: np.random.Generator) -> None:
    y_true = f32(rng.random((B, 3)))  # soft targets in [0, 1]
    y_pred = rng.random((B, 3))
    y_pred[rng.random((B, 3)) < 0.2] = 0.0
    y_pred[rng.random((B, 3)) < 0.2] = 1.0
    y_pred = f32(y_pred)
    want = keras("binary_crossentropy", y_true, y_pred)
    np.testing.assert_allclose(
        lb.binary_crossentropy(y_true, y_pred, epsilon=KERAS_EPSILON), want, rtol=RTOL32
    )
    # without clipping the loss is +inf wherever a target met p = 0 or p = 1 from the wrong side
    assert np.isinf(lb.binary_crossentropy(y_true, y_pred)).any()
    assert np.isfinite(want).all()


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1, 0.5])
@pytest.mark.parametrize("scale", [1.0, 20.0, 1e3])
def test_binary_from_logits(rng: np.random.Generator, label_smoothing: float, scale: float) -> None:
    y_true = f32(rng.integers(0, 2, size=(B, 4)))
    z = f32(rng.normal(scale=scale, size=(B, 4)))
    np.testing.assert_allclose(
        lb.binary_crossentropy(y_true, z, from_logits=True, label_smoothing=label_smoothing),
        keras("binary_crossentropy", y_true, z, from_logits=True, label_smoothing=label_smoothing),
        rtol=RTOL32,
        atol=1e-6,
    )


@pytest.mark.parametrize("label_smoothing", [0.1, 1.0])
def test_binary_label_smoothing_probabilities(
    rng: np.random.Generator, label_smoothing: float
) -> None:
    y_true = f32(rng.integers(0, 2, size=(B, 4)))
    y_pred = f32(rng.uniform(0.0, 1.0, size=(B, 4)))
    np.testing.assert_allclose(
        lb.binary_crossentropy(
            y_true, y_pred, label_smoothing=label_smoothing, epsilon=KERAS_EPSILON
        ),
        keras("binary_crossentropy", y_true, y_pred, label_smoothing=label_smoothing),
        rtol=RTOL32,
    )


def test_binary_float64(rng: np.random.Generator) -> None:
    y_true = rng.random((B, 4))
    y_pred = rng.uniform(0.001, 0.999, size=(B, 4))
    got = lb.binary_crossentropy(y_true, y_pred, epsilon=KERAS_EPSILON)
    want = keras("binary_crossentropy", y_true, y_pred)
    assert got.dtype == want.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-13)


# --- losses as likelihoods and the regression zoo (issue 13) -------------------------------
# Keras has log-cosh, Poisson, MSLE and MAPE; it has no Gaussian NLL, smooth L1 or
# quantile loss (those are checked against PyTorch, or by hand in tests/test_regression.py).


def _away_from_zero(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Errors with |e| in [0.5, 5]: log-cosh where Keras's form keeps its digits."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 5.0, size=shape)


# Keras's log-cosh subtracts log 2 computed in float32 (ops.log(2.0)) and then cast,
# so in float64 every value is low by float32(log 2) - log 2 = 1.9e-9
LOG2_FLOAT32_EXCESS = float(np.float32(np.log(2.0))) - float(np.log(2.0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_cosh(rng: np.random.Generator, dtype: type) -> None:
    y_true = rng.normal(size=(B, K))
    y_pred = y_true + _away_from_zero(rng, (B, K))
    y_true, y_pred = y_true.astype(dtype), y_pred.astype(dtype)
    got, want = lb.log_cosh(y_true, y_pred), keras("logcosh", y_true, y_pred)
    assert got.dtype == want.dtype == dtype
    if dtype is np.float32:
        np.testing.assert_allclose(got, want, rtol=RTOL32)
    else:
        np.testing.assert_allclose(want, got - LOG2_FLOAT32_EXCESS, rtol=1e-13)


def test_log_cosh_large_errors_do_not_overflow_in_either() -> None:
    e = np.array([[1e4, -1e4, 700.0, -800.0]])
    exact = np.abs(e).mean() - np.log(2.0)
    np.testing.assert_allclose(lb.log_cosh(np.zeros_like(e), e), [exact], rtol=1e-15)
    keras_value = keras("logcosh", np.zeros_like(e), e)
    np.testing.assert_allclose(keras_value, [exact - LOG2_FLOAT32_EXCESS], rtol=1e-15)


def test_keras_log_cosh_loses_small_errors() -> None:
    # Keras computes e + softplus(-2e) - log 2: for tiny e the terms cancel, and
    # what is left is rounding noise plus the float32 log 2, in float64 below zero,
    # where log cosh never goes; log cosh e ≈ e²/2 - e⁴/12
    e = np.array([[1e-4], [1e-8]])
    theirs = keras("logcosh", np.zeros_like(e), e)
    ours = lb.log_cosh(np.zeros_like(e), e)
    np.testing.assert_allclose(ours, [5e-9 - 1e-16 / 12, 5e-17], rtol=1e-12)
    assert theirs[1] < 0
    np.testing.assert_allclose(theirs, ours - LOG2_FLOAT32_EXCESS, atol=1e-15)
    # in float32 both errors are lost altogether
    e32 = e.astype(np.float32)
    np.testing.assert_array_equal(keras("logcosh", np.zeros_like(e32), e32), [0.0, 0.0])
    ours32 = lb.log_cosh(np.zeros_like(e32), e32)
    np.testing.assert_allclose(ours32, [5e-9, 5e-17], rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_poisson_epsilon_reproduces_keras(rng: np.random.Generator, dtype: type) -> None:
    y_true = rng.poisson(3.0, size=(B, K)).astype(dtype)
    y_pred = rng.uniform(0.0, 6.0, size=(B, K)).astype(dtype)
    y_pred[0, :3] = 0.0  # a rate of 0: Keras's log(0 + 1e-7) is finite
    got = lb.poisson(y_true, y_pred, epsilon=KERAS_EPSILON)
    want = keras("poisson", y_true, y_pred)
    assert got.dtype == want.dtype == dtype
    # μ - y log μ is of either sign: a few ulps of y |log μ| (up to about 40) absolute
    atol = 40 * 4 * float(np.finfo(dtype).eps)
    np.testing.assert_allclose(got, want, rtol=RTOL32 if dtype is np.float32 else 1e-13, atol=atol)


def test_poisson_exact_differs_from_keras_by_the_epsilon(rng: np.random.Generator) -> None:
    # lossbook's exact μ - y log μ and Keras's μ - y log(μ + 1e-7) differ by
    # y log1p(1e-7 / μ): invisible for ordinary rates, infinite at μ = 0 with y > 0
    y_true = rng.poisson(3.0, size=(B, K)).astype(np.float64)
    y_pred = rng.uniform(0.1, 6.0, size=(B, K))
    shift = np.mean(y_true * np.log1p(KERAS_EPSILON / y_pred), axis=-1)
    np.testing.assert_allclose(
        keras("poisson", y_true, y_pred), lb.poisson(y_true, y_pred) - shift, rtol=1e-13
    )
    assert lb.poisson([1.0], [0.0]) == np.inf
    assert keras("poisson", np.ones(1), np.zeros(1)) == pytest.approx(-np.log(KERAS_EPSILON))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_msle_epsilon_reproduces_keras_clipping(rng: np.random.Generator, dtype: type) -> None:
    y_true = rng.uniform(-2.0, 5.0, size=(B, K)).astype(dtype)  # negatives: Keras clips them
    y_pred = rng.uniform(-2.0, 5.0, size=(B, K)).astype(dtype)
    got = lb.msle(y_true, y_pred, epsilon=KERAS_EPSILON)
    want = keras("MSLE", y_true, y_pred)
    assert got.dtype == want.dtype == dtype
    rtol = 20 * RTOL32 if dtype is np.float32 else 1e-12  # Keras's difference of two logs
    np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-13)


def test_msle_exact_equals_keras_above_epsilon(rng: np.random.Generator) -> None:
    y_true, y_pred = rng.uniform(0.01, 50.0, size=(2, B, K))
    np.testing.assert_allclose(lb.msle(y_true, y_pred), keras("MSLE", y_true, y_pred), rtol=1e-12)


def test_keras_msle_silently_changes_negative_values() -> None:
    # log(1 + y) needs y > -1; Keras replaces every value below 1e-7 by 1e-7 first, so
    # -0.5 and -5 become 1e-7 and a prediction of -0.5 for a target of 0 costs nothing
    assert keras("MSLE", np.zeros((1, 1)), np.full((1, 1), -0.5))[0] == 0.0
    assert keras("MSLE", np.zeros((1, 1)), np.full((1, 1), -5.0))[0] == 0.0
    assert lb.msle([0.0], [-0.5]) == pytest.approx(np.log(0.5) ** 2, rel=1e-15)
    with pytest.raises(ValueError, match=r"^y_pred: must be > -1"):
        lb.msle([0.0], [-5.0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_mape_epsilon_reproduces_keras(rng: np.random.Generator, dtype: type) -> None:
    y_true = rng.normal(size=(B, K)).astype(dtype)
    y_true[0, :2] = 0.0  # Keras divides by max(|y|, 1e-7) there
    y_pred = (y_true + rng.normal(size=(B, K))).astype(dtype)
    got = lb.mape(y_true, y_pred, epsilon=KERAS_EPSILON)
    want = keras("MAPE", y_true, y_pred)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=RTOL32 if dtype is np.float32 else 1e-13)
    assert want[0] > 1e8  # percent errors of about 1e9 from the two zeros


def test_mape_exact_equals_keras_away_from_zero(rng: np.random.Generator) -> None:
    y_true = rng.choice([-1.0, 1.0], size=(B, K)) * rng.uniform(0.1, 10.0, size=(B, K))
    y_pred = y_true + rng.normal(size=(B, K))
    np.testing.assert_allclose(lb.mape(y_true, y_pred), keras("MAPE", y_true, y_pred), rtol=1e-13)


# --- reductions, sample weights, ignore_class, pos_weight (issue 13) ------------------
# In float64 (the loss classes with dtype="float64"), so the reductions are compared
# to 1e-12; Keras 3.15 accepts "sum_over_batch_size" (the default), "mean" (the same),
# "sum", "mean_with_sample_weight", None and "none".
RTOL64 = 1e-12


def _bce64(reduction: str | None) -> tf.keras.losses.Loss:
    return tf.keras.losses.BinaryCrossentropy(
        from_logits=True, reduction=reduction, dtype="float64"
    )


def test_keras_reductions_with_sample_weight(rng: np.random.Generator) -> None:
    y = rng.integers(0, 2, size=(B, 3)).astype(np.float64)
    z = rng.normal(scale=3.0, size=(B, 3))
    w = rng.uniform(0.0, 2.0, size=B)
    per = lb.binary_crossentropy(y, z, from_logits=True)  # one loss per sample
    want = {
        "sum_over_batch_size": np.sum(w * per) / B,  # divides by the count, not by Σ w
        "mean": np.sum(w * per) / B,
        "sum": np.sum(w * per),
        "mean_with_sample_weight": lb.weighted_mean(per, weights=w),
    }
    for reduction, value in want.items():
        got = _bce64(reduction)(y, z, sample_weight=w).numpy()
        np.testing.assert_allclose(got, value, rtol=RTOL64, err_msg=reduction)
    for reduction in (None, "none"):
        np.testing.assert_allclose(_bce64(reduction)(y, z, sample_weight=w), w * per, rtol=RTOL64)
    # without sample weights, "mean_with_sample_weight" is the plain mean
    np.testing.assert_allclose(_bce64("mean_with_sample_weight")(y, z), per.mean(), rtol=RTOL64)
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        tf.keras.losses.BinaryCrossentropy(reduction="auto")  # Keras 2's default is gone
    # a zero total weight: Keras's divide_no_nan gives 0, lossbook refuses
    zero = np.zeros(B)
    assert _bce64("mean_with_sample_weight")(y, z, sample_weight=zero).numpy() == 0.0
    with pytest.raises(ValueError, match=r"^weights: sum to 0"):
        lb.weighted_mean(per, weights=zero)


def test_sum_over_batch_size_counts_every_element(rng: np.random.Generator) -> None:
    # token-level losses of shape (b, T): the default divides by b·T, padding included,
    # even when a 0/1 sample_weight masks the padding; "mean_with_sample_weight" does not
    b, T = 4, 6
    z = rng.normal(size=(b, T, K))
    labels = rng.integers(0, K, size=(b, T))
    mask = (np.arange(T) < np.array([[6], [2], [4], [1]])).astype(np.float64)
    per = lb.sparse_categorical_crossentropy(labels, z, from_logits=True)  # (b, T)
    scce = tf.keras.losses.SparseCategoricalCrossentropy
    default = scce(from_logits=True, dtype="float64")
    np.testing.assert_allclose(default(labels, z).numpy(), per.sum() / (b * T), rtol=RTOL64)
    masked = default(labels, z, sample_weight=mask).numpy()
    np.testing.assert_allclose(masked, np.sum(mask * per) / (b * T), rtol=RTOL64)
    right = scce(from_logits=True, reduction="mean_with_sample_weight", dtype="float64")
    np.testing.assert_allclose(
        right(labels, z, sample_weight=mask).numpy(),
        lb.weighted_mean(per, weights=mask),
        rtol=RTOL64,
    )
    # the default is the right mean times the fraction of real tokens
    np.testing.assert_allclose(
        masked, lb.weighted_mean(per, weights=mask) * mask.mean(), rtol=RTOL64
    )


def test_ignore_class_is_ignore_index(rng: np.random.Generator) -> None:
    b, T = 5, 6
    z = rng.normal(scale=3.0, size=(b, T, K))
    labels = rng.integers(0, K, size=(b, T))
    labels[rng.random((b, T)) < 0.3] = -100
    tokens = labels != -100
    ours = lb.sparse_categorical_crossentropy(labels, z, from_logits=True, ignore_index=-100)
    theirs = keras(
        "sparse_categorical_crossentropy", labels, z, from_logits=True, ignore_class=-100
    )
    np.testing.assert_allclose(ours, theirs, rtol=RTOL64, atol=1e-15)
    assert np.all(theirs[~tokens] == 0.0)
    # the loss class divides by the number of tokens that count: Σ loss / Σ tokens
    loss = tf.keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, ignore_class=-100, dtype="float64"
    )
    np.testing.assert_allclose(
        loss(labels, z).numpy(), lb.weighted_mean(ours, weights=tokens), rtol=RTOL64
    )
    # and a batch that is all padding gives 0, where lossbook's mean refuses 0/0
    assert loss(np.full((b, T), -100), z).numpy() == 0.0


@pytest.mark.parametrize("scale", [1.0, 30.0, 1e4])
def test_weighted_cross_entropy_with_logits_is_pos_weight(
    rng: np.random.Generator, scale: float
) -> None:
    # Keras's BinaryCrossentropy has no pos_weight; tf.nn.weighted_cross_entropy_with_logits
    # is the same loss as PyTorch's, elementwise: lossbook averages over the last axis
    y = rng.integers(0, 2, size=(B, K)).astype(np.float64)
    z = rng.normal(scale=scale, size=(B, K))
    w = rng.uniform(0.0, 5.0, size=K)
    theirs = tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=z, pos_weight=w).numpy()
    ours = lb.binary_crossentropy(y, z, from_logits=True, pos_weight=w)
    # TF's (1 - y) z + (1 + (w - 1) y) softplus(-z) cancels terms of size |z| where y = 0
    atol = 4 * float(np.finfo(np.float64).eps) * scale * (1 + w.max())
    np.testing.assert_allclose(ours, theirs.mean(axis=-1), rtol=RTOL64, atol=atol)


# --- similarity losses: cosine similarity and Circle (issue 15) ---------------------------


def _eps(dtype: type) -> float:
    return float(np.finfo(dtype).eps)


def _unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cosine_similarity_is_keras_negative_cosine(rng: np.random.Generator, dtype: type) -> None:
    x = rng.normal(size=(B, 8)).astype(dtype)
    y = rng.normal(size=(B, 8)).astype(dtype)
    for axis in (-1, 0):
        got = lb.cosine_similarity(x, y, axis=axis)
        want = keras("cosine_similarity", x, y, axis=axis)
        assert got.dtype == want.dtype == dtype
        # Keras multiplies by rsqrt(Σ x²); each unit vector is right to a few ulps, so
        # the cosine, in [-1, 1], agrees to a few ulps absolutely
        np.testing.assert_allclose(got, want, rtol=0, atol=16 * _eps(dtype))
    # the sign: the same direction is -1, the opposite +1
    np.testing.assert_allclose(keras("cosine_similarity", x, 3 * x), -1.0, atol=4 * _eps(dtype))
    np.testing.assert_allclose(lb.cosine_similarity(x, -x), 1.0, atol=4 * _eps(dtype))
    # the loss class averages over the batch (in float32, Keras's default dtype)
    batch = tf.keras.losses.CosineSimilarity()(x, y).numpy()
    np.testing.assert_allclose(batch, np.mean(lb.cosine_similarity(x, y)), rtol=1e-5, atol=1e-6)


def test_keras_cosine_of_large_or_tiny_float32_vectors_is_zero() -> None:
    # Σ x² overflows to inf above a norm of about 1.8e19 (rsqrt(inf) = 0), and the
    # inverse norm is capped at 1 / 1e-7: Keras returns (-)0 where the cosine is -1
    for scale in (1e20, 1e-30):
        x = f32(np.array([[1.0, 2.0, 2.0]]) * scale)
        assert keras("cosine_similarity", x, x)[0] == 0.0
        assert lb.cosine_similarity(x, x)[0] == pytest.approx(-1.0, abs=1e-6)


def _circle_rtol(dtype: type, gamma: float, margin: float) -> float:
    # a similarity off by an ulp moves the exponent γ α (s - Δ) by up to 2 γ (1 + m) ulps,
    # which the loss inherits as a relative error
    return 4 * (2 * gamma * (1 + margin) + 1) * _eps(dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(("gamma", "margin"), [(80, 0.4), (16, 0.25), (256, 0.1)])
def test_circle(rng: np.random.Generator, dtype: type, gamma: float, margin: float) -> None:
    e = _unit_rows(rng.normal(size=(B, 16))).astype(dtype)
    labels = rng.integers(0, 6, size=B)
    got = lb.circle(labels, e, gamma=gamma, margin=margin)
    want = keras("circle", labels, e, gamma=gamma, margin=margin)
    assert got.dtype == want.dtype == dtype and got.shape == (B,)
    np.testing.assert_allclose(got, want, rtol=_circle_rtol(dtype, gamma, margin), atol=0)


def test_circle_class_averages_only_the_positive_losses(rng: np.random.Generator) -> None:
    # circle() marks its result with a Keras mask, loss > 0; the class's
    # "sum_over_batch_size" then divides by the number of samples with a positive
    # loss, so a sample alone in its class (loss 0) is left out of the mean
    e = _unit_rows(rng.normal(size=(8, 4)))
    labels = np.array([0, 0, 1, 1, 2, 2, 3, 1])  # class 3 has one sample
    per = lb.circle(labels, e)
    assert per[6] == 0.0 and np.all(per[per != 0] > 0)
    batch = tf.keras.losses.Circle(dtype="float64")(labels, e).numpy()
    np.testing.assert_allclose(batch, per.sum() / np.count_nonzero(per), rtol=1e-12)
    assert not np.isclose(batch, per.mean(), rtol=1e-3)
    # remove_diagonal=False (lossbook has no such switch) pairs each sample with itself
    kept = keras("circle", labels, e, remove_diagonal=False)
    assert kept[6] > 0 and not np.allclose(kept, per)


def test_info_nce_is_keras_sparse_cross_entropy_of_the_similarity_matrix(
    rng: np.random.Generator,
) -> None:
    za, zb = rng.normal(size=(B, 8)), rng.normal(size=(B, 8))
    for tau in (0.05, 0.1, 1.0):
        logits = (
            tf.matmul(
                tf.math.l2_normalize(za, axis=-1),
                tf.math.l2_normalize(zb, axis=-1),
                transpose_b=True,
            )
            / tau
        )
        want = keras("sparse_categorical_crossentropy", np.arange(B), logits, from_logits=True)
        got = lb.info_nce(za, zb, temperature=tau)
        # float64 on both sides; the logits carry a few ulps of 1 / τ each
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=16 * _eps(np.float64) / tau)


# --- margin and focal losses (issue 14) ---------------------------------------------------------


def _pm1(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    return rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_hinge_and_squared_hinge(rng: np.random.Generator, dtype: type) -> None:
    y = _pm1(rng, (B, 6)).astype(dtype)
    z = rng.normal(0, 2, size=(B, 6)).astype(dtype)
    rtol = RTOL32 if dtype is np.float32 else 1e-13
    for ours, theirs in ((lb.hinge, "hinge"), (lb.squared_hinge, "squared_hinge")):
        for labels in (y, (y + 1) / 2):  # -1/1, and 0/1, which both convert
            got, want = ours(labels, z), keras(theirs, labels, z)
            assert got.dtype == want.dtype == dtype
            np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol)


def test_keras_hinge_converts_per_tensor_lossbook_raises() -> None:
    y = np.array([[0.0, 1.0], [-1.0, 1.0]])  # one row 0/1, one row -1/1
    z = np.array([[0.3, 2.0], [0.5, -0.2]])
    # Keras skips the conversion for the whole batch: the 0 stays 0 and costs 1
    np.testing.assert_allclose(keras("hinge", y, z)[0], 0.5, rtol=1e-12)
    np.testing.assert_allclose(keras("hinge", y[:1], z[:1]), lb.hinge(y[:1], z[:1]), rtol=1e-12)
    with pytest.raises(ValueError, match="^y_true: labels must be -1 or 1"):
        lb.hinge(y, z)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_categorical_hinge(rng: np.random.Generator, dtype: type) -> None:
    onehot = np.eye(K, dtype=dtype)[rng.integers(0, K, size=B)]
    for shift in (0.0, -4.0):  # -4: every rival below 0, where Keras is not Crammer-Singer
        z = (rng.normal(0, 2, size=(B, K)) + shift).astype(dtype)
        got, want = lb.categorical_hinge(onehot, z), keras("categorical_hinge", onehot, z)
        assert got.dtype == want.dtype == dtype
        rtol = RTOL32 if dtype is np.float32 else 1e-13
        np.testing.assert_allclose(got, want, rtol=rtol, atol=8 * np.finfo(dtype).eps * 10)


BINARY_FOCAL = [
    {},
    {"apply_class_balancing": True},
    {"apply_class_balancing": True, "alpha": 0.6, "gamma": 1.5, "label_smoothing": 0.1},
    {"gamma": 0.0},
]


@pytest.mark.parametrize("kwargs", BINARY_FOCAL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_focal(rng: np.random.Generator, kwargs: dict, dtype: type) -> None:
    y = rng.integers(0, 2, size=(B, 4)).astype(dtype)
    q = rng.uniform(0.01, 0.99, size=(B, 4)).astype(dtype)  # away from Keras's clip
    z = rng.normal(0, 3, size=(B, 4)).astype(dtype)
    rtol = 4 * RTOL32 if dtype is np.float32 else 1e-12
    got = lb.binary_focal_crossentropy(y, q, **kwargs)
    want = keras("binary_focal_crossentropy", y, q, **kwargs)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=rtol)
    got = lb.binary_focal_crossentropy(y, z, from_logits=True, **kwargs)
    want = keras("binary_focal_crossentropy", y, z, from_logits=True, **kwargs)
    np.testing.assert_allclose(got, want, rtol=rtol)


def test_binary_focal_keras_clips_probabilities_epsilon_reproduces_it() -> None:
    y = np.array([[1.0, 0.0, 1.0, 0.0]])
    q = np.array([[1e-12, 1.0, 0.5, 1e-3]])
    want = keras("binary_focal_crossentropy", y, q, gamma=0.5)
    np.testing.assert_allclose(
        lb.binary_focal_crossentropy(y, q, gamma=0.5, epsilon=KERAS_EPSILON), want, rtol=1e-12
    )
    assert lb.binary_focal_crossentropy(y, q, gamma=0.5)[0] == np.inf  # q = 1 on a label 0


CATEGORICAL_FOCAL = [
    {},
    {"alpha": np.array([0.1, 0.2, 0.3, 0.2, 0.2])},  # an array: a list is rounded to float32
    {"alpha": 1.0, "gamma": 0.5, "label_smoothing": 0.1},
]


@pytest.mark.parametrize("kwargs", CATEGORICAL_FOCAL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_categorical_focal(rng: np.random.Generator, kwargs: dict, dtype: type) -> None:
    y = _distributions(rng, (B, K)).astype(dtype)
    z = rng.normal(0, 2, size=(B, K)).astype(dtype)  # no class below 1e-7 after the softmax
    q = lb.softmax(z)
    # a float64 alpha would promote Keras's float32 result; lossbook keeps y_pred's dtype
    kwargs = {k: v.astype(dtype) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    rtol = 4 * RTOL32 if dtype is np.float32 else 1e-12
    got = lb.categorical_focal_crossentropy(y, q, **kwargs)
    want = keras("categorical_focal_crossentropy", y, q, **kwargs)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=rtol)
    got = lb.categorical_focal_crossentropy(y, z, from_logits=True, **kwargs)
    want = keras("categorical_focal_crossentropy", y, z, from_logits=True, **kwargs)
    np.testing.assert_allclose(got, want, rtol=rtol)


def test_categorical_focal_keras_clips_even_from_logits() -> None:
    p = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    z = np.array([[-20.0, 0.0, 0.0], [3.0, -30.0, 1.0]])  # true classes far below 1e-7
    want = keras("categorical_focal_crossentropy", p, z, from_logits=True)
    # Keras = softmax, then the probability path with its clip at 1e-7
    clipped = lb.categorical_focal_crossentropy(p, lb.softmax(z), epsilon=KERAS_EPSILON)
    np.testing.assert_allclose(want, clipped, rtol=1e-12)
    exact = lb.categorical_focal_crossentropy(p, z, from_logits=True)
    assert np.all(exact > want * 1.2)  # the exact loss is larger: Keras caps it


# --- generalized cross-entropy (issue 14) ------------------------------------------------------


@pytest.mark.parametrize("q", [0.1, 0.5, 0.7, 1.0])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_categorical_generalized_cross_entropy(
    rng: np.random.Generator, q: float, dtype: type
) -> None:
    labels = rng.integers(0, K, size=B)
    y_pred = _distributions(rng, (B, K), alpha=2.0).astype(dtype)
    y_pred /= y_pred.sum(axis=-1, keepdims=True)
    got = lb.categorical_generalized_cross_entropy(labels, y_pred, q=q)
    want = keras("categorical_generalized_cross_entropy", labels, y_pred, q=q)
    assert got.dtype == want.dtype == dtype
    # Keras computes 1 - P^q as written: its rounding error in P^q, eps P^q, divided by q
    # (lossbook's -expm1(q log P) / q does not cancel)
    eps = float(np.finfo(dtype).eps)
    p_true = y_pred[np.arange(B), labels].astype(np.float64)
    tol = 4 * eps * (np.abs(want) + p_true**q / q)
    assert np.all(np.abs(got - want) <= tol)
    if q < 1:  # the class takes q in (0, 1) only
        cls = tf.keras.losses.CategoricalGeneralizedCrossEntropy(
            q=q, reduction=None, dtype=np.dtype(dtype).name
        )
        assert np.all(np.abs(got - cls(labels, y_pred).numpy()) <= tol)
        mean = tf.keras.losses.CategoricalGeneralizedCrossEntropy(q=q)(labels, y_pred)
        np.testing.assert_allclose(float(mean), np.mean(got), rtol=1e-5)  # float32 mean


def test_gce_keras_class_rejects_q_1_and_its_function_accepts_it() -> None:
    with pytest.raises(ValueError, match="q must be in the interval"):
        tf.keras.losses.CategoricalGeneralizedCrossEntropy(q=1.0)
    y_pred = np.array([[0.7, 0.3], [0.2, 0.8]])
    np.testing.assert_allclose(
        keras("categorical_generalized_cross_entropy", [0, 1], y_pred, q=1.0),
        lb.categorical_generalized_cross_entropy([0, 1], y_pred, q=1.0),
        rtol=1e-15,
    )


def test_gce_keras_broadcasts_labels_of_shape_b_1(rng: np.random.Generator) -> None:
    # Keras's docstring allows [batch_size, 1]: the one-hot (b, 1, K) meets (b, K), and the
    # result is the (b, b) matrix of every label against every prediction; lossbook raises
    labels = rng.integers(0, K, size=B)
    y_pred = _distributions(rng, (B, K), alpha=2.0)
    wrong = keras("categorical_generalized_cross_entropy", labels[:, None], y_pred, q=0.7)
    assert wrong.shape == (B, B)
    right = lb.categorical_generalized_cross_entropy(labels, y_pred, q=0.7)
    np.testing.assert_allclose(np.diag(wrong), right, rtol=1e-12)
    with pytest.raises(ValueError, match=r"^y_true: shape \(64, 1\) does not match"):
        lb.categorical_generalized_cross_entropy(labels[:, None], y_pred, q=0.7)


def test_gce_keras_loses_digits_for_small_q_in_float32() -> None:
    y_pred = np.array([[0.9, 0.05, 0.05]], dtype=np.float32)
    p = float(y_pred[0, 0])
    for q, keras_err in [(1e-4, 1e-4), (1e-6, 1e-2)]:
        exact = float(-np.expm1(q * np.log(p)) / q)  # float64 is ample for this one value
        got = float(lb.categorical_generalized_cross_entropy([0], y_pred, q=q)[0])
        want = float(keras("categorical_generalized_cross_entropy", [0], y_pred, q=q)[0])
        assert abs(got - exact) <= 4 * np.finfo(np.float32).eps * exact
        assert abs(want - exact) > keras_err * exact  # 1 - P^q cancels in float32


# --- CTC and the overlap losses (issue 15) -------------------------------------------------
# tf.nn.ctc_loss computes in float32 only (float64 logits raise); Keras's ctc wraps it with
# 0 as the blank and the padding and every frame used; Keras's dice and tversky add
# epsilon = 1e-7 to the denominator, which lossbook reproduces with epsilon=1e-7.


def _ctc_batch(rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    b, frames, k, s = 16, 60, 6, 12
    z = f32(rng.normal(scale=2.0, size=(b, frames, k)))
    labels = rng.integers(1, k, size=(b, s))
    label_lengths = rng.integers(0, s + 1, size=b)
    logit_lengths = rng.integers(2 * s + 1, frames + 1, size=b)  # always feasible
    return z, labels, label_lengths, logit_lengths


def test_ctc_against_tf_nn_ctc_loss(rng: np.random.Generator) -> None:
    z, labels, label_lengths, logit_lengths = _ctc_batch(rng)
    lengths = dict(label_lengths=label_lengths, logit_lengths=logit_lengths)
    want = tf.nn.ctc_loss(
        labels=tf.constant(labels),
        logits=tf.constant(z),
        label_length=tf.constant(label_lengths),
        logit_length=tf.constant(logit_lengths),
        logits_time_major=False,
        blank_index=0,
    ).numpy()
    got = lb.ctc_loss(labels, z, **lengths)
    exact = lb.ctc_loss(labels, z.astype(np.float64), **lengths)
    assert got.dtype == want.dtype == np.float32
    # float32 on both sides, T = 60 rounded log-sum-exp steps: about 3e-7 measured
    np.testing.assert_allclose(got, exact, rtol=2 * RTOL32)
    np.testing.assert_allclose(want, exact, rtol=2 * RTOL32)


def test_ctc_keras_pads_with_the_blank_and_uses_every_frame(rng: np.random.Generator) -> None:
    z, labels, label_lengths, _ = _ctc_batch(rng)
    padded = np.where(np.arange(labels.shape[1]) < label_lengths[:, None], labels, 0)
    every = np.full(len(z), z.shape[1])
    want = keras("ctc", padded, z)
    got = lb.ctc_loss(
        padded, z.astype(np.float64), label_lengths=label_lengths, logit_lengths=every
    )
    np.testing.assert_allclose(want, got, rtol=2 * RTOL32)
    mean = float(tf.keras.losses.CTC()(padded, z))  # "sum_over_batch_size": a plain mean
    np.testing.assert_allclose(mean, np.mean(got), rtol=2 * RTOL32)


def test_ctc_tensorflow_refuses_float64_and_is_finite_when_infeasible() -> None:
    z = np.zeros((1, 2, 3))
    args = dict(label_length=tf.constant([2]), logit_length=tf.constant([2]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.nn.ctc_loss(
            labels=tf.constant([[1, 1]]),
            logits=tf.constant(z),
            **args,
            logits_time_major=False,
            blank_index=0,
        )
    # "aa" needs 3 frames: lossbook says +inf, TensorFlow a large finite number, since
    # its dense implementation writes log 0 as log(1e-307)
    theirs = tf.nn.ctc_loss(
        labels=tf.constant([[1, 1]]),
        logits=tf.constant(f32(z)),
        **args,
        logits_time_major=False,
        blank_index=0,
    ).numpy()
    ours = lb.ctc_loss([[1, 1]], z, label_lengths=[2], logit_lengths=[2])
    assert ours[0] == np.inf
    assert np.isfinite(theirs[0]) and theirs[0] > -np.log(1e-307)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("axis", [None, (1, 2), -1])
def test_dice_and_tversky(rng: np.random.Generator, dtype: type, axis: object) -> None:
    y_true = (rng.random((8, 16, 16)) < 0.2).astype(dtype)
    y_pred = rng.random((8, 16, 16)).astype(dtype)
    rtol = RTOL32 if dtype is np.float32 else 1e-12
    got = lb.dice(y_true, y_pred, axis=axis, epsilon=KERAS_EPSILON)
    want = keras("dice", y_true, y_pred, axis=axis)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=rtol)
    # Keras 3.15's tversky applies alpha to the false negatives and beta to the false
    # positives (its docstring and Salehi et al. say the opposite): swap them to compare
    got = lb.tversky(y_true, y_pred, alpha=0.3, beta=0.7, axis=axis, epsilon=KERAS_EPSILON)
    want = keras("tversky", y_true, y_pred, alpha=0.7, beta=0.3, axis=axis)
    np.testing.assert_allclose(got, want, rtol=rtol)


def test_tversky_keras_swaps_alpha_and_beta() -> None:
    # TP = 2, FN = 2, FP = 0: with alpha on the false positives the loss is 0.2 / 2.2
    y_true, y_pred = np.array([1.0, 1.0, 1.0, 1.0]), np.array([1.0, 1.0, 0.0, 0.0])
    assert lb.tversky(y_true, y_pred, alpha=0.9, beta=0.1) == pytest.approx(0.2 / 2.2)
    want = float(keras("tversky", y_true, y_pred, alpha=0.9, beta=0.1))
    assert want == pytest.approx(1.8 / 3.8, rel=1e-6)  # 0.9 on the false negatives


def test_dice_empty_mask_keras_scores_one() -> None:
    empty = np.zeros((2, 8, 8))
    assert float(keras("dice", empty, empty)) == 1.0  # 1 - 0 / epsilon
    assert lb.dice(empty, empty, epsilon=KERAS_EPSILON) == 1.0
    assert lb.dice(empty, empty) == 0.0  # exact: the masks agree
    np.testing.assert_array_equal(
        keras("dice", empty, empty, axis=(1, 2)),
        lb.dice(empty, empty, axis=(1, 2), epsilon=KERAS_EPSILON),
    )


# --- divergences: the Gaussian KL and the GAN losses (issue 16, chapter 17) ---------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gaussian_kl_against_the_vae_formula(rng: np.random.Generator, dtype: type) -> None:
    # Keras has no Gaussian KL; its VAE example writes -1/2 sum(1 + v - mu^2 - e^v)
    import keras

    mu = rng.normal(size=(B, K)).astype(dtype)
    log_var = rng.normal(scale=2.0, size=(B, K)).astype(dtype)
    ops = keras.ops
    kl_keras = ops.sum(1 + log_var - mu**2 - ops.exp(log_var), axis=-1) * -0.5
    rtol = 4 * RTOL32 if dtype is np.float32 else 1e-12  # the formula cancels near v = 0
    np.testing.assert_allclose(lb.gaussian_kl(mu, log_var), np.asarray(kl_keras), rtol=rtol)


def test_the_vae_formula_returns_0_near_the_prior() -> None:
    import keras

    v = np.array([1e-9])  # KL = (e^v - 1 - v) / 2 ≈ 2.5e-19
    kl_keras = float(np.asarray(-0.5 * keras.ops.sum(1 + v - keras.ops.exp(v))))
    assert kl_keras == 0.0
    assert float(lb.gaussian_kl([0.0], v)) == pytest.approx(0.25e-18, rel=1e-9)


def _bce_keras(y: float, z: np.ndarray) -> np.ndarray:
    """tf.keras.losses.binary_crossentropy from logits, one logit per sample: (b, 1)."""
    return keras(
        "binary_crossentropy", np.full((z.size, 1), y, dtype=z.dtype), z[:, None], from_logits=True
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gan_losses_are_binary_crossentropy_from_logits(
    rng: np.random.Generator, dtype: type
) -> None:
    r = rng.normal(0.0, 5.0, size=B).astype(dtype)
    f = rng.normal(0.0, 5.0, size=B).astype(dtype)
    f[:4] = np.array([-1e4, 1e4, -40.0, 40.0], dtype=dtype)
    rtol = RTOL32 if dtype is np.float32 else 1e-12
    np.testing.assert_allclose(
        lb.gan_discriminator_loss(r, f), _bce_keras(1.0, r) + _bce_keras(0.0, f), rtol=rtol
    )
    np.testing.assert_allclose(lb.gan_generator_loss(f), _bce_keras(1.0, f), rtol=rtol)
    np.testing.assert_allclose(
        lb.gan_generator_loss(f, non_saturating=False), -_bce_keras(0.0, f), rtol=rtol
    )


def test_gan_losses_against_the_binary_crossentropy_class(rng: np.random.Generator) -> None:
    # the loss class computes in float32 (Keras's floatx) even for float64 input, and
    # averages over the batch by default
    r, f = rng.normal(0.0, 5.0, size=(B, 1)), rng.normal(0.0, 5.0, size=(B, 1))
    ones, zeros = np.ones((B, 1)), np.zeros((B, 1))
    per_sample = tf.keras.losses.BinaryCrossentropy(from_logits=True, reduction=None)
    d_keras = per_sample(ones, r).numpy() + per_sample(zeros, f).numpy()
    assert d_keras.dtype == np.float32
    d_lb = lb.gan_discriminator_loss(r[:, 0], f[:, 0])
    np.testing.assert_allclose(d_keras, d_lb, rtol=RTOL32)
    mean = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    d_mean = float(mean(ones, r)) + float(mean(zeros, f))
    np.testing.assert_allclose(d_mean, np.mean(d_lb), rtol=RTOL32)


# --- distillation (issue 16, chapter 18) -------------------------------------------------


@pytest.mark.parametrize("temperature", [1.0, 4.0, 20.0])
def test_distillation_is_keras_kl_divergence_of_softmaxes(temperature: float) -> None:
    gen = np.random.default_rng(16)
    t, s = 3 * gen.normal(size=(8, 5)), 3 * gen.normal(size=(8, 5))
    p = tf.nn.softmax(t / temperature).numpy()  # float64
    q = tf.nn.softmax(s / temperature).numpy()
    assert p.min() > 1e-7 and q.min() > 1e-7  # Keras clips both to [1e-7, 1]: not here
    want = lb.distillation(t, s, temperature=temperature)
    got = tf.keras.losses.KLD(p, q).numpy() * temperature**2
    np.testing.assert_allclose(got, want, rtol=1e-12)
    # the class: the batch mean, in float32
    mean = float(tf.keras.losses.KLDivergence()(p, q)) * temperature**2
    np.testing.assert_allclose(mean, np.mean(want), rtol=1e-6)


def test_distillation_where_keras_clips() -> None:
    # a teacher probability of e^-30 is clipped up to 1e-7 by Keras: it adds 1e-7 log(3e-7)
    t, s = np.array([[-30.0, 0.0, 0.0]]), np.zeros((1, 3))
    exact = float(lb.distillation(t, s, temperature=1.0)[0])
    keras_v = float(tf.keras.losses.KLD(tf.nn.softmax(t), tf.nn.softmax(s)).numpy()[0])
    np.testing.assert_allclose(keras_v - exact, 1e-7 * np.log(3e-7), rtol=1e-6)


def test_distillation_gradient_by_gradient_tape() -> None:
    gen = np.random.default_rng(17)
    t, s = gen.normal(size=(4, 6)), gen.normal(size=(4, 6))
    for temperature in (1.0, 3.0, 10.0):
        sv = tf.Variable(s)
        with tf.GradientTape() as tape:
            p = tf.nn.softmax(t / temperature)
            log_q = tf.nn.log_softmax(sv / temperature)
            loss = temperature**2 * tf.reduce_sum(p * (tf.math.log(p) - log_q))
        closed = temperature * (lb.softmax(s / temperature) - lb.softmax(t / temperature))
        np.testing.assert_allclose(tape.gradient(loss, sv).numpy(), closed, rtol=1e-11, atol=1e-15)
