"""weighted_mean, and the two options of issue 13 that feed it: pos_weight and ignore_index.

Values by hand, hypothesis properties (equal weights give the mean, scaling
the weights changes nothing, a zero weight drops its sample; pos_weight = 1
is the plain loss; ignored labels cost 0 and leave every other loss as it
was), dtypes, and extreme logits against a 50-digit mpmath reference.  The
agreement with Keras and PyTorch is in test_against_tensorflow.py and
test_against_pytorch.py; bad input in test_validation.py.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

mpmath.mp.dps = 50
EPS = float(np.finfo(np.float64).eps)


def losses_and_weights(
    zeros: bool = True,
) -> st.SearchStrategy[tuple[np.ndarray, np.ndarray]]:
    """Losses in [0, 1e6] (some exactly 0) and weights in [0, 1e3], of one shape."""
    low = 0.0 if zeros else 1e-3
    shape = hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=12)

    @st.composite
    def draw(d: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
        s = d(shape)
        losses = d(hnp.arrays(np.float64, s, elements=st.floats(0.0, 1e6)))
        weights = d(hnp.arrays(np.float64, s, elements=st.floats(low, 1e3, allow_subnormal=False)))
        assume(weights.sum() > 0)
        return losses, weights

    return draw()


# --- weighted_mean: values ------------------------------------------------------------


def test_weighted_mean_by_hand() -> None:
    # (1·1 + 1·2 + 2·3) / (1 + 1 + 2) = 9 / 4, exactly
    assert lb.weighted_mean([1.0, 2.0, 3.0], weights=[1.0, 1.0, 2.0]) == 2.25
    # a 0/1 mask: the mean of the kept losses
    assert lb.weighted_mean([1.0, 2.0, 30.0], weights=[1, 1, 0]) == 1.5
    # the weighted mean is not the mean of w l, which divides by the count: 9 / 3
    assert np.mean(np.multiply([1.0, 2.0, 3.0], [1.0, 1.0, 2.0])) == 3.0


def test_weighted_mean_is_numpy_average() -> None:
    rng = np.random.default_rng(3)
    losses, weights = rng.exponential(size=(20, 7)), rng.uniform(size=(20, 7))
    np.testing.assert_allclose(
        lb.weighted_mean(losses, weights=weights),
        np.average(losses, weights=weights),
        rtol=1e-14,
    )
    for axis in (0, 1, -1):
        np.testing.assert_allclose(
            lb.weighted_mean(losses, weights=weights, axis=axis),
            np.average(losses, weights=weights, axis=axis),
            rtol=1e-14,
        )


def test_weighted_mean_shapes_and_dtypes() -> None:
    out = lb.weighted_mean([[1.0, 2.0], [3.0, 4.0]], weights=[[1.0, 0.0], [1.0, 1.0]])
    assert isinstance(out, np.float64) and out == pytest.approx(8.0 / 3, rel=1e-15)
    rows = lb.weighted_mean([[1.0, 2.0], [3.0, 4.0]], weights=[[1.0, 0.0], [1.0, 1.0]], axis=-1)
    np.testing.assert_array_equal(rows, [1.0, 3.5])
    f32 = np.array([0.5, 1.5], dtype=np.float32)
    assert lb.weighted_mean(f32, weights=np.array([1.0, 3.0])).dtype == np.float32
    assert lb.weighted_mean(f32, weights=[1, 3]).dtype == np.float32  # a list adopts float32
    assert lb.weighted_mean([0.5, 1.5], weights=np.array([1, 3])).dtype == np.float64
    assert lb.weighted_mean(2.0, weights=5.0) == 2.0  # one loss: itself, whatever its weight


def test_weighted_mean_zero_total_is_refused() -> None:
    # 0/0: no sample counts. Keras returns 0 here and PyTorch NaN (see the framework tests)
    with pytest.raises(ValueError, match=r"^weights: sum to 0, so the weighted mean is 0/0"):
        lb.weighted_mean([1.0, 2.0], weights=[0.0, 0.0])
    with pytest.raises(ValueError, match=r"^weights: sum to 0 along axis -1 in at least one row"):
        lb.weighted_mean([[1.0, 2.0], [3.0, 4.0]], weights=[[1, 1], [0, 0]], axis=-1)
    # the same weights are fine over every entry
    assert lb.weighted_mean([[1.0, 2.0], [3.0, 4.0]], weights=[[1, 1], [0, 0]]) == 1.5


def test_weighted_mean_tokens_versus_mean_of_sequence_means() -> None:
    # two sequences of 1 and 3 tokens (the rest padding): Σ loss / Σ tokens weights
    # each token alike; the mean of the per-sequence means weights each sequence alike
    losses = np.array([[4.0, 0.0, 0.0], [1.0, 1.0, 1.0]])
    mask = np.array([[1, 0, 0], [1, 1, 1]])
    assert lb.weighted_mean(losses, weights=mask) == 7.0 / 4
    assert np.mean(lb.weighted_mean(losses, weights=mask, axis=-1)) == (4.0 + 1.0) / 2


# --- weighted_mean: properties --------------------------------------------------------


@given(losses_and_weights())
def test_equal_weights_give_the_mean(lw: tuple[np.ndarray, np.ndarray]) -> None:
    losses, _ = lw
    for c in (1.0, 0.1, 7.0):
        got = lb.weighted_mean(losses, weights=np.full(losses.shape, c))
        assert got == pytest.approx(np.mean(losses), rel=4 * EPS * losses.size, abs=1e-300)


@given(losses_and_weights(), st.floats(1e-3, 1e3))
def test_scaling_the_weights_changes_nothing(lw: tuple[np.ndarray, np.ndarray], c: float) -> None:
    losses, weights = lw
    # scaled weights that fall below the smallest normal float lose their digits
    assume(np.all((weights == 0) | (c * weights >= np.finfo(np.float64).tiny)))
    got = lb.weighted_mean(losses, weights=c * weights)
    want = lb.weighted_mean(losses, weights=weights)
    assert got == pytest.approx(want, rel=8 * EPS * losses.size, abs=1e-300)


@given(losses_and_weights(zeros=False), st.data())
def test_zero_weights_drop_their_samples(
    lw: tuple[np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    losses, weights = lw
    drop = data.draw(hnp.arrays(np.bool_, losses.shape))
    assume(not drop.all())
    # whatever the dropped losses are, they do not count
    noisy = np.where(drop, 1e6, losses)
    got = lb.weighted_mean(noisy, weights=np.where(drop, 0.0, weights))
    want = lb.weighted_mean(losses[~drop], weights=weights[~drop])
    assert got == pytest.approx(want, rel=8 * EPS * losses.size, abs=1e-300)


@given(losses_and_weights())
def test_weighted_mean_lies_between_the_smallest_and_largest_counted_loss(
    lw: tuple[np.ndarray, np.ndarray],
) -> None:
    losses, weights = lw
    counted = losses[weights > 0]
    got = lb.weighted_mean(losses, weights=weights)
    # rounding, and below the smallest normal number an absolute error (subnormals)
    slack = 4 * EPS * losses.size * counted.max() + float(np.finfo(np.float64).tiny)
    assert counted.min() - slack <= got <= counted.max() + slack


@given(losses_and_weights(), st.data())
def test_weighted_mean_ignores_the_order(
    lw: tuple[np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    losses, weights = lw
    order = np.array(data.draw(st.permutations(range(losses.size))))
    got = lb.weighted_mean(losses.ravel()[order], weights=weights.ravel()[order])
    want = lb.weighted_mean(losses, weights=weights)
    assert got == pytest.approx(want, rel=8 * EPS * losses.size, abs=1e-300)


# --- binary_crossentropy(pos_weight) ---------------------------------------------------


def test_pos_weight_by_hand() -> None:
    # y = 1 pays w·(-log q), y = 0 pays -log(1 - q), unchanged; averaged over the outputs
    y, q = np.array([1.0, 0.0]), np.array([0.25, 0.25])
    want = (3.0 * -math.log(0.25) + -math.log(0.75)) / 2
    assert lb.binary_crossentropy(y, q, pos_weight=3.0) == pytest.approx(want, rel=1e-15)
    z = np.log(q / (1 - q))  # the same probabilities as logits
    got = lb.binary_crossentropy(y, z, from_logits=True, pos_weight=3.0)
    assert got == pytest.approx(want, rel=1e-15)
    # one weight per output: the second output is negative, so its weight is unused
    per = lb.binary_crossentropy(y, q, pos_weight=[3.0, 100.0])
    assert per == pytest.approx(want, rel=1e-15)


def test_pos_weight_one_gives_the_old_loss() -> None:
    rng = np.random.default_rng(5)
    y_soft, y_hard = rng.uniform(size=(50, 4)), rng.integers(0, 2, size=(50, 4)).astype(float)
    q, z = rng.uniform(0.001, 0.999, size=(50, 4)), rng.normal(scale=20.0, size=(50, 4))
    for y in (y_soft, y_hard):
        # probabilities: 1 · y is y, the same expression, bit for bit
        np.testing.assert_array_equal(
            lb.binary_crossentropy(y, q, pos_weight=1.0), lb.binary_crossentropy(y, q)
        )
        np.testing.assert_array_equal(
            lb.binary_crossentropy(y, q, pos_weight=1.0, epsilon=1e-7),
            lb.binary_crossentropy(y, q, epsilon=1e-7),
        )
        # logits: a different (cancellation-free) expression, equal to rounding; the
        # old form max(z, 0) - z y loses up to an ulp of |z| absolutely for soft y
        np.testing.assert_allclose(
            lb.binary_crossentropy(y, z, from_logits=True, pos_weight=np.ones(4)),
            lb.binary_crossentropy(y, z, from_logits=True),
            rtol=8 * EPS,
            atol=4 * EPS * 20.0 * 5,
        )


@given(
    hnp.arrays(np.float64, (6, 3), elements=st.floats(0.0, 1.0)),
    hnp.arrays(np.float64, (6, 3), elements=st.floats(-50.0, 50.0)),
    hnp.arrays(np.float64, 3, elements=st.floats(0.0, 100.0)),
)
def test_pos_weight_adds_w_minus_1_times_the_positive_term(
    y: np.ndarray, z: np.ndarray, w: np.ndarray
) -> None:
    # BCE_w = BCE + (w - 1) · mean(y · (-log σ(z))), term by term
    plain = lb.binary_crossentropy(y, z, from_logits=True)
    positive = np.mean(y * np.logaddexp(0.0, -z), axis=-1)  # y · softplus(-z)
    weighted_positive = np.mean(w * y * np.logaddexp(0.0, -z), axis=-1)
    got = lb.binary_crossentropy(y, z, from_logits=True, pos_weight=w)
    scale = plain + weighted_positive + positive  # the size of the terms that are added
    assert np.all(np.abs(got - (plain - positive + weighted_positive)) <= 64 * EPS * scale)


def test_pos_weight_zero_drops_the_positives() -> None:
    y = np.array([[1.0, 0.0, 1.0]])
    q = np.array([[0.0, 0.5, 1e-300]])  # -log 0 = inf on a positive with weight 0
    got = lb.binary_crossentropy(y, q, pos_weight=0.0)
    assert got[0] == pytest.approx(math.log(2) / 3, rel=1e-15)  # not NaN: 0 · log 0 = 0
    z = np.array([[-1e4, 0.0, -700.0]])
    got = lb.binary_crossentropy(y, z, from_logits=True, pos_weight=0.0)
    assert got[0] == pytest.approx(math.log(2) / 3, rel=1e-15)


def test_pos_weight_along_another_axis_and_dtypes() -> None:
    rng = np.random.default_rng(6)
    y = rng.integers(0, 2, size=(3, 5)).astype(np.float32)
    z = rng.normal(size=(3, 5)).astype(np.float32)
    w = np.array([0.5, 2.0, 4.0])  # float64 weights: the result stays float32
    got = lb.binary_crossentropy(y, z, from_logits=True, pos_weight=w, axis=0)
    assert got.dtype == np.float32 and got.shape == (5,)
    want = lb.binary_crossentropy(y.T, z.T, from_logits=True, pos_weight=w)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert lb.binary_crossentropy(y, z, pos_weight=2, from_logits=True).dtype == np.float32


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_pos_weight_from_extreme_logits_against_mpmath(dtype: type) -> None:
    # -[w y log σ(z) + (1 - y) log σ(-z)]: logits up to ±1e4 do not overflow, and
    # confident outputs keep their tiny losses (3 log1p(e^-40) = 1.3e-17)
    z = np.array([1e4, -1e4, 40.0, -40.0, 700.0, -745.0, 1e-8, 0.0, 3.5], dtype=dtype)
    w = np.array(3.0, dtype=dtype)
    tol = 8 * float(np.finfo(dtype).eps)
    for y in (np.ones_like(z), np.zeros_like(z), np.full_like(z, 0.3)):
        got = lb.binary_crossentropy(y[:, None], z[:, None], from_logits=True, pos_weight=w)
        assert got.dtype == dtype
        for yi, zi, g in zip(y.tolist(), z.tolist(), got.tolist(), strict=True):
            zm, ym = mpmath.mpf(zi), mpmath.mpf(yi)
            exact = 3 * ym * mpmath.log1p(mpmath.exp(-zm)) + (1 - ym) * mpmath.log1p(mpmath.exp(zm))
            if exact > float(np.finfo(dtype).max):
                continue
            assert g == pytest.approx(float(exact), rel=tol, abs=float(np.finfo(dtype).tiny))


# --- sparse_categorical_crossentropy(ignore_index) -------------------------------------


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 255, 0, 2])
def test_ignored_labels_cost_zero_and_the_others_are_unchanged(
    from_logits: bool, ignore_index: int
) -> None:
    rng = np.random.default_rng(8)
    z = rng.normal(scale=3.0, size=(40, 4))
    y_pred = z if from_logits else lb.softmax(z)
    labels = rng.integers(0, 4, size=40)
    ignored = rng.random(40) < 0.3
    if not 0 <= ignore_index < 4:
        labels = np.where(ignored, ignore_index, labels)
    ignored = labels == ignore_index
    got = lb.sparse_categorical_crossentropy(
        labels, y_pred, from_logits=from_logits, ignore_index=ignore_index
    )
    assert np.all(got[ignored] == 0.0) and not np.any(np.signbit(got))
    kept = lb.sparse_categorical_crossentropy(
        labels[~ignored], y_pred[~ignored], from_logits=from_logits
    )
    np.testing.assert_allclose(got[~ignored], kept, rtol=4 * EPS)  # the same numbers
    # and the weighted mean with the mask is the mean over the kept samples
    np.testing.assert_allclose(lb.weighted_mean(got, weights=~ignored), np.mean(kept), rtol=1e-14)


def test_ignore_index_on_token_level_labels() -> None:
    # (b, T) labels against (b, T, K) logits, padding -100: Σ loss / Σ tokens
    rng = np.random.default_rng(9)
    z = rng.normal(size=(3, 5, 6)).astype(np.float32)
    labels = rng.integers(0, 6, size=(3, 5))
    labels[0, 2:] = labels[2, 4:] = -100
    per_token = lb.sparse_categorical_crossentropy(labels, z, from_logits=True, ignore_index=-100)
    assert per_token.shape == (3, 5) and per_token.dtype == np.float32
    mask = labels != -100
    flat = lb.sparse_categorical_crossentropy(labels[mask], z[mask], from_logits=True)
    np.testing.assert_allclose(lb.weighted_mean(per_token, weights=mask), flat.mean(), rtol=1e-6)


def test_every_label_ignored() -> None:
    q = np.array([[0.5, 0.5], [0.1, 0.9]])
    got = lb.sparse_categorical_crossentropy([-1, -1], q, ignore_index=-1)
    np.testing.assert_array_equal(got, [0.0, 0.0])
    with pytest.raises(ValueError, match=r"^weights: sum to 0"):
        lb.weighted_mean(got, weights=np.array([-1, -1]) != -1)


def test_without_ignore_index_the_label_is_rejected_as_before() -> None:
    with pytest.raises(ValueError, match=r"^y_true: labels must lie in \[0, 2\), got -100\.\.1"):
        lb.sparse_categorical_crossentropy([1, -100], [[0.5, 0.5], [0.1, 0.9]])
    # and with it, the labels that count are still checked, and reported alone
    with pytest.raises(ValueError, match=r"^y_true: labels must lie in \[0, 2\), got 1\.\.2"):
        lb.sparse_categorical_crossentropy([1, -100, 2], np.full((3, 2), 0.5), ignore_index=-100)
    # an ignored label equal to a class: that class costs nothing
    got = lb.sparse_categorical_crossentropy([1, 0], [[0.5, 0.5], [0.0, 1.0]], ignore_index=0)
    np.testing.assert_array_equal(got, [math.log(2), 0.0])  # -log 0 = inf, but ignored
