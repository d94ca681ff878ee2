"""lossbook's speed, as ratios against TensorFlow and PyTorch (CPU), SciPy and a floor.

Every time is the median of several interleaved runs in this one process, on
the very same float32 arrays.  The floor is one ``np.add.reduce`` pass over each
input array: no loss can be computed without reading its inputs once, so
lossbook/floor says how many "passes over memory" a loss costs.  TensorFlow
and PyTorch get their inputs as tensors made beforehand (``tf.constant``;
``torch.from_numpy``, which shares the memory), so no conversion is timed; their
results are fetched with ``.numpy()``.

The benchmarks are data: each row of ``CASES`` names its inputs and gives each
implementation as one Python expression in them.  The expression is what is
timed and what the results page prints.  A new loss adds a row.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from timing import median_times

import lossbook as lb

GOAL_EXISTING = 1.5  # rows that stood before PyTorch joined: at most 1.5x the faster framework
GOAL_NEW = 2.0  # rows added since: at most 2x

PEERS = ("tensorflow", "pytorch")  # the frameworks; "faster" is the quicker of the two
LABELS = {"tensorflow": "TF", "pytorch": "PyTorch", "scipy": "SciPy"}

# --- the rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One row: one loss on inputs of one shape, computed by each implementation.

    ``inputs`` are names from ``INPUTS``; every other field but ``name``,
    ``shape``, ``goal`` and ``note`` is an expression in those names, or None
    where that library has no such loss.  ``scipy`` is the SciPy call, or
    NumPy's where SciPy has none.
    """

    name: str
    shape: tuple[int, ...]  # (rows, classes or outputs), or the shape for CTC and Dice
    inputs: tuple[str, ...]
    lossbook: str
    tensorflow: str | None
    pytorch: str | None
    scipy: str | None
    goal: float = GOAL_NEW
    note: str = ""  # how the frameworks' calls differ from lossbook's


MILLION, TALL = (1_000_000, 10), (10_000, 1000)
CTC_SHAPE, CTC_LABEL = (64, 100, 30), 20  # batch, frames, classes; label length
MASKS = (16, 128, 128)  # Dice: 16 masks of 128 × 128
EMBEDDINGS = (4096, 128)  # similarity losses: batch 4096, dimension 128

CASES = [
    *(
        Case(
            "categorical CE, logits",
            shape,
            ("y", "z"),
            "lb.categorical_crossentropy(y, z, from_logits=True)",
            "tf.keras.losses.categorical_crossentropy(y, z, from_logits=True)",
            'F.cross_entropy(z, y, reduction="none")',
            "-(y * scipy.special.log_softmax(z, axis=-1)).sum(axis=-1)",
            GOAL_EXISTING,
            "PyTorch takes the one-hot y as probability targets",
        )
        for shape in (MILLION, TALL)
    ),
    *(
        Case(
            "categorical CE, probabilities",
            shape,
            ("y", "p"),
            "lb.categorical_crossentropy(y, p)",
            "tf.keras.losses.categorical_crossentropy(y, p)",
            'F.cross_entropy(torch.log(p), y, reduction="none")',
            "-scipy.special.xlogy(y, p).sum(axis=-1)",
            GOAL_EXISTING,
            "Keras normalizes, then clips to [1e-7, 1 - 1e-7]; PyTorch takes log p as logits",
        )
        for shape in (MILLION, TALL)
    ),
    Case(
        "entropy",
        MILLION,
        ("p",),
        "lb.entropy(p)",
        "-tf.reduce_sum(tf.math.xlogy(p, p), axis=-1)",
        "torch.special.entr(p).sum(dim=-1)",
        "scipy.stats.entropy(p, axis=-1)",
        GOAL_EXISTING,
        "neither framework has an entropy loss",
    ),
    Case(
        "KL divergence",
        MILLION,
        ("p", "q"),
        "lb.kl_divergence(p, q)",
        "tf.keras.losses.kld(p, q)",
        'F.kl_div(torch.log(q), p, reduction="none").sum(dim=-1)',
        "scipy.special.rel_entr(p, q).sum(axis=-1)",
        GOAL_EXISTING,
        "Keras clips both to [1e-7, 1]; PyTorch takes log q",
    ),
    Case(
        "MSE",
        MILLION,
        ("y_true", "y_pred"),
        "lb.mean_squared_error(y_true, y_pred)",
        "tf.keras.losses.MSE(y_true, y_pred)",
        'F.mse_loss(y_pred, y_true, reduction="none").mean(dim=-1)',
        "np.mean(np.square(y_pred - y_true), axis=-1)",
        GOAL_EXISTING,
        "SciPy has no MSE: the SciPy column is NumPy",
    ),
    # rows added with PyTorch: the rest of lossbook, at the same size
    Case(
        "MAE",
        MILLION,
        ("y_true", "y_pred"),
        "lb.mean_absolute_error(y_true, y_pred)",
        "tf.keras.losses.MAE(y_true, y_pred)",
        'F.l1_loss(y_pred, y_true, reduction="none").mean(dim=-1)',
        "np.mean(np.abs(y_pred - y_true), axis=-1)",
        note="SciPy has no MAE: the SciPy column is NumPy",
    ),
    Case(
        "Huber (δ = 1)",
        MILLION,
        ("y_true", "y_pred"),
        "lb.huber(y_true, y_pred)",
        "tf.keras.losses.huber(y_true, y_pred)",
        'F.huber_loss(y_pred, y_true, reduction="none").mean(dim=-1)',
        "scipy.special.huber(1.0, y_pred - y_true).mean(axis=-1)",
    ),
    Case(
        "cross-entropy H(p, q)",
        MILLION,
        ("p", "q"),
        "lb.cross_entropy(p, q)",
        "tf.keras.losses.categorical_crossentropy(p, q)",
        'F.cross_entropy(torch.log(q), p, reduction="none")',
        "-scipy.special.xlogy(p, q).sum(axis=-1)",
        note="Keras normalizes and clips; PyTorch takes log q as logits",
    ),
    Case(
        "sparse CE, logits",
        MILLION,
        ("labels", "z"),
        "lb.sparse_categorical_crossentropy(labels, z, from_logits=True)",
        "tf.keras.losses.sparse_categorical_crossentropy(labels, z, from_logits=True)",
        'F.cross_entropy(z, labels, reduction="none")',
        "-np.take_along_axis(scipy.special.log_softmax(z, axis=-1), labels[:, None], -1)[:, 0]",
    ),
    Case(
        "binary CE, logits, pos_weight",
        MILLION,
        ("b", "z", "w"),
        "lb.binary_crossentropy(b, z, from_logits=True, pos_weight=w)",
        "tf.reduce_mean(tf.nn.weighted_cross_entropy_with_logits(b, z, w), axis=-1)",
        'F.binary_cross_entropy_with_logits(z, b, pos_weight=w, reduction="none").mean(dim=-1)',
        None,
        note="w: one weight per output",
    ),
    Case(
        "weighted mean, masked",
        MILLION,
        ("s", "mask"),
        "lb.weighted_mean(s, weights=mask)",
        "tf.reduce_sum(s * mask) / tf.reduce_sum(mask)",
        "(s * mask).sum() / mask.sum()",
        "np.average(s, weights=mask)",
        note="one number for the batch, Σ m ℓ / Σ m; neither framework has a function for it",
    ),
    Case(
        "binary CE, probabilities",
        MILLION,
        ("b", "s"),
        "lb.binary_crossentropy(b, s)",
        "tf.keras.losses.binary_crossentropy(b, s)",
        'F.binary_cross_entropy(s, b, reduction="none").mean(dim=-1)',
        "-(scipy.special.xlogy(b, s) + scipy.special.xlog1py(1 - b, -s)).mean(axis=-1)",
        note="Keras clips to [1e-7, 1 - 1e-7]; PyTorch clamps each log at -100",
    ),
    Case(
        "binary CE, logits",
        MILLION,
        ("b", "z"),
        "lb.binary_crossentropy(b, z, from_logits=True)",
        "tf.keras.losses.binary_crossentropy(b, z, from_logits=True)",
        'F.binary_cross_entropy_with_logits(z, b, reduction="none").mean(dim=-1)',
        "-(b * scipy.special.log_expit(z) + (1 - b) * scipy.special.log_expit(-z)).mean(-1)",
    ),
    Case(
        "log-sum-exp",
        MILLION,
        ("z",),
        "lb.logsumexp(z)",
        "tf.reduce_logsumexp(z, axis=-1)",
        "torch.logsumexp(z, dim=-1)",
        "scipy.special.logsumexp(z, axis=-1)",
    ),
    Case(
        "softmax",
        MILLION,
        ("z",),
        "lb.softmax(z)",
        "tf.nn.softmax(z, axis=-1)",
        "torch.softmax(z, dim=-1)",
        "scipy.special.softmax(z, axis=-1)",
    ),
    Case(
        "log-softmax",
        MILLION,
        ("z",),
        "lb.log_softmax(z)",
        "tf.nn.log_softmax(z, axis=-1)",
        "torch.log_softmax(z, dim=-1)",
        "scipy.special.log_softmax(z, axis=-1)",
    ),
]


# the loss zoo (issue 14): each loss as it lands, at the sizes; goal GOAL_NEW
CASES += [
    Case(
        "binary focal CE, probabilities",
        MILLION,
        ("b", "s"),
        lossbook="lb.binary_focal_crossentropy(b, s)",
        tensorflow="tf.keras.losses.binary_focal_crossentropy(b, s)",
        pytorch=None,
        scipy=None,
        note="Keras clips the cross-entropy term to [1e-7, 1 - 1e-7]",
    ),
    Case(
        "binary focal CE, logits",
        MILLION,
        ("b", "z"),
        lossbook="lb.binary_focal_crossentropy(b, z, from_logits=True)",
        tensorflow="tf.keras.losses.binary_focal_crossentropy(b, z, from_logits=True)",
        pytorch=None,
        scipy=None,
    ),
    Case(
        "categorical focal CE, probabilities",
        MILLION,
        ("y", "p"),
        lossbook="lb.categorical_focal_crossentropy(y, p)",
        tensorflow="tf.keras.losses.categorical_focal_crossentropy(y, p)",
        pytorch=None,
        scipy=None,
        note="Keras normalizes and clips",
    ),
    Case(
        "categorical focal CE, logits",
        MILLION,
        ("y", "z"),
        lossbook="lb.categorical_focal_crossentropy(y, z, from_logits=True)",
        tensorflow="tf.keras.losses.categorical_focal_crossentropy(y, z, from_logits=True)",
        pytorch=None,
        scipy=None,
        note="Keras takes a softmax of the logits, then clips",
    ),
    Case(
        "generalized CE (q = 0.7)",
        MILLION,
        ("labels", "p"),
        lossbook="lb.categorical_generalized_cross_entropy(labels, p, q=0.7)",
        tensorflow="tf.keras.losses.categorical_generalized_cross_entropy(labels, p, q=0.7)",
        pytorch=None,
        scipy=None,
    ),
    Case(
        "Brier score",
        MILLION,
        ("y", "p"),
        lossbook="lb.brier_score(y, p)",
        tensorflow=None,
        pytorch=None,
        scipy="np.sum(np.square(p - y), axis=-1)",
        note="no framework has it: the SciPy column is NumPy",
    ),
    Case(
        "expected calibration error",
        MILLION,
        ("labels", "p"),
        lossbook="lb.expected_calibration_error(labels, p)",
        tensorflow=None,
        pytorch=None,
        scipy=None,
    ),
    Case(
        "hinge",
        MILLION,
        ("signs", "z"),
        lossbook="lb.hinge(signs, z)",
        tensorflow="tf.keras.losses.hinge(signs, z)",
        pytorch=None,
        scipy="np.mean(np.maximum(1 - signs * z, 0), axis=-1)",
        note="the SciPy column is NumPy",
    ),
    Case(
        "squared hinge",
        MILLION,
        ("signs", "z"),
        lossbook="lb.squared_hinge(signs, z)",
        tensorflow="tf.keras.losses.squared_hinge(signs, z)",
        pytorch=None,
        scipy="np.mean(np.square(np.maximum(1 - signs * z, 0)), axis=-1)",
        note="the SciPy column is NumPy",
    ),
    Case(
        "categorical hinge",
        MILLION,
        ("y", "z"),
        lossbook="lb.categorical_hinge(y, z)",
        tensorflow="tf.keras.losses.categorical_hinge(y, z)",
        pytorch=None,
        scipy=None,
    ),
    Case(
        "soft margin",
        MILLION,
        ("signs", "z"),
        lossbook="lb.soft_margin(signs, z)",
        tensorflow=None,
        pytorch='F.soft_margin_loss(z, signs, reduction="none").mean(dim=-1)',
        scipy=None,
    ),
    Case(
        "multilabel soft margin",
        MILLION,
        ("b", "z"),
        lossbook="lb.multilabel_soft_margin(b, z)",
        tensorflow="tf.keras.losses.binary_crossentropy(b, z, from_logits=True)",
        pytorch='F.multilabel_soft_margin_loss(z, b, reduction="none")',
        scipy=None,
        note="Keras's binary cross-entropy from logits is the same loss",
    ),
    Case(
        "multi-margin",
        MILLION,
        ("labels", "z"),
        lossbook="lb.multi_margin(labels, z)",
        tensorflow=None,
        pytorch='F.multi_margin_loss(z, labels, reduction="none")',
        scipy=None,
    ),
    Case(
        "multilabel margin",
        MILLION,
        ("targets", "z"),
        lossbook="lb.multilabel_margin(targets, z)",
        tensorflow=None,
        pytorch='F.multilabel_margin_loss(z, targets, reduction="none")',
        scipy=None,
        note="targets: class indices ended by -1, then junk",
    ),
    Case(
        "hinge embedding",
        MILLION,
        ("signs", "x"),
        lossbook="lb.hinge_embedding(signs, x)",
        tensorflow=None,
        pytorch='F.hinge_embedding_loss(x, signs, reduction="none").mean(dim=-1)',
        scipy=None,
        note="x: distances >= 0",
    ),
    # issues 13 and 15
    Case(
        "log-cosh",
        MILLION,
        ("y_true", "y_pred"),
        lossbook="lb.log_cosh(y_true, y_pred)",
        tensorflow="tf.keras.losses.logcosh(y_true, y_pred)",
        pytorch=None,
        scipy=None,
    ),
    Case(
        "smooth L1 (β = 1)",
        MILLION,
        ("y_true", "y_pred"),
        lossbook="lb.smooth_l1(y_true, y_pred)",
        tensorflow=None,
        pytorch='F.smooth_l1_loss(y_pred, y_true, reduction="none").mean(dim=-1)',
        scipy=None,
    ),
    Case(
        "quantile (q = 0.9)",
        MILLION,
        ("y_true", "y_pred"),
        lossbook="lb.quantile_loss(y_true, y_pred, q=0.9)",
        tensorflow=None,
        pytorch=None,
        scipy="np.mean(np.maximum(0.9 * (y_true - y_pred), -0.1 * (y_true - y_pred)), axis=-1)",
        note="no framework has it: the SciPy column is NumPy",
    ),
    Case(
        "MSLE",
        MILLION,
        ("s", "u"),
        lossbook="lb.mean_squared_logarithmic_error(s, u)",
        tensorflow="tf.keras.losses.msle(s, u)",
        pytorch=None,
        scipy=None,
        note="Keras clips both at 1e-7 below",
    ),
    Case(
        "MAPE",
        MILLION,
        ("y_true", "y_pred"),
        lossbook="lb.mean_absolute_percentage_error(y_true, y_pred)",
        tensorflow="tf.keras.losses.mape(y_true, y_pred)",
        pytorch=None,
        scipy=None,
    ),
    Case(
        "Gaussian NLL",
        MILLION,
        ("y_true", "y_pred", "var"),
        lossbook="lb.gaussian_nll(y_true, y_pred, var)",
        tensorflow=None,
        pytorch='F.gaussian_nll_loss(y_pred, y_true, var, reduction="none").mean(dim=-1)',
        scipy=None,
    ),
    Case(
        "Poisson",
        MILLION,
        ("counts", "u"),
        lossbook="lb.poisson(counts, u)",
        tensorflow="tf.keras.losses.poisson(counts, u)",
        pytorch='F.poisson_nll_loss(u, counts, log_input=False, reduction="none").mean(dim=-1)',
        scipy="np.mean(u - scipy.special.xlogy(counts, u), axis=-1)",
        note="Keras adds 1e-7 inside the log, PyTorch 1e-8",
    ),
    Case(
        "Poisson NLL, log-rates",
        MILLION,
        ("counts", "y_pred"),
        lossbook="lb.poisson_nll(counts, y_pred)",
        tensorflow="tf.reduce_mean(tf.nn.log_poisson_loss(counts, y_pred), axis=-1)",
        pytorch='F.poisson_nll_loss(y_pred, counts, reduction="none").mean(dim=-1)',
        scipy=None,
    ),
    Case(
        "Dice",
        MASKS,
        ("mask", "s"),
        lossbook="lb.dice(mask, s, axis=(1, 2))",
        tensorflow="tf.keras.losses.dice(mask, s, axis=(1, 2))",
        pytorch=None,
        scipy=None,
        note="one loss per mask; Keras adds 1e-7 to the denominator",
    ),
    Case(
        "Tversky (α = β = ½)",
        MASKS,
        ("mask", "s"),
        lossbook="lb.tversky(mask, s, axis=(1, 2))",
        tensorflow="tf.keras.losses.tversky(mask, s, axis=(1, 2))",
        pytorch=None,
        scipy=None,
        note="one loss per mask",
    ),
    Case(
        "CTC",
        CTC_SHAPE,
        ("ctc_labels", "ctc_logits", "label_lengths", "logit_lengths"),
        lossbook="lb.ctc_loss(ctc_labels, ctc_logits, label_lengths=label_lengths,"
        " logit_lengths=logit_lengths)",
        tensorflow="tf.nn.ctc_loss(ctc_labels, ctc_logits, label_lengths, logit_lengths,"
        " logits_time_major=False, blank_index=0)",
        pytorch="F.ctc_loss(torch.log_softmax(ctc_logits, dim=-1).transpose(0, 1), ctc_labels,"
        ' logit_lengths, label_lengths, reduction="none")',
        scipy=None,
        note=f"labels of length {CTC_LABEL}, blank 0; PyTorch takes log-probabilities, time first",
    ),
    # issue 15: similarity, on embeddings of batch 4096 and dimension 128
    Case(
        "cosine similarity",
        EMBEDDINGS,
        ("z_a", "z_b"),
        lossbook="lb.cosine_similarity(z_a, z_b)",
        tensorflow="tf.keras.losses.cosine_similarity(z_a, z_b)",
        pytorch="-F.cosine_similarity(z_a, z_b, dim=-1)",
        scipy=None,
    ),
    Case(
        "cosine embedding",
        EMBEDDINGS,
        ("pair_signs", "z_a", "z_b"),
        lossbook="lb.cosine_embedding(pair_signs, z_a, z_b)",
        tensorflow=None,
        pytorch='F.cosine_embedding_loss(z_a, z_b, pair_signs, reduction="none")',
        scipy=None,
    ),
    Case(
        "margin ranking",
        MILLION,
        ("signs", "y_true", "y_pred"),
        lossbook="lb.margin_ranking(signs, y_true, y_pred)",
        tensorflow=None,
        pytorch='F.margin_ranking_loss(y_true, y_pred, signs, reduction="none")',
        scipy=None,
        note="elementwise: one loss per pair of scores",
    ),
    Case(
        "triplet margin",
        EMBEDDINGS,
        ("z_a", "z_b", "z_c"),
        lossbook="lb.triplet_margin(z_a, z_b, z_c)",
        tensorflow=None,
        pytorch='F.triplet_margin_loss(z_a, z_b, z_c, reduction="none")',
        scipy=None,
        note="anchor, positive, negative",
    ),
    Case(
        "contrastive",
        EMBEDDINGS,
        ("pair_bits", "z_a", "z_b"),
        lossbook="lb.contrastive(pair_bits, z_a, z_b)",
        tensorflow=None,
        pytorch=None,
        scipy=None,
    ),
    Case(
        "Circle",
        EMBEDDINGS,
        ("classes", "unit"),
        lossbook="lb.circle(classes, unit)",
        tensorflow="tf.keras.losses.circle(classes, unit)",
        pytorch=None,
        scipy=None,
        note="64 classes; the similarity matrix is 4096 × 4096",
    ),
    Case(
        "InfoNCE (τ = 0.1)",
        EMBEDDINGS,
        ("z_a", "z_b"),
        lossbook="lb.info_nce(z_a, z_b, temperature=0.1)",
        tensorflow="tf.keras.losses.sparse_categorical_crossentropy(tf.range(z_a.shape[0]),"
        " tf.matmul(tf.math.l2_normalize(z_a, -1), tf.math.l2_normalize(z_b, -1),"
        " transpose_b=True) / 0.1, from_logits=True)",
        pytorch="F.cross_entropy(F.normalize(z_a, dim=-1) @ F.normalize(z_b, dim=-1).T / 0.1,"
        ' torch.arange(z_a.shape[0]), reduction="none")',
        scipy=None,
        note="neither framework has InfoNCE: both are composed, as the book composes them",
    ),
    # issue 16: divergences and generative models
    Case(
        "Gaussian KL (VAE)",
        MILLION,
        ("y_true", "y_pred"),
        lossbook="lb.gaussian_kl(y_true, y_pred)",
        tensorflow=None,
        pytorch="torch.distributions.kl_divergence(torch.distributions.Normal(y_true,"
        " torch.exp(y_pred / 2)), torch.distributions.Normal(torch.zeros_like(y_true),"
        " torch.ones_like(y_true))).sum(dim=-1)",
        scipy="0.5 * np.sum(np.square(y_true) + np.expm1(y_pred) - y_pred, axis=-1)",
        note="mean and log-variance; PyTorch: torch.distributions (Normal takes the standard"
        " deviation); TensorFlow has none (no tensorflow_probability); the SciPy column is NumPy",
    ),
    Case(
        "GAN discriminator",
        MILLION,
        ("y_true", "z"),
        lossbook="lb.gan_discriminator_loss(y_true, z)",
        tensorflow="tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(y_true), y_true)"
        " + tf.nn.sigmoid_cross_entropy_with_logits(tf.zeros_like(z), z)",
        pytorch="F.binary_cross_entropy_with_logits(y_true, torch.ones_like(y_true),"
        ' reduction="none") + F.binary_cross_entropy_with_logits(z, torch.zeros_like(z),'
        ' reduction="none")',
        scipy=None,
        note="real and fake logits, elementwise: BCE(1, r) + BCE(0, f) from logits in both"
        " frameworks (tf.nn.sigmoid_cross_entropy_with_logits is what Keras's BCE calls)",
    ),
    Case(
        "GAN generator (non-saturating)",
        MILLION,
        ("z",),
        lossbook="lb.gan_generator_loss(z)",
        tensorflow="tf.nn.sigmoid_cross_entropy_with_logits(tf.ones_like(z), z)",
        pytorch='F.binary_cross_entropy_with_logits(z, torch.ones_like(z), reduction="none")',
        scipy=None,
        note="elementwise: BCE(1, f) from logits in both frameworks",
    ),
    Case(
        "distillation (T = 2)",
        MILLION,
        ("z", "y_pred"),
        lossbook="lb.distillation(z, y_pred, temperature=2.0)",
        tensorflow="tf.keras.losses.kld(tf.nn.softmax(z / 2), tf.nn.softmax(y_pred / 2)) * 4",
        pytorch='F.kl_div(F.log_softmax(y_pred / 2, -1), F.softmax(z / 2, -1), reduction="none")'
        ".sum(dim=-1) * 4",
        scipy="scipy.special.rel_entr(scipy.special.softmax(z / 2, axis=-1),"
        " scipy.special.softmax(y_pred / 2, axis=-1)).sum(axis=-1) * 4",
        note="teacher z, student y_pred; neither framework has the loss: Keras's KLDivergence"
        " of the two softmaxes (clipped to [1e-7, 1]), PyTorch's kl_div of log-softmax and"
        " softmax, both times T²",
    ),
]


@dataclass(frozen=True)
class Gap:
    """A readable form and a fast form of the same computation, timed against each other."""

    name: str
    shape: tuple[int, int]
    inputs: tuple[str, ...]
    readable: str
    fast: str
    lossbook_uses: str  # "readable" or "fast"
    why: str


GAPS = [
    Gap(
        "categorical CE from logits",
        MILLION,
        ("y", "z"),
        "lb.categorical_crossentropy(y, z, from_logits=True)",
        "fast_forms.categorical_crossentropy_from_logits(y, z)",
        "readable",
        "lossbook finds the largest logit of each row with `np.argmax` and picks it out"
        " and back with `take_along_axis` and `put_along_axis`; along a short last axis"
        " (K = 10) each of these restarts its loop for every row, as `np.sum` does (next"
        " row). The fast form copies the arrays to (K, N), where each reduction is K"
        " elementwise passes across all N rows, and finds the largest logit by"
        " comparison with the maximum. Same checks, same accuracy (log1p kept);"
        " but the code is layout bookkeeping that no longer reads like"
        " `(z_i - m) - log1p(Σ_{j≠k} exp(z_j - m))`, so lossbook keeps the formula.",
    ),
    Gap(
        "a sum along a short last axis",
        MILLION,
        ("p",),
        "np.sum(p, axis=-1)",
        "lb._validation.sum_along(p, -1)",
        "fast",
        "`np.sum` restarts its inner loop for every row of 10; `np.einsum('...k->...', p)`"
        " runs one loop across the rows. lossbook takes the fast form here: it is one"
        " line, private (`sum_along`), and the formulas still read Σ.",
    ),
]


# --- the inputs: float32 (labels int64), drawn once per shape -------------------------------


def _one_hot(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    return np.eye(shape[1], dtype=np.float32)[rng.integers(0, shape[1], size=shape[0])]


def _dirichlet(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    return rng.dirichlet(np.ones(shape[1]), size=shape[0]).astype(np.float32)


def _target_lists(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """PyTorch's multilabel targets: a random number of classes per row, then -1, then junk."""
    n, k = shape
    order = np.argsort(rng.random(shape), axis=1)  # a random permutation per row
    count = rng.integers(0, k + 1, size=(n, 1))
    targets = np.where(np.arange(k) < count, order, -1)
    junk = rng.integers(-1, k, size=shape)
    return np.where(np.arange(k) > count, junk, targets).astype(np.int64)


def _unit_rows(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """L2-normalized float32 rows, as Circle takes them."""
    x = rng.normal(size=shape)
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def _normal(scale: float) -> Callable[[np.random.Generator, tuple[int, int]], np.ndarray]:
    return lambda rng, shape: rng.normal(0, scale, size=shape).astype(np.float32)


INPUTS: dict[str, Callable[[np.random.Generator, tuple[int, int]], np.ndarray]] = {
    "y": _one_hot,  # one-hot targets
    "labels": lambda rng, shape: rng.integers(0, shape[1], size=shape[0]),  # int64
    "z": _normal(3.0),  # logits
    "p": _dirichlet,  # distributions
    "q": _dirichlet,
    "y_true": _normal(1.0),  # regression
    "y_pred": _normal(1.0),
    "b": lambda rng, shape: rng.integers(0, 2, size=shape).astype(np.float32),  # 0/1 targets
    "s": lambda rng, shape: rng.uniform(size=shape).astype(np.float32),  # probabilities
    "signs": lambda rng, shape: rng.choice(np.float32([-1, 1]), size=shape),  # hinge labels
    "targets": _target_lists,  # int64 class indices ended by -1
    "x": lambda rng, shape: np.abs(rng.normal(0, 2, size=shape)).astype(np.float32),
    "w": lambda rng, shape: rng.uniform(0.5, 2.0, size=shape[1]).astype(np.float32),
    "u": lambda rng, shape: rng.uniform(0.1, 10.0, size=shape).astype(np.float32),  # rates
    "var": lambda rng, shape: rng.uniform(0.1, 3.0, size=shape).astype(np.float32),
    "counts": lambda rng, shape: rng.poisson(4.0, size=shape).astype(np.float32),
    "mask": lambda rng, shape: (rng.random(shape) < 0.3).astype(np.float32),  # segmentation
    # CTC, for shape (batch, frames, classes): labels avoid the blank 0
    "ctc_logits": _normal(2.0),
    "ctc_labels": lambda rng, shape: rng.integers(1, shape[2], size=(shape[0], CTC_LABEL)),
    "label_lengths": lambda rng, shape: np.full(shape[0], CTC_LABEL),
    "logit_lengths": lambda rng, shape: np.full(shape[0], shape[1]),
    # similarity, for shape (batch, dimension)
    "z_a": _normal(1.0),
    "z_b": _normal(1.0),
    "z_c": _normal(1.0),
    "pair_signs": lambda rng, shape: rng.choice(np.float32([-1, 1]), size=shape[0]),
    "pair_bits": lambda rng, shape: rng.integers(0, 2, size=shape[0]).astype(np.float32),
    "classes": lambda rng, shape: rng.integers(0, 64, size=shape[0]),
    "unit": _unit_rows,
}


# --- the peers' names, the thread counts ------------------------------------------------------


def namespace(tf: Any, torch: Any) -> dict[str, Any]:
    """The names the expressions in CASES may use."""
    import fast_forms
    import scipy.special
    import scipy.stats

    return {
        "lb": lb,
        "np": np,
        "scipy": scipy,
        "tf": tf,
        "torch": torch,
        "F": torch.nn.functional,
        "fast_forms": fast_forms,
    }


def _blas() -> str:
    """NumPy's BLAS library and thread setting, from threadpoolctl if installed."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        deps = np.show_config(mode="dicts").get("Build Dependencies", {})
        name = deps.get("blas", {}).get("name", "unknown")
        variables = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
        setting = ", ".join(f"{v}={os.environ[v]}" for v in variables if v in os.environ)
        return (
            f"{name} ({setting or 'no thread variable set'}; threadpoolctl, which would"
            " read its thread count, is not installed)"
        )
    pools = [f"{p['internal_api']}: {p['num_threads']}" for p in threadpool_info()]
    return ", ".join(pools) or "none loaded"


def threads(tf: Any, torch: Any) -> dict[str, str]:
    """How many threads each implementation may use, as configured in this process."""
    cores = os.cpu_count() or 1
    intra = tf.config.threading.get_intra_op_parallelism_threads()
    inter = tf.config.threading.get_inter_op_parallelism_threads()

    def tf_count(n: int) -> str:
        return str(n) if n else f"0 (TensorFlow picks; this machine has {cores} cores)"

    return {
        "TensorFlow intra-op threads": tf_count(intra),
        "TensorFlow inter-op threads": tf_count(inter),
        "PyTorch threads (`torch.get_num_threads()`)": str(torch.get_num_threads()),
        "PyTorch inter-op threads": str(torch.get_num_interop_threads()),
        "NumPy and SciPy, hence lossbook": "1 (their elementwise operations and reductions"
        " run on the calling thread), except in BLAS",
        "NumPy's BLAS (only the Circle and InfoNCE rows multiply matrices)": _blas(),
    }


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Result:
    case: Case
    shape: tuple[int, ...]  # as measured (smaller than case.shape in a smoke run)
    seconds: dict[str, float]

    def ratio(self, baseline: str) -> float:
        """lossbook's time over ``baseline``'s (NaN if it has no such loss).

        "faster" is the quicker of the frameworks that have the loss.
        """
        if baseline == "faster":
            return self.seconds["lossbook"] / self.seconds[self.faster] if self.faster else math.nan
        return self.seconds["lossbook"] / self.seconds[baseline]

    @property
    def faster(self) -> str | None:
        peers = [p for p in PEERS if not math.isnan(self.seconds[p])]
        return min(peers, key=lambda p: self.seconds[p]) if peers else None

    @property
    def met(self) -> bool | None:
        """Whether the goal is met; None where no framework has the loss."""
        return None if self.faster is None else self.ratio("faster") <= self.case.goal


def _compile(expr: str, args: tuple[str, ...], names: dict[str, Any]) -> Callable[..., Any]:
    # the expressions come from CASES and GAPS above, never from outside
    return eval(f"lambda {', '.join(args)}: {expr}", names)


def _call(f: Callable[..., Any], args: list[Any], fetch: bool = False) -> Callable[[], Any]:
    """``f(*args)`` as a function of nothing; ``fetch``: a tensor's ``.numpy()`` too."""
    if fetch:
        return lambda: f(*args).numpy()
    return lambda: f(*args)


def _floor(*arrays: np.ndarray) -> list[Any]:
    """One np.add.reduce pass over each input: the least work any loss must do."""
    return [np.add.reduce(a.ravel()) for a in arrays]


def _check_agreement(case: Case, results: dict[str, Any]) -> None:
    """The same answer from every implementation, before anything is timed.

    Keras clips probabilities to [1e-7, 1 - 1e-7], so a few rows may differ.
    """
    want = np.asarray(results["lossbook"], dtype=np.float64)
    for name, got in results.items():
        differ = ~np.isclose(np.asarray(got, dtype=np.float64), want, rtol=1e-3, atol=1e-5)
        assert differ.mean() < 1e-3, f"{case.name}: {name} disagrees with lossbook"


def run(tf: Any, torch: Any, repeat: int = 7, seed: int = 0, shrink: int = 1) -> list[Result]:
    """Time every case; ``shrink`` divides the number of rows (a smoke run: shrink=100)."""
    names = namespace(tf, torch)
    results = []
    for case in CASES:
        rng = np.random.default_rng(seed)
        shape = (max(1, case.shape[0] // shrink), *case.shape[1:])
        arrays = [INPUTS[name](rng, shape) for name in case.inputs]
        tf_in = [tf.constant(a) for a in arrays]
        torch_in = [torch.from_numpy(a) for a in arrays]
        args = {"tensorflow": tf_in, "pytorch": torch_in}  # the rest take the NumPy arrays
        funcs = {
            name: _call(
                _compile(expr, case.inputs, names), args.get(name, arrays), fetch=name in args
            )
            for name in ("lossbook", "tensorflow", "pytorch", "scipy")
            if (expr := getattr(case, name)) is not None
        }
        funcs["floor"] = _call(_floor, arrays)
        _check_agreement(case, {k: f() for k, f in funcs.items() if k != "floor"})
        seconds = median_times(funcs, repeat=repeat)
        for name in ("tensorflow", "pytorch", "scipy"):
            seconds.setdefault(name, math.nan)
        results.append(Result(case, shape, seconds))
    return results


@dataclass
class GapResult:
    gap: Gap
    shape: tuple[int, int]
    seconds: dict[str, float]  # "readable", "fast"

    @property
    def ratio(self) -> float:
        """How many times the fast form's time the readable form takes."""
        return self.seconds["readable"] / self.seconds["fast"]


def run_gaps(repeat: int = 7, seed: int = 0, shrink: int = 1) -> list[GapResult]:
    import fast_forms

    names = {"lb": lb, "np": np, "fast_forms": fast_forms}
    results = []
    for gap in GAPS:
        rng = np.random.default_rng(seed)
        shape = (max(1, gap.shape[0] // shrink), gap.shape[1])
        arrays = [INPUTS[name](rng, shape) for name in gap.inputs]
        funcs = {
            "readable": _call(_compile(gap.readable, gap.inputs, names), arrays),
            "fast": _call(_compile(gap.fast, gap.inputs, names), arrays),
        }
        readable, fast = funcs["readable"](), funcs["fast"]()
        assert fast.dtype == readable.dtype, f"{gap.name}: the fast form computes in {fast.dtype}"
        np.testing.assert_allclose(fast, readable, rtol=1e-5, atol=1e-6)
        results.append(GapResult(gap, shape, median_times(funcs, repeat=repeat)))
    return results
