"""lossbook/divergence.py: the Gaussian KL of a VAE and the GAN losses from logits.

Values by hand, hypothesis properties (the KL is >= 0 and 0 only at mu = 0,
log_var = 0; the GAN losses are binary cross-entropies from logits), extreme
inputs against a 50-digit mpmath reference, dtypes and bad input.  Agreement
with torch.distributions, PyTorch's binary_cross_entropy_with_logits and Keras
lives in tests/test_against_pytorch.py and tests/test_against_tensorflow.py.
"""

from __future__ import annotations

import math

import hypothesis.extra.numpy as hnp
import hypothesis.strategies as st
import mpmath
import numpy as np
import pytest
from hypothesis import given

import lossbook as lb
from lossbook.divergence import _expm1_minus

mpmath.mp.dps = 50
EPS = float(np.finfo(np.float64).eps)


def exact_expm1_minus(x: float) -> mpmath.mpf:
    """e^x - 1 - x at the float x, to 50 significant digits.

    expm1(x) - x cancels about log10(1/|x|) digits, so the working precision
    grows with them (at 50 digits, x = 1e-115 would give exactly 0).
    """
    extra = 0 if x == 0 else max(0, -int(math.log10(abs(x))))
    with mpmath.workdps(60 + extra):
        return +(mpmath.expm1(mpmath.mpf(x)) - mpmath.mpf(x))


def exact_gaussian_kl(mu: list[float], log_var: list[float]) -> mpmath.mpf:
    """½ Σ (μ² + e^v - 1 - v) at the very float inputs, in 50 digits."""
    terms = [mpmath.mpf(m) ** 2 + exact_expm1_minus(v) for m, v in zip(mu, log_var, strict=True)]
    return mpmath.fsum(terms) / 2


def softplus(z: float) -> mpmath.mpf:
    """log(1 + e^z), exactly: -log σ(-z)."""
    return mpmath.log1p(mpmath.exp(mpmath.mpf(z)))


def rel_error(got: float, exact: mpmath.mpf) -> float:
    if exact == 0:
        return abs(got)
    return float(abs(mpmath.mpf(got) - exact) / abs(exact))


# --- gaussian_kl: values by hand ---------------------------------------------------------


def test_gaussian_kl_by_hand() -> None:
    assert lb.gaussian_kl([0.0, 0.0], [0.0, 0.0]) == 0.0  # q is the prior
    assert lb.gaussian_kl([1.0, 2.0], [0.0, 0.0]) == pytest.approx(2.5, rel=1e-15)  # ½ Σ μ²
    # σ² = 2: ½ (2 - 1 - log 2)
    expected = 0.5 * (1.0 - math.log(2.0))
    assert lb.gaussian_kl([0.0], [math.log(2.0)]) == pytest.approx(expected, rel=1e-15)
    # one value per sample, summed over the last axis
    mu = np.array([[0.0, 1.0], [2.0, 0.0]])
    log_var = np.array([[0.0, 0.0], [0.0, math.log(2.0)]])
    np.testing.assert_allclose(lb.gaussian_kl(mu, log_var), [0.5, 2.0 + expected], rtol=1e-15)


def test_gaussian_kl_axis_and_shapes() -> None:
    rng = np.random.default_rng(0)
    mu, log_var = rng.normal(size=(3, 4, 5)), rng.normal(size=(3, 4, 5))
    assert lb.gaussian_kl(mu, log_var).shape == (3, 4)
    np.testing.assert_allclose(
        lb.gaussian_kl(mu, log_var, axis=1),
        lb.gaussian_kl(np.moveaxis(mu, 1, -1), np.moveaxis(log_var, 1, -1)),
        rtol=1e-14,
    )
    assert np.ndim(lb.gaussian_kl([1.0, 2.0], [0.5, -0.5])) == 0  # one sample: a scalar


def test_gaussian_kl_matches_the_general_gaussian_kl() -> None:
    # KL(N(μ, σ²) ‖ N(0, 1)) = log(1/σ) + (σ² + μ²)/2 - 1/2, per dimension
    rng = np.random.default_rng(1)
    mu, log_var = rng.normal(size=(20, 3)), rng.normal(scale=2.0, size=(20, 3))
    sigma2 = np.exp(log_var)
    general = np.sum(-0.5 * log_var + 0.5 * (sigma2 + mu**2) - 0.5, axis=-1)
    np.testing.assert_allclose(lb.gaussian_kl(mu, log_var), general, rtol=1e-12)


# --- gaussian_kl: extremes against mpmath ------------------------------------------------

EXTREME_LOG_VARS = [0.0, 1e-300, -1e-300, 1e-17, 1e-9, -1e-9, 1e-5, -1e-5, 1e-3, 0.1, -0.3]
EXTREME_LOG_VARS += [0.4999, 0.5, -0.5, 0.5001, 1.0, 2.0, -5.0, 50.0, -50.0, 300.0, -700.0, 700.0]


@pytest.mark.parametrize("v", EXTREME_LOG_VARS)
@pytest.mark.parametrize("m", [0.0, 1e-8, 1.0, -3.0])
def test_gaussian_kl_extremes_against_mpmath(m: float, v: float) -> None:
    exact = exact_gaussian_kl([m], [v])
    got = float(lb.gaussian_kl([m], [v]))
    if exact < np.finfo(np.float64).tiny:  # underflows: judged by its absolute error
        assert abs(got - float(exact)) <= np.finfo(np.float64).tiny
    else:
        assert rel_error(got, exact) <= 4 * EPS, (m, v, got)


def test_gaussian_kl_keeps_relative_accuracy_where_the_textbook_formula_cancels() -> None:
    v = 1e-9  # e^v - 1 - v ≈ v²/2 = 5e-19
    textbook = -0.5 * (1 + v - math.exp(v))
    assert textbook == 0.0  # 1 + v and e^v round to the same float
    assert rel_error(float(lb.gaussian_kl([0.0], [v])), exact_gaussian_kl([0.0], [v])) < EPS


def test_gaussian_kl_overflow_is_inf_only_beyond_the_largest_float() -> None:
    assert np.isfinite(lb.gaussian_kl([0.0], [709.0]))
    with np.errstate(over="raise"):  # no warning escapes: overflow is handled inside
        assert lb.gaussian_kl([0.0], [800.0]) == math.inf


def test_expm1_minus_is_continuous_across_the_switch_at_one_half() -> None:
    for edge in (0.5, -0.5):
        x = np.array([np.nextafter(edge, 0.0), edge, np.nextafter(edge, 2 * edge)])
        got = _expm1_minus(x)
        for g, xi in zip(got, x, strict=True):
            exact = exact_expm1_minus(float(xi))
            assert rel_error(float(g), exact) <= 4 * EPS


@given(st.floats(-0.5, 0.5, allow_nan=False))
def test_expm1_minus_series_against_mpmath(x: float) -> None:
    exact = exact_expm1_minus(x)
    got = float(_expm1_minus(np.array([x]))[0])
    if exact < np.finfo(np.float64).tiny:
        assert abs(got) <= np.finfo(np.float64).tiny
    else:
        assert rel_error(got, exact) <= 4 * EPS


# --- gaussian_kl: properties --------------------------------------------------------------

# entries 0 or of magnitude >= 1e-150, so that every nonzero exact term (≥ v²/4) is a
# normal float64 and cannot underflow to 0
SIGNIFICANT = st.one_of(
    st.just(0.0),
    st.floats(1e-150, 50.0),
    st.floats(-50.0, -1e-150),
)


@given(
    hnp.arrays(np.float64, st.integers(1, 6), elements=SIGNIFICANT),
    hnp.arrays(np.float64, st.integers(1, 6), elements=SIGNIFICANT),
)
def test_gaussian_kl_is_nonnegative_and_zero_only_at_the_prior(
    mu: np.ndarray, log_var: np.ndarray
) -> None:
    k = min(mu.size, log_var.size)
    mu, log_var = mu[:k], log_var[:k]
    kl = float(lb.gaussian_kl(mu, log_var))
    assert kl >= 0.0
    at_prior = not np.any(mu) and not np.any(log_var)
    assert (kl == 0.0) == at_prior


@given(
    hnp.arrays(np.float64, 4, elements=st.floats(-1e3, 1e3)),
    hnp.arrays(np.float64, 4, elements=st.floats(-50.0, 50.0)),
)
def test_gaussian_kl_against_mpmath_on_random_inputs(mu: np.ndarray, log_var: np.ndarray) -> None:
    exact = exact_gaussian_kl(mu.tolist(), log_var.tolist())
    got = float(lb.gaussian_kl(mu, log_var))
    if exact < np.finfo(np.float64).tiny:
        assert abs(got - float(exact)) <= np.finfo(np.float64).tiny
    else:
        assert rel_error(got, exact) <= 8 * EPS  # a sum of four non-negative terms


@given(hnp.arrays(np.float64, 3, elements=st.floats(-10.0, 10.0)))
def test_gaussian_kl_is_even_in_mu(mu: np.ndarray) -> None:
    log_var = np.array([0.3, -1.0, 2.0])
    assert lb.gaussian_kl(mu, log_var) == lb.gaussian_kl(-mu, log_var)


def test_gaussian_kl_float32() -> None:
    rng = np.random.default_rng(2)
    mu = rng.normal(size=(50, 4)).astype(np.float32)
    log_var = rng.normal(size=(50, 4)).astype(np.float32)
    got = lb.gaussian_kl(mu, log_var)
    assert got.dtype == np.float32
    exact = lb.gaussian_kl(mu.astype(np.float64), log_var.astype(np.float64))
    np.testing.assert_allclose(got, exact, rtol=1e-6)
    # near the prior too: the float32 series keeps float32's relative accuracy
    small = np.float32([1e-4, -1e-4, 3e-3, 0.0])
    np.testing.assert_allclose(
        lb.gaussian_kl(small, small), lb.gaussian_kl(small.astype(np.float64), small), rtol=1e-6
    )
    assert lb.gaussian_kl(small, small).dtype == np.float32


# --- GAN losses: values by hand -----------------------------------------------------------


def test_gan_losses_by_hand() -> None:
    log2 = math.log(2.0)
    # D = 1/2 on both: -log(1/2) - log(1/2) = log 4
    assert lb.gan_discriminator_loss(0.0, 0.0) == pytest.approx(2 * log2, rel=1e-15)
    assert lb.gan_generator_loss(0.0) == pytest.approx(log2, rel=1e-15)
    assert lb.gan_generator_loss(0.0, non_saturating=False) == pytest.approx(-log2, rel=1e-15)
    # one value per pair, in the shape of the logits
    r, f = np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.0, -1.0])
    expected = [
        math.log1p(math.exp(-ri)) + math.log1p(math.exp(fi)) for ri, fi in zip(r, f, strict=True)
    ]
    np.testing.assert_allclose(lb.gan_discriminator_loss(r, f), expected, rtol=1e-15)
    assert lb.gan_discriminator_loss(r[:, None], f[:, None]).shape == (3, 1)  # (b, 1) stays


LOGITS = [0.0, 1e-300, -1e-300, 1e-8, 1.0, -1.0, 20.0, -20.0, 30.0, -30.0, 40.0, -40.0]
LOGITS += [700.0, -700.0, 745.0, -745.0, 1e4, -1e4, 1e300, -1e300]


@pytest.mark.parametrize("f", LOGITS)
def test_gan_generator_losses_against_mpmath(f: float) -> None:
    # non-saturating: -log σ(f) = softplus(-f); minimax: log σ(-f) = -softplus(f)
    for got, exact in (
        (lb.gan_generator_loss(f), softplus(-f)),
        (lb.gan_generator_loss(f, non_saturating=False), -softplus(f)),
    ):
        if abs(exact) < np.finfo(np.float64).tiny:
            assert abs(float(got)) <= np.finfo(np.float64).tiny
        else:
            assert rel_error(float(got), exact) <= 2 * EPS, (f, got)


@pytest.mark.parametrize("r", [1e4, -1e4, 30.0, -40.0, 0.0])
@pytest.mark.parametrize("f", [1e4, -1e4, -30.0, 40.0, 0.0])
def test_gan_discriminator_loss_against_mpmath(r: float, f: float) -> None:
    exact = softplus(-r) + softplus(f)  # -log σ(r) - log σ(-f)
    got = float(lb.gan_discriminator_loss(r, f))
    if exact < np.finfo(np.float64).tiny:
        assert abs(got) <= np.finfo(np.float64).tiny
    else:
        assert rel_error(got, exact) <= 4 * EPS, (r, f, got)


# --- GAN losses: the BCE identities, for every input ----------------------------------------

LOGIT_ARRAYS = hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e4, 1e4))


@given(LOGIT_ARRAYS, st.data())
def test_gan_losses_are_binary_cross_entropies_from_logits(
    f: np.ndarray, data: st.DataObject
) -> None:
    r = data.draw(hnp.arrays(np.float64, f.shape, elements=st.floats(-1e4, 1e4)))
    ones, zeros = np.ones((f.size, 1)), np.zeros((f.size, 1))

    def bce(y: np.ndarray, z: np.ndarray) -> np.ndarray:
        return np.asarray(lb.binary_crossentropy(y, z[:, None], from_logits=True))

    np.testing.assert_allclose(
        lb.gan_discriminator_loss(r, f), bce(ones, r) + bce(zeros, f), rtol=1e-12, atol=1e-300
    )
    np.testing.assert_allclose(lb.gan_generator_loss(f), bce(ones, f), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(
        lb.gan_generator_loss(f, non_saturating=False), -bce(zeros, f), rtol=1e-12, atol=1e-300
    )


@given(LOGIT_ARRAYS)
def test_the_two_generator_losses_differ_by_the_logit(f: np.ndarray) -> None:
    # -log σ(f) - (-log σ(-f)) = -f, so non-saturating + minimax = -f
    total = lb.gan_generator_loss(f) + lb.gan_generator_loss(f, non_saturating=False)
    np.testing.assert_allclose(total, -f, rtol=1e-12, atol=1e-12)


@given(LOGIT_ARRAYS)
def test_gan_losses_are_nonnegative_or_nonpositive_and_monotone(f: np.ndarray) -> None:
    ns, minimax = lb.gan_generator_loss(f), lb.gan_generator_loss(f, non_saturating=False)
    assert np.all(ns >= 0) and np.all(minimax <= 0)
    order = np.argsort(f)
    assert np.all(np.diff(ns[order]) <= 0)  # a more convincing fake has a lower loss
    assert np.all(np.diff(minimax[order]) <= 0)


@given(LOGIT_ARRAYS)
def test_discriminator_loss_is_at_least_log4_only_where_it_should_be(f: np.ndarray) -> None:
    # with r = f the discriminator cannot separate: -log σ(z) - log σ(-z) >= log 4, = at 0
    loss = lb.gan_discriminator_loss(f, f)
    assert np.all(loss >= 2 * math.log(2.0) * (1 - 4 * EPS))


def test_gan_losses_float32() -> None:
    z = np.float32([-1e4, -40.0, -3.0, 0.0, 2.5, 40.0, 1e4])
    for out in (
        lb.gan_discriminator_loss(z, z[::-1]),
        lb.gan_generator_loss(z),
        lb.gan_generator_loss(z, non_saturating=False),
    ):
        assert out.dtype == np.float32 and np.all(np.isfinite(out))
    np.testing.assert_allclose(
        lb.gan_generator_loss(z), lb.gan_generator_loss(z.astype(np.float64)), rtol=1e-6
    )


# --- bad input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: lb.gaussian_kl([0.0, 1.0], [[0.0], [1.0]]), r"^log_var: shape \(2, 1\)"),
        (lambda: lb.gaussian_kl([math.nan], [0.0]), r"^mu: contains NaN or inf"),
        (lambda: lb.gaussian_kl([0.0], [math.inf]), r"^log_var: contains NaN or inf"),
        (lambda: lb.gaussian_kl([0.0], [0.0], axis=1), r"^axis: 1 is out of range"),
        (lambda: lb.gan_discriminator_loss([0.0, 1.0], [0.0]), r"^fake_logits: shape \(1,\)"),
        (lambda: lb.gan_discriminator_loss([math.inf], [0.0]), r"^real_logits: contains NaN"),
        (lambda: lb.gan_generator_loss([math.nan]), r"^fake_logits: contains NaN or inf"),
        (lambda: lb.gan_generator_loss([0.0], non_saturating=1), r"^non_saturating: must be"),
        (lambda: lb.gan_generator_loss(["a"]), r"^fake_logits: expected real numbers"),
    ],
)
def test_bad_input(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]
