"""Losses between distributions: the Gaussian KL of a VAE, and the GAN losses from logits.

``gaussian_kl`` is the KL term of the evidence lower bound (ELBO): the
divergence of a diagonal Gaussian from the standard normal, summed over the
latent dimensions.  The GAN losses take the discriminator's logits, one per
sample, and are built from the binary cross-entropy from logits: each is a sum
of log-sigmoids, -log σ(z) = softplus(-z), which stay finite and exact for any
finite logit.  ``distillation`` is the KL divergence between a teacher's and
a student's softmax at a temperature T, from their logits.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ._validation import (
    FloatArray,
    Result,
    as_float,
    as_float_pair,
    check_axis,
    check_open,
    reduced,
    sum_along,
)
from .classification import _log_sigmoid, _log_softmax

# 1/k! for k = 2..16: Σ_k x^k / k! is e^x - 1 - x to float64 precision for |x| < 1/2
_SERIES = tuple(1 / math.factorial(k) for k in range(2, 17))


def _expm1_minus(x: FloatArray) -> FloatArray:
    """e^x - 1 - x ≥ 0 elementwise, without cancellation near x = 0.

    expm1(x) - x where |x| ≥ 1/2; there the subtraction loses at most two
    bits.  Below, where it would lose all of them as x → 0, the Taylor series
    x² (1/2! + x/3! + ... + x^14/16!), whose first omitted term is below 1e-17
    of the sum.  +inf once e^x overflows.
    """
    with np.errstate(over="ignore"):
        out: FloatArray = np.expm1(x) - x
    small = np.abs(x) < 0.5
    xs = x[small]
    series = np.full_like(xs, _SERIES[-1])
    for c in reversed(_SERIES[:-1]):  # Horner's rule
        series = series * xs + c
    out[small] = series * xs * xs
    return out


def gaussian_kl(mu: npt.ArrayLike, log_var: npt.ArrayLike, *, axis: int = -1) -> Result:
    """Gaussian KL = ½ Σ_i (μ_i² + e^{v_i} - 1 - v_i) = KL(N(μ, diag e^v) ‖ N(0, I)), v = log σ².

    The closed-form KL divergence of the diagonal Gaussian q(z|x) =
    N(μ, diag σ²) from the standard normal prior N(0, I): the KL term of a
    VAE's ELBO.  ``log_var`` holds v = log σ² (what an encoder outputs), with
    the shape of ``mu``.  e^v - 1 - v is computed without cancellation (from
    expm1 and, near v = 0, its Taylor series), so the result keeps its
    relative accuracy when σ² is close to 1, and stays finite for log-variances
    of ±50 and beyond (+inf only once e^v overflows).  Every term is ≥ 0: the
    KL is 0 only at μ = 0, v = 0.  Natural log (nats).
    Conventions: argument order (mu, log_var); sums over ``axis`` (the latent
    dimensions); returns one value per sample (a NumPy scalar for 1-D input).

    Derived in chapter 17, The losses of generative models
    (chapters/17_generative_losses.ipynb).
    """
    m, v = as_float_pair(mu, log_var, ("mu", "log_var"))
    axis = check_axis(m, axis, "mu")
    return reduced(0.5 * sum_along(m * m + _expm1_minus(v), axis))


def gan_discriminator_loss(real_logits: npt.ArrayLike, fake_logits: npt.ArrayLike) -> Result:
    """GAN discriminator loss = -log σ(r) - log σ(-f) = BCE(1, r) + BCE(0, f), from logits.

    The negative of the GAN value function for one real sample, with the
    discriminator's logit r = logit D(x), and one generated sample, with
    f = logit D(G(z)): -[log D(x) + log(1 - D(G(z)))].  The two terms are the
    binary cross-entropies from logits with targets 1 (real) and 0 (fake),
    each computed as a log-sigmoid, so nothing overflows or rounds to 0 for
    logits of ±1e4.  "Per sample" means per pair: ``real_logits`` and
    ``fake_logits`` have the same shape, one logit per sample (shape (b,), or
    (b, 1) as a Keras model outputs), and the i-th result is the sum of the
    i-th real term and the i-th fake term.  No axis is reduced: returns one
    value per pair, in the shape of the logits (a NumPy scalar for one pair);
    their mean over the batch is the discriminator's loss.  Natural log (nats).

    Derived in chapter 17, The losses of generative models
    (chapters/17_generative_losses.ipynb).
    """
    r, f = as_float_pair(real_logits, fake_logits, ("real_logits", "fake_logits"))
    return reduced(-(_log_sigmoid(r) + _log_sigmoid(-f)))


def gan_generator_loss(fake_logits: npt.ArrayLike, *, non_saturating: bool = True) -> Result:
    """GAN generator loss = -log σ(f) (non-saturating) or log σ(-f) = log(1 - D(G(z))).

    ``fake_logits`` f = logit D(G(z)) are the discriminator's logits on
    generated samples.  The non-saturating loss (the default, as Goodfellow et
    al. recommend) is -log D(G(z)) = BCE(1, f): the generator's samples
    labelled "real".  ``non_saturating=False`` gives the minimax loss
    log(1 - D(G(z))) = -BCE(0, f) ≤ 0, the generator's part of the value
    function, whose gradient vanishes where the discriminator rejects the
    samples (f → -∞).  Both are computed as log-sigmoids: finite and exact for
    any finite logit.  No axis is reduced: returns one value per logit, that
    is per generated sample, in the shape of ``fake_logits`` (a NumPy scalar
    for one sample); the generator minimizes their mean.  Natural log (nats).

    Derived in chapter 17, The losses of generative models
    (chapters/17_generative_losses.ipynb).
    """
    if not isinstance(non_saturating, bool | np.bool_):
        raise ValueError(f"non_saturating: must be True or False, got {non_saturating!r}")
    f = as_float(fake_logits, "fake_logits")
    return reduced(-_log_sigmoid(f) if non_saturating else _log_sigmoid(-f))


def distillation(
    teacher_logits: npt.ArrayLike, student_logits: npt.ArrayLike, *, temperature: float
) -> Result:
    """Distillation = T² KL(softmax(t/T) ‖ softmax(s/T)) = T² Σ_k p_k (log p_k - log q_k).

    The soft-target loss of Hinton, Vinyals and Dean (2015): p = softmax(t/T)
    is the teacher's distribution and q = softmax(s/T) the student's, both at
    the temperature T = ``temperature`` > 0.  Its gradient with respect to the
    student's logits is T (q - p); the factor T² keeps the loss on the scale of
    the hard-label cross-entropy as T changes.  Computed from the two
    log-softmaxes (shifted by the largest logit), so it stays finite and
    accurate for logits of 1e4 and for probabilities that underflow to 0; a
    rounding error that would make a row slightly negative is clipped to 0.
    Adding a constant to either row of logits changes nothing.  Natural log
    (nats).  Conventions: argument order (teacher_logits, student_logits),
    like (p, q) in ``kl_divergence``; both of shape (..., K); the class axis
    is the last (there is no ``axis`` argument); returns one value per sample
    (a NumPy scalar for one row of logits).

    Derived in chapter 18, Knowledge distillation (chapters/18_distillation.ipynb).
    """
    t, s = as_float_pair(teacher_logits, student_logits, ("teacher_logits", "student_logits"))
    tau = check_open(temperature, "temperature")
    check_axis(t, -1, "teacher_logits")
    log_p, log_q = _log_softmax(t / tau, -1), _log_softmax(s / tau, -1)
    kl = sum_along(np.exp(log_p) * (log_p - log_q), -1)
    return reduced(tau * tau * np.maximum(kl, 0))
