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
