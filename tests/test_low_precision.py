"""float16 input: every public function computes in float32 and returns float32.

The policy is lossbook's package docstring's (chapter 19, Low precision): float16
is promoted to float32 by the validation helpers, so each function gives what it
gives for the same values in float32, with a float32 result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import lossbook as lb

# probabilities that float16 holds exactly (dyadic), so every row sums to 1 exactly
P = [[0.125, 0.125, 0.75], [0.25, 0.25, 0.5]]
Q = [[0.25, 0.25, 0.5], [0.125, 0.625, 0.25]]
ONE_HOT = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
Z = [[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]]
Y = [[0.5, 1.0, 2.0], [1.5, 0.25, 3.0]]
OUT = [[0.75, 1.25, 1.5], [1.0, 0.5, 2.5]]
SIGNS = [[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0]]
BIN = [[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]]
UNIT = [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]]  # unit rows, exact
X1 = [[1.0, 2.0], [0.5, -1.0]]
X2 = [[0.5, 1.5], [1.0, 1.0]]
X3 = [[2.0, -1.0], [0.0, 0.5]]

# name -> (float arguments, other arguments and keywords as a function of them)
Call = Callable[[list[np.ndarray]], Any]
CALLS: dict[str, tuple[list[Any], Call]] = {
    "binary_crossentropy": ([BIN, Q], lambda a: lb.binary_crossentropy(*a)),
    "binary_focal_crossentropy": ([BIN, Q], lambda a: lb.binary_focal_crossentropy(*a)),
    "brier_score": ([ONE_HOT, Q], lambda a: lb.brier_score(*a)),
    "categorical_crossentropy": ([ONE_HOT, Q], lambda a: lb.categorical_crossentropy(*a)),
    "categorical_focal_crossentropy": (
        [ONE_HOT, Q],
        lambda a: lb.categorical_focal_crossentropy(*a),
    ),
    "categorical_generalized_cross_entropy": (
        [Q],
        lambda a: lb.categorical_generalized_cross_entropy([2, 1], a[0], q=0.7),
    ),
    "categorical_hinge": ([ONE_HOT, Z], lambda a: lb.categorical_hinge(*a)),
    "circle": ([UNIT], lambda a: lb.circle([0, 0, 1, 1], a[0])),
    "contrastive": ([X1, X2], lambda a: lb.contrastive([1, 0], *a)),
    "cosine_embedding": ([X1, X2], lambda a: lb.cosine_embedding([1, -1], *a)),
    "cosine_similarity": ([Y, OUT], lambda a: lb.cosine_similarity(*a)),
    "cross_entropy": ([P, Q], lambda a: lb.cross_entropy(*a)),
    "ctc_loss": (
        [[[Z[0], Z[1], Z[0]]]],
        lambda a: lb.ctc_loss([[1]], a[0], label_lengths=[1], logit_lengths=[3]),
    ),
    "dice": ([BIN, Q], lambda a: lb.dice(*a, axis=-1)),
    "distillation": ([Z, OUT], lambda a: lb.distillation(*a, temperature=2.0)),
    "entropy": ([P], lambda a: lb.entropy(a[0])),
    "expected_calibration_error": (
        [Q],
        lambda a: lb.expected_calibration_error([2, 1], a[0], n_bins=3),
    ),
    "gan_discriminator_loss": ([Z, OUT], lambda a: lb.gan_discriminator_loss(*a)),
    "gan_generator_loss": ([Z], lambda a: lb.gan_generator_loss(a[0])),
    "gaussian_kl": ([Z, OUT], lambda a: lb.gaussian_kl(*a)),
    "gaussian_nll": ([Y, OUT, Y], lambda a: lb.gaussian_nll(*a)),
    "hinge": ([SIGNS, Z], lambda a: lb.hinge(*a)),
    "hinge_embedding": ([SIGNS, Y], lambda a: lb.hinge_embedding(*a)),
    "huber": ([Y, OUT], lambda a: lb.huber(*a)),
    "info_nce": ([UNIT[:2], UNIT[2:]], lambda a: lb.info_nce(*a, temperature=0.5)),
    "kl_divergence": ([P, Q], lambda a: lb.kl_divergence(*a)),
    "log_cosh": ([Y, OUT], lambda a: lb.log_cosh(*a)),
    "log_softmax": ([Z], lambda a: lb.log_softmax(a[0])),
    "logsumexp": ([Z], lambda a: lb.logsumexp(a[0])),
    "mae": ([Y, OUT], lambda a: lb.mae(*a)),
    "mape": ([Y, OUT], lambda a: lb.mape(*a)),
    "margin_ranking": ([Z[0], OUT[0]], lambda a: lb.margin_ranking([1, -1, 1], *a)),
    "mean_absolute_error": ([Y, OUT], lambda a: lb.mean_absolute_error(*a)),
    "mean_absolute_percentage_error": (
        [Y, OUT],
        lambda a: lb.mean_absolute_percentage_error(*a),
    ),
    "mean_squared_error": ([Y, OUT], lambda a: lb.mean_squared_error(*a)),
    "mean_squared_logarithmic_error": (
        [Y, OUT],
        lambda a: lb.mean_squared_logarithmic_error(*a),
    ),
    "mse": ([Y, OUT], lambda a: lb.mse(*a)),
    "msle": ([Y, OUT], lambda a: lb.msle(*a)),
    "multi_margin": ([Z], lambda a: lb.multi_margin([2, 0], a[0])),
    "multilabel_margin": ([Z], lambda a: lb.multilabel_margin([[2, -1, 0], [0, 1, -1]], a[0])),
    "multilabel_soft_margin": ([BIN, Z], lambda a: lb.multilabel_soft_margin(*a)),
    "poisson": ([Y, OUT], lambda a: lb.poisson(*a)),
    "poisson_nll": ([Y, Z], lambda a: lb.poisson_nll(*a)),
    "quantile_loss": ([Y, OUT], lambda a: lb.quantile_loss(*a, q=0.3)),
    "smooth_l1": ([Y, OUT], lambda a: lb.smooth_l1(*a)),
    "soft_margin": ([SIGNS, Z], lambda a: lb.soft_margin(*a)),
    "softmax": ([Z], lambda a: lb.softmax(a[0])),
    "sparse_categorical_crossentropy": (
        [Q],
        lambda a: lb.sparse_categorical_crossentropy([2, 1], a[0]),
    ),
    "squared_hinge": ([SIGNS, Z], lambda a: lb.squared_hinge(*a)),
    "triplet_margin": ([X1, X2, X3], lambda a: lb.triplet_margin(*a)),
    "tversky": ([BIN, Q], lambda a: lb.tversky(*a, axis=-1)),
    "weighted_mean": ([Y], lambda a: lb.weighted_mean(a[0], weights=np.ones((2, 3)))),
}


def test_every_public_function_is_covered() -> None:
    assert set(CALLS) == set(lb.__all__) - {"setup"}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_float16_computes_and_returns_float32(name: str) -> None:
    args, call = CALLS[name]
    half = [np.asarray(x, dtype=np.float16) for x in args]
    single = [h.astype(np.float32) for h in half]  # the same values, exactly
    out16, out32 = np.asarray(call(half)), np.asarray(call(single))
    assert out16.dtype == np.float32, (name, out16.dtype)
    np.testing.assert_array_equal(out16, out32)


def test_float16_beside_float64_computes_in_float32() -> None:
    # the least precise floating input still decides, with float16 read as float32
    p16, q64 = np.asarray(P, dtype=np.float16), np.asarray(Q, dtype=np.float64)
    assert lb.kl_divergence(p16, q64).dtype == np.float32


def test_float16_overflow_is_avoided() -> None:
    # exp(12) = 162755 overflows float16 (max 65504); in float32 logsumexp is exact
    z = np.array([12.0, 0.0], dtype=np.float16)
    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(z)).any()
    assert float(lb.logsumexp(z)) == pytest.approx(12 + np.log1p(np.exp(-12)), rel=1e-6)
    # a loss above 65504 is representable: the squared error of 300 is 9e4
    assert float(lb.mse(np.array([0.0], np.float16), np.array([300.0], np.float16))) == 90000.0


def test_float16_inf_input_is_refused() -> None:
    # 7e4 rounds to inf in float16: the input check sees it
    with pytest.raises(ValueError, match=r"^y_pred: contains NaN or inf"):
        lb.mse(np.array([0.0], np.float16), np.array([np.inf], np.float16))
    with np.errstate(over="ignore"):  # a value above 65504 rounds to inf before lossbook sees it
        assert np.float16(7e4) == np.inf


def test_float16_probabilities_are_judged_by_the_float32_tolerance() -> None:
    # a float16 softmax rounds each entry to 2^-11 relative: its rows can miss 1 by more
    # than float32's sum tolerance, and the distribution check refuses them (a float32
    # softmax, or a loss from logits, is the way out)
    q16 = np.array([0.1, 0.2, 0.7], dtype=np.float16)
    assert abs(float(q16.astype(np.float64).sum()) - 1) > 3 * 10 * 1.2e-7
    with pytest.raises(ValueError, match=r"^p: probabilities along axis -1 must sum to 1"):
        lb.entropy(q16)
    z16 = np.array([[1.0, -2.0, 0.5]], dtype=np.float16)
    from_logits = lb.categorical_crossentropy([[0.0, 0.0, 1.0]], z16, from_logits=True)
    assert from_logits.dtype == np.float32
