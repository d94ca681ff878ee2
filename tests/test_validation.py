"""Every kind of bad input raises ValueError with a message that names the argument."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import lossbook as lb

P = [0.1, 0.1, 0.1, 0.7]
ONE_HOT = [0.0, 0.0, 0.0, 1.0]
NAN = math.nan
INF = math.inf

Case = tuple[Callable[[], Any], str]

CASES: dict[str, Case] = {
    # shapes must match exactly: the classic (b,) vs (b, 1) trap
    "mse (b,) vs (b,1)": (
        lambda: lb.mse([1.0, 2.0], [[1.0], [2.0]]),
        r"^y_pred: shape \(2, 1\) does not match y_true shape \(2,\)",
    ),
    "mae (b,1) vs (b,)": (
        lambda: lb.mae([[1.0], [2.0]], [1.0, 2.0]),
        r"^y_pred: shape \(2,\) does not match y_true shape \(2, 1\)",
    ),
    "huber shape": (lambda: lb.huber([1.0, 2.0], [1.0, 2.0, 3.0]), r"^y_pred: shape"),
    "kl shape": (
        lambda: lb.kl_divergence(P, P[:3] + [0.6, 0.1]),
        r"^q: shape \(5,\) does not match p shape \(4,\)",
    ),
    "cross_entropy shape": (
        lambda: lb.cross_entropy([P, P], P),
        r"^q: shape \(4,\) does not match p shape \(2, 4\)",
    ),
    "cce shape": (
        lambda: lb.categorical_crossentropy([ONE_HOT], P),
        r"^y_pred: shape \(4,\) does not match y_true shape \(1, 4\)",
    ),
    "bce shape": (lambda: lb.binary_crossentropy([1.0, 0.0], [[0.5, 0.5]]), r"^y_pred: shape"),
    "sparse one-hot labels": (
        lambda: lb.sparse_categorical_crossentropy([ONE_HOT], [P]),
        r"^y_true: shape \(1, 4\) does not match y_pred shape \(1, 4\) without axis -1",
    ),
    "sparse (b,1) labels": (
        lambda: lb.sparse_categorical_crossentropy([[3], [1]], [P, P]),
        r"^y_true: shape \(2, 1\)",
    ),
    # NaN and inf
    "entropy nan": (lambda: lb.entropy([NAN, 1.0]), r"^p: contains NaN or inf"),
    "kl q inf": (lambda: lb.kl_divergence(P, [INF, 0.0, 0.0, 0.0]), r"^q: contains NaN or inf"),
    "mse nan y_true": (lambda: lb.mse([NAN], [1.0]), r"^y_true: contains NaN or inf"),
    "mae inf y_pred": (lambda: lb.mae([1.0], [-INF]), r"^y_pred: contains NaN or inf"),
    "huber nan": (lambda: lb.huber([1.0], [NAN]), r"^y_pred: contains NaN"),
    "softmax inf": (lambda: lb.softmax([INF, 0.0]), r"^z: contains NaN or inf"),
    "log_softmax -inf": (lambda: lb.log_softmax([-INF, 0.0]), r"^z: contains NaN or inf"),
    "logsumexp nan": (lambda: lb.logsumexp([NAN]), r"^z: contains NaN or inf"),
    "cce logits inf": (
        lambda: lb.categorical_crossentropy(ONE_HOT, [0.0, 0.0, 0.0, INF], from_logits=True),
        r"^y_pred: contains NaN or inf",
    ),
    "bce logits nan": (
        lambda: lb.binary_crossentropy([1.0], [NAN], from_logits=True),
        r"^y_pred: contains NaN",
    ),
    "sparse label nan": (
        lambda: lb.sparse_categorical_crossentropy([NAN], [P]),
        r"^y_true: contains NaN or inf",
    ),
    "nan float32": (
        lambda: lb.entropy(np.array([NAN, 1.0], dtype=np.float32)),
        r"^p: contains NaN or inf",
    ),
    # negative probabilities
    "entropy negative": (lambda: lb.entropy([-0.1, 1.1]), r"^p: probabilities must be >= 0"),
    "kl q negative": (
        lambda: lb.kl_divergence(P, [-0.1, 0.2, 0.2, 0.7]),
        r"^q: probabilities must be >= 0",
    ),
    "cce y_true negative": (
        lambda: lb.categorical_crossentropy([-0.5, 0.5, 0.5, 0.5], P),
        r"^y_true: probabilities must be >= 0",
    ),
    "cce y_pred negative": (
        lambda: lb.categorical_crossentropy(ONE_HOT, [-0.1, 0.2, 0.2, 0.7]),
        r"^y_pred: probabilities must be >= 0",
    ),
    "sparse y_pred negative": (
        lambda: lb.sparse_categorical_crossentropy([0], [[-0.1, 1.1]]),
        r"^y_pred: probabilities must be >= 0",
    ),
    "bce y_pred negative": (
        lambda: lb.binary_crossentropy([1.0], [-0.01]),
        r"^y_pred: probabilities must be >= 0",
    ),
    "bce y_true negative": (
        lambda: lb.binary_crossentropy([-1.0], [0.5]),
        r"^y_true: probabilities must be >= 0",
    ),
    "bce y_true negative, logits": (
        lambda: lb.binary_crossentropy([-1.0], [0.5], from_logits=True),
        r"^y_true: probabilities must be >= 0",
    ),
    # probabilities above 1
    "bce y_pred > 1": (
        lambda: lb.binary_crossentropy([1.0], [1.01]),
        r"^y_pred: probabilities must be <= 1",
    ),
    "bce y_true > 1": (
        lambda: lb.binary_crossentropy([2.0], [0.5]),
        r"^y_true: probabilities must be <= 1",
    ),
    "bce y_true > 1, logits": (
        lambda: lb.binary_crossentropy([2.0], [0.5], from_logits=True),
        r"^y_true: probabilities must be <= 1",
    ),
    "entropy > 1": (lambda: lb.entropy([1.5, -0.5]), r"^p: probabilities must be >= 0"),
    # rows that do not sum to 1
    "entropy sum": (
        lambda: lb.entropy([0.5, 0.6]),
        r"^p: probabilities along axis -1 must sum to 1",
    ),
    "entropy sum 2-D": (
        lambda: lb.entropy([[0.5, 0.5], [0.2, 0.2]]),
        r"^p: probabilities along axis -1 must sum to 1",
    ),
    "entropy zeros": (
        lambda: lb.entropy([0.0, 0.0]),
        r"^p: probabilities along axis -1 must sum to 1",
    ),
    "entropy wrong axis": (
        lambda: lb.entropy([[0.5, 0.5], [0.2, 0.8]], axis=0),
        r"^p: probabilities along axis 0 must sum to 1",
    ),
    "kl q sum": (
        lambda: lb.kl_divergence(P, [0.25, 0.25, 0.25, 0.2]),
        r"^q: probabilities along axis -1 must sum to 1",
    ),
    "cross_entropy p sum": (
        lambda: lb.cross_entropy([1.0, 1.0], [0.5, 0.5]),
        r"^p: probabilities along axis -1 must sum to 1",
    ),
    "cce y_true sum": (
        lambda: lb.categorical_crossentropy([1.0, 1.0, 0.0, 0.0], P),
        r"^y_true: probabilities along axis -1 must sum to 1",
    ),
    "cce y_pred sum": (
        lambda: lb.categorical_crossentropy(ONE_HOT, [0.2, 0.2, 0.2, 0.2]),
        r"^y_pred: probabilities along axis -1 must sum to 1",
    ),
    "cce y_pred sum, epsilon": (
        lambda: lb.categorical_crossentropy(ONE_HOT, [0.2, 0.2, 0.2, 0.2], epsilon=1e-7),
        r"^y_pred: probabilities along axis -1 must sum to 1",
    ),
    "cce y_true sum, logits": (
        lambda: lb.categorical_crossentropy(
            [0.5, 0.0, 0.0, 0.0], [1.0, 2.0, 3.0, 4.0], from_logits=True
        ),
        r"^y_true: probabilities along axis -1 must sum to 1",
    ),
    "sparse y_pred sum": (
        lambda: lb.sparse_categorical_crossentropy([0], [[0.5, 0.6]]),
        r"^y_pred: probabilities along axis -1 must sum to 1",
    ),
    "float64 sum off by 1e-6": (
        lambda: lb.entropy([0.5, 0.5 + 1e-6]),
        r"^p: probabilities along axis -1 must sum to 1",
    ),
    "float32 sum off by 1e-4": (
        lambda: lb.entropy(np.array([0.5, 0.5 + 1e-4], dtype=np.float32)),
        r"^p: probabilities along axis -1 must sum to 1",
    ),
    # labels out of range or not integers
    "label == K": (
        lambda: lb.sparse_categorical_crossentropy([4], [P]),
        r"^y_true: labels must lie in \[0, 4\)",
    ),
    "label negative": (
        lambda: lb.sparse_categorical_crossentropy([-1], [P]),
        r"^y_true: labels must lie in \[0, 4\)",
    ),
    "label out of range, logits": (
        lambda: lb.sparse_categorical_crossentropy([7], [P], from_logits=True),
        r"^y_true: labels must lie in \[0, 4\)",
    ),
    "label 1.5": (
        lambda: lb.sparse_categorical_crossentropy([1.5], [P]),
        r"^y_true: labels must be integers",
    ),
    "label string": (
        lambda: lb.sparse_categorical_crossentropy(["a"], [P]),
        r"^y_true: expected real numbers",
    ),
    # hyperparameters
    "cce smoothing < 0": (
        lambda: lb.categorical_crossentropy(ONE_HOT, P, label_smoothing=-0.1),
        r"^label_smoothing: must lie in \[0, 1\]",
    ),
    "cce smoothing > 1": (
        lambda: lb.categorical_crossentropy(ONE_HOT, P, label_smoothing=1.5),
        r"^label_smoothing: must lie in \[0, 1\]",
    ),
    "bce smoothing nan": (
        lambda: lb.binary_crossentropy([1.0], [0.5], label_smoothing=NAN),
        r"^label_smoothing: must lie in \[0, 1\]",
    ),
    "base 0": (lambda: lb.entropy(P, base=0), r"^base: must be finite, > 0 and != 1"),
    "base negative": (
        lambda: lb.kl_divergence(P, P, base=-2),
        r"^base: must be finite, > 0 and != 1",
    ),
    "base 1": (lambda: lb.cross_entropy(P, P, base=1), r"^base: must be finite, > 0 and != 1"),
    "base 1.0": (lambda: lb.entropy(P, base=1.0), r"^base: must be finite, > 0 and != 1"),
    "base inf": (lambda: lb.entropy(P, base=INF), r"^base: must be finite"),
    "base nan": (lambda: lb.entropy(P, base=NAN), r"^base: must be finite"),
    "epsilon 0": (
        lambda: lb.categorical_crossentropy(ONE_HOT, P, epsilon=0.0),
        r"^epsilon: must lie in \(0, 0.5\)",
    ),
    "epsilon 0.5": (
        lambda: lb.binary_crossentropy([1.0], [0.5], epsilon=0.5),
        r"^epsilon: must lie in \(0, 0.5\)",
    ),
    "epsilon with logits": (
        lambda: lb.categorical_crossentropy(ONE_HOT, P, epsilon=1e-7, from_logits=True),
        r"^epsilon: clipping applies to probabilities",
    ),
    "delta 0": (lambda: lb.huber([1.0], [2.0], delta=0.0), r"^delta: must be finite and > 0"),
    "delta negative": (
        lambda: lb.huber([1.0], [2.0], delta=-1.0),
        r"^delta: must be finite and > 0",
    ),
    "delta inf": (lambda: lb.huber([1.0], [2.0], delta=INF), r"^delta: must be finite and > 0"),
    # axis and dimensions
    "axis out of range": (
        lambda: lb.entropy(P, axis=1),
        r"^axis: 1 is out of range for p with shape \(4,\)",
    ),
    "axis not int": (lambda: lb.softmax(P, axis=None), r"^axis: must be an int"),  # type: ignore[arg-type]
    "scalar input": (
        lambda: lb.mse(1.0, 2.0),
        r"^axis: -1 is out of range for y_pred with shape \(\)",
    ),
    "empty axis": (lambda: lb.mse([], []), r"^y_pred: axis -1 is empty"),
    "empty softmax": (lambda: lb.softmax(np.zeros((3, 0))), r"^z: axis -1 is empty"),
    # not numbers
    "ragged": (
        lambda: lb.mse([[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0]]),
        r"^y_true: cannot be converted to an array",
    ),
    "complex": (lambda: lb.softmax([1j, 2.0]), r"^z: expected real numbers, got dtype complex128"),
    "strings": (lambda: lb.entropy(["a", "b"]), r"^p: expected real numbers"),
    # reductions, pos_weight and ignore_index (issue 13)
    "weighted_mean shape": (
        lambda: lb.weighted_mean([1.0, 2.0], weights=[[1.0], [1.0]]),
        r"^weights: shape \(2, 1\) does not match losses shape \(2,\)",
    ),
    "weighted_mean weights negative": (
        lambda: lb.weighted_mean([1.0, 2.0], weights=[1.0, -0.5]),
        r"^weights: must be >= 0, got min -0.5",
    ),
    "weighted_mean weights nan": (
        lambda: lb.weighted_mean([1.0, 2.0], weights=[1.0, NAN]),
        r"^weights: contains NaN or inf",
    ),
    "weighted_mean losses inf": (
        lambda: lb.weighted_mean([1.0, INF], weights=[1.0, 0.0]),
        r"^losses: contains NaN or inf",
    ),
    "weighted_mean zero total": (
        lambda: lb.weighted_mean([1.0, 2.0], weights=[0, 0]),
        r"^weights: sum to 0, so the weighted mean is 0/0",
    ),
    "weighted_mean zero row": (
        lambda: lb.weighted_mean([[1.0], [2.0]], weights=[[1.0], [0.0]], axis=-1),
        r"^weights: sum to 0 along axis -1 in at least one row",
    ),
    "weighted_mean empty": (
        lambda: lb.weighted_mean([], weights=[]),
        r"^weights: sum to 0",
    ),
    "weighted_mean axis": (
        lambda: lb.weighted_mean([1.0], weights=[1.0], axis=1),
        r"^axis: 1 is out of range for losses with shape \(1,\)",
    ),
    "pos_weight negative": (
        lambda: lb.binary_crossentropy([1.0], [0.5], pos_weight=-1.0),
        r"^pos_weight: must be >= 0, got min -1.0",
    ),
    "pos_weight shape": (
        lambda: lb.binary_crossentropy([[1.0, 0.0]], [[0.5, 0.5]], pos_weight=[1.0, 2.0, 3.0]),
        r"^pos_weight: shape \(3,\) must be \(\) or \(2,\)",
    ),
    "pos_weight nan, logits": (
        lambda: lb.binary_crossentropy([1.0], [0.5], from_logits=True, pos_weight=NAN),
        r"^pos_weight: contains NaN or inf",
    ),
    "ignore_index float": (
        lambda: lb.sparse_categorical_crossentropy([1, -100], [P, P], ignore_index=-100.0),  # type: ignore[arg-type]
        r"^ignore_index: must be an int or None, got -100.0",
    ),
    "ignore_index bool": (
        lambda: lb.sparse_categorical_crossentropy([1, 0], [P, P], ignore_index=False),
        r"^ignore_index: must be an int or None, got False",
    ),
    "label out of range beside ignore_index": (
        lambda: lb.sparse_categorical_crossentropy([4, -100], [P, P], ignore_index=-100),
        r"^y_true: labels must lie in \[0, 4\), got 4\.\.4",
    ),
    # losses as likelihoods and the regression zoo (issue 13, chapter 9)
    "log_cosh (b,) vs (b,1)": (
        lambda: lb.log_cosh([1.0, 2.0], [[1.0], [2.0]]),
        r"^y_pred: shape \(2, 1\) does not match y_true shape \(2,\)",
    ),
    "log_cosh inf": (lambda: lb.log_cosh([1.0], [INF]), r"^y_pred: contains NaN or inf"),
    "smooth_l1 beta negative": (
        lambda: lb.smooth_l1([1.0], [2.0], beta=-1.0),
        r"^beta: must be finite and >= 0",
    ),
    "smooth_l1 beta nan": (
        lambda: lb.smooth_l1([1.0], [2.0], beta=NAN),
        r"^beta: must be finite and >= 0",
    ),
    "quantile q 0": (
        lambda: lb.quantile_loss([1.0], [2.0], q=0.0),
        r"^q: must lie in \(0, 1\), got 0.0",
    ),
    "quantile q 1": (lambda: lb.quantile_loss([1.0], [2.0], q=1), r"^q: must lie in \(0, 1\)"),
    "quantile q nan": (lambda: lb.quantile_loss([1.0], [2.0], q=NAN), r"^q: must lie in"),
    "quantile q array": (
        lambda: lb.quantile_loss([1.0], [2.0], q=[0.5]),  # type: ignore[arg-type]
        r"^q: must be a real number",
    ),
    "quantile shape": (lambda: lb.quantile_loss([1.0], [1.0, 2.0], q=0.5), r"^y_pred: shape"),
    "msle y_pred -1": (
        lambda: lb.msle([0.0], [-1.0]),
        r"^y_pred: must be > -1 \(log\(1 \+ y\) is undefined below",
    ),
    "msle y_true below -1": (lambda: lb.msle([-2.0], [0.0]), r"^y_true: must be > -1"),
    "msle epsilon 0": (
        lambda: lb.msle([0.0], [1.0], epsilon=0.0),
        r"^epsilon: must lie in \(0, 0.5\)",
    ),
    "mape y_true 0": (
        lambda: lb.mape([1.0, 0.0], [1.0, 1.0]),
        r"^y_true: contains 0, and MAPE divides by \|y_true\|",
    ),
    "mape nan": (lambda: lb.mape([1.0], [NAN]), r"^y_pred: contains NaN or inf"),
    "poisson negative rate": (
        lambda: lb.poisson([1.0], [-0.5]),
        r"^y_pred: must be >= 0, got min -0.5",
    ),
    "poisson negative count": (lambda: lb.poisson([-1.0], [0.5]), r"^y_true: must be >= 0"),
    "poisson epsilon 0.5": (
        lambda: lb.poisson([1.0], [0.5], epsilon=0.5),
        r"^epsilon: must lie in \(0, 0.5\)",
    ),
    "poisson shape": (lambda: lb.poisson([1.0, 2.0], [[1.0], [2.0]]), r"^y_pred: shape"),
    "poisson_nll negative count": (
        lambda: lb.poisson_nll([-1.0], [0.5]),
        r"^y_true: must be >= 0",
    ),
    "poisson_nll negative rate": (
        lambda: lb.poisson_nll([1.0], [-0.5], log_input=False),
        r"^y_pred: must be >= 0",
    ),
    "poisson_nll log-rate inf": (
        lambda: lb.poisson_nll([1.0], [INF]),
        r"^y_pred: contains NaN or inf",
    ),
    "gaussian_nll var negative": (
        lambda: lb.gaussian_nll([0.0], [1.0], [-1.0]),
        r"^var: must be >= 0, got min -1.0",
    ),
    "gaussian_nll var shape": (
        lambda: lb.gaussian_nll([[0.0, 1.0]], [[1.0, 1.0]], [1.0, 1.0]),
        r"^var: shape \(2,\) does not match y_pred shape \(1, 2\)",
    ),
    "gaussian_nll var nan": (
        lambda: lb.gaussian_nll([0.0], [1.0], [NAN]),
        r"^var: contains NaN or inf",
    ),
    "gaussian_nll eps 0": (
        lambda: lb.gaussian_nll([0.0], [1.0], [1.0], eps=0.0),
        r"^eps: must be finite and > 0, got 0.0",
    ),
    "gaussian_nll shape": (
        lambda: lb.gaussian_nll([0.0, 1.0], [[1.0], [1.0]], 1.0),
        r"^y_pred: shape \(2, 1\) does not match y_true shape \(2,\)",
    ),
    # similarity losses (issue 15)
    "cosine_similarity shape": (
        lambda: lb.cosine_similarity([[1.0, 2.0]], [1.0, 2.0]),
        r"^y_pred: shape \(2,\) does not match y_true shape \(1, 2\)",
    ),
    "cosine_similarity scalar": (
        lambda: lb.cosine_similarity(1.0, 2.0),
        r"^axis: -1 is out of range for y_pred with shape \(\)",
    ),
    "cosine_embedding label 0": (
        lambda: lb.cosine_embedding([0], [[1.0, 0.0]], [[0.0, 1.0]]),
        r"^y_true: labels must be -1 or 1, got 0",
    ),
    "cosine_embedding labels shape": (
        lambda: lb.cosine_embedding([1, 1], [[1.0, 0.0]], [[0.0, 1.0]]),
        r"^y_true: shape \(2,\) does not match x1 shape \(1, 2\) without its last axis",
    ),
    "cosine_embedding margin > 1": (
        lambda: lb.cosine_embedding([1], [[1.0, 0.0]], [[0.0, 1.0]], margin=1.5),
        r"^margin: must lie in \[-1, 1\]",
    ),
    "cosine_embedding x2 nan": (
        lambda: lb.cosine_embedding([1], [[1.0, 0.0]], [[NAN, 1.0]]),
        r"^x2: contains NaN or inf",
    ),
    "margin_ranking label 0": (
        lambda: lb.margin_ranking([1, 0], [1.0, 2.0], [2.0, 1.0]),
        r"^y_true: labels must be -1 or 1, got 0",
    ),
    "margin_ranking x2 shape": (
        lambda: lb.margin_ranking([1], [1.0], [1.0, 2.0]),
        r"^x2: shape \(2,\) does not match x1 shape \(1,\)",
    ),
    "margin_ranking margin < 0": (
        lambda: lb.margin_ranking([1], [1.0], [2.0], margin=-0.1),
        r"^margin: must be finite and >= 0",
    ),
    "triplet negative shape": (
        lambda: lb.triplet_margin([[0.0, 1.0]], [[1.0, 0.0]], [1.0, 0.0]),
        r"^negative: shape \(2,\) does not match anchor shape \(1, 2\)",
    ),
    "triplet anchor inf": (
        lambda: lb.triplet_margin([INF, 1.0], [1.0, 0.0], [1.0, 0.0]),
        r"^anchor: contains NaN or inf",
    ),
    "triplet p < 1": (
        lambda: lb.triplet_margin([0.0], [1.0], [2.0], p=0.5),
        r"^p: must be finite and >= 1",
    ),
    "triplet eps < 0": (
        lambda: lb.triplet_margin([0.0], [1.0], [2.0], eps=-1e-6),
        r"^eps: must be finite and >= 0",
    ),
    "triplet scalars": (
        lambda: lb.triplet_margin(0.0, 1.0, 2.0),
        r"^axis: -1 is out of range for anchor with shape \(\)",
    ),
    "contrastive label -1": (
        lambda: lb.contrastive([-1], [[1.0, 0.0]], [[0.0, 1.0]]),
        r"^y_true: labels must be 0 or 1, got -1",
    ),
    "contrastive margin nan": (
        lambda: lb.contrastive([1], [[1.0, 0.0]], [[0.0, 1.0]], margin=NAN),
        r"^margin: must be finite and >= 0",
    ),
    "circle rows not normalized": (
        lambda: lb.circle([0, 0], [[1.0, 1.0], [1.0, 0.0]]),
        r"^y_pred: rows must be L2-normalized",
    ),
    "circle (b,1) labels": (
        lambda: lb.circle([[0], [0]], [[1.0, 0.0], [0.0, 1.0]]),
        r"^y_true: shape \(2, 1\) does not match the 2 rows of the embeddings",
    ),
    "circle label 0.5": (
        lambda: lb.circle([0.5, 0.0], [[1.0, 0.0], [0.0, 1.0]]),
        r"^y_true: labels must be integers, got 0.5",
    ),
    "circle 1-D embeddings": (
        lambda: lb.circle([0], [1.0]),
        r"^y_pred: must be 2-D with one row per sample",
    ),
    "circle gamma 0": (
        lambda: lb.circle([0, 0], [[1.0, 0.0], [0.0, 1.0]], gamma=0),
        r"^gamma: must be finite and > 0",
    ),
    "circle margin > 1": (
        lambda: lb.circle([0, 0], [[1.0, 0.0], [0.0, 1.0]], margin=1.5),
        r"^margin: must lie in \[0, 1\]",
    ),
    "info_nce temperature 0": (
        lambda: lb.info_nce([[1.0, 0.0]], [[0.0, 1.0]], temperature=0.0),
        r"^temperature: must be finite and > 0",
    ),
    "info_nce temperature inf": (
        lambda: lb.info_nce([[1.0, 0.0]], [[0.0, 1.0]], temperature=INF),
        r"^temperature: must be finite and > 0",
    ),
    "info_nce 1-D": (
        lambda: lb.info_nce([1.0, 0.0], [0.0, 1.0], temperature=0.1),
        r"^z_a: must be 2-D with one row per sample",
    ),
    "info_nce row counts": (
        lambda: lb.info_nce(np.ones((3, 2)), np.ones((2, 2)), temperature=0.1),
        r"^z_b: shape \(2, 2\) does not match z_a shape \(3, 2\)",
    ),
    "info_nce nan": (
        lambda: lb.info_nce([[1.0, 0.0]], [[NAN, 1.0]], temperature=0.1),
        r"^z_b: contains NaN or inf",
    ),
    # --- margin and focal losses (issue 14) ---
    "hinge (b,) vs (b,1)": (
        lambda: lb.hinge([1.0, -1.0], [[0.5], [0.5]]),
        r"^y_pred: shape \(2, 1\) does not match y_true shape \(2,\)",
    ),
    "hinge labels 2": (
        lambda: lb.hinge([1.0, 2.0], [0.5, 0.5]),
        r"^y_true: labels must be -1 or 1, or all 0 or 1",
    ),
    "squared_hinge -1 and 0 mixed": (
        lambda: lb.squared_hinge([[0.0, 1.0], [-1.0, 1.0]], [[0.3, 2.0], [0.5, -0.2]]),
        r"^y_true: labels must be -1 or 1, or all 0 or 1 \(converted to -1 and 1\), got 0\.0",
    ),
    "hinge scores inf": (lambda: lb.hinge([1.0], [INF]), r"^y_pred: contains NaN or inf"),
    "categorical_hinge not one-hot": (
        lambda: lb.categorical_hinge([[0.5, 0.5]], [[1.0, 2.0]]),
        r"^y_true: must be one-hot along axis -1",
    ),
    "categorical_hinge shape": (
        lambda: lb.categorical_hinge([[0.0, 1.0]], [0.0, 1.0]),
        r"^y_pred: shape \(2,\) does not match y_true shape \(1, 2\)",
    ),
    "soft_margin 0/1 labels": (
        lambda: lb.soft_margin([1.0, 0.0], [2.0, -5.0]),
        r"^y_true: labels must be -1 or 1, got 0\.0",
    ),
    "multilabel_soft_margin target > 1": (
        lambda: lb.multilabel_soft_margin([[2.0, 0.0]], [[1.0, -1.0]]),
        r"^y_true: probabilities must be <= 1",
    ),
    "multi_margin p = 3": (
        lambda: lb.multi_margin([0], [[1.0, 2.0]], p=3),
        r"^p: must be 1 or 2, as in PyTorch, got 3",
    ),
    "multi_margin margin < 0": (
        lambda: lb.multi_margin([0], [[1.0, 2.0]], margin=-1.0),
        r"^margin: must be finite and >= 0, got -1\.0",
    ),
    "multi_margin label out of range": (
        lambda: lb.multi_margin([2], [[1.0, 2.0]]),
        r"^y_true: labels must lie in \[0, 2\)",
    ),
    "multi_margin (b,1) labels": (
        lambda: lb.multi_margin([[0], [1]], [[1.0, 2.0], [2.0, 1.0]]),
        r"^y_true: shape \(2, 1\) does not match y_pred shape \(2, 2\) without axis -1",
    ),
    "multilabel_margin index out of range": (
        lambda: lb.multilabel_margin([[3, -1, -1]], [[0.1, 0.2, 0.3]]),
        r"^y_true: entries must be class indices in \[0, 3\) or -1",
    ),
    "multilabel_margin index -2": (
        lambda: lb.multilabel_margin([[0, -2, -1]], [[0.1, 0.2, 0.3]]),
        r"^y_true: entries must be class indices",
    ),
    "multilabel_margin fractional index": (
        lambda: lb.multilabel_margin([[0.5, -1.0]], [[0.1, 0.2]]),
        r"^y_true: class indices must be integers, got 0\.5",
    ),
    "multilabel_margin shape": (
        lambda: lb.multilabel_margin([[0, -1]], [[0.1, 0.2, 0.3]]),
        r"^y_pred: shape \(1, 3\) does not match y_true shape \(1, 2\)",
    ),
    "hinge_embedding label 0": (
        lambda: lb.hinge_embedding([0.0], [1.0]),
        r"^y_true: labels must be -1 or 1, got 0\.0",
    ),
    "hinge_embedding margin nan": (
        lambda: lb.hinge_embedding([1.0], [1.0], margin=NAN),
        r"^margin: must be finite and >= 0, got nan",
    ),
    "binary_focal alpha > 1": (
        lambda: lb.binary_focal_crossentropy([1.0], [0.5], alpha=1.5),
        r"^alpha: must lie in \[0, 1\], got 1\.5",
    ),
    "binary_focal gamma < 0": (
        lambda: lb.binary_focal_crossentropy([1.0], [0.5], gamma=-1.0),
        r"^gamma: must be finite and >= 0, got -1\.0",
    ),
    "binary_focal probabilities > 1": (
        lambda: lb.binary_focal_crossentropy([1.0], [1.5]),
        r"^y_pred: probabilities must be <= 1",
    ),
    "binary_focal epsilon with logits": (
        lambda: lb.binary_focal_crossentropy([1.0], [3.0], from_logits=True, epsilon=1e-7),
        r"^epsilon: clipping applies to probabilities",
    ),
    "categorical_focal alpha per class, wrong length": (
        lambda: lb.categorical_focal_crossentropy(
            [[0.0, 1.0]], [[0.3, 0.7]], alpha=[1.0, 2.0, 3.0]
        ),
        r"^alpha: must be a number or one weight per class, 2 of them, got shape \(3,\)",
    ),
    "categorical_focal alpha negative": (
        lambda: lb.categorical_focal_crossentropy([[0.0, 1.0]], [[0.3, 0.7]], alpha=[1.0, -2.0]),
        r"^alpha: weights must be >= 0",
    ),
    "categorical_focal label_smoothing": (
        lambda: lb.categorical_focal_crossentropy([0.0, 1.0], [0.3, 0.7], label_smoothing=2.0),
        r"^label_smoothing: must lie in \[0, 1\]",
    ),
    "categorical_focal rows do not sum to 1": (
        lambda: lb.categorical_focal_crossentropy([0.0, 1.0], [0.3, 0.3]),
        r"^y_pred: probabilities along axis -1 must sum to 1",
    ),
    # --- proper scoring rules, calibration and GCE (issue 14) ---
    "brier shape": (
        lambda: lb.brier_score([ONE_HOT], P),
        r"^y_pred: shape \(4,\) does not match y_true shape \(1, 4\)",
    ),
    "brier labels instead of one-hot": (
        lambda: lb.brier_score([3, 1], [P, P]),
        r"^y_pred: shape \(2, 4\) does not match y_true shape \(2,\)",
    ),
    "brier y_true nan": (lambda: lb.brier_score([NAN, 0.0, 0.0, 1.0], P), r"^y_true: contains NaN"),
    "brier y_pred sum": (
        lambda: lb.brier_score(ONE_HOT, [0.2, 0.2, 0.2, 0.2]),
        r"^y_pred: probabilities along axis -1 must sum to 1",
    ),
    "brier y_true negative": (
        lambda: lb.brier_score([-0.5, 0.5, 0.5, 0.5], P),
        r"^y_true: probabilities must be >= 0",
    ),
    "ece (b,1) labels": (
        lambda: lb.expected_calibration_error([[3], [1]], [P, P]),
        r"^y_true: shape \(2, 1\) does not match y_pred shape \(2, 4\) without axis -1",
    ),
    "ece one-hot labels": (
        lambda: lb.expected_calibration_error([ONE_HOT], [P]),
        r"^y_true: shape \(1, 4\) does not match y_pred shape \(1, 4\) without axis -1",
    ),
    "ece label == K": (
        lambda: lb.expected_calibration_error([4], [P]),
        r"^y_true: labels must lie in \[0, 4\)",
    ),
    "ece label 1.5": (
        lambda: lb.expected_calibration_error([1.5], [P]),
        r"^y_true: labels must be integers",
    ),
    "ece y_pred inf": (
        lambda: lb.expected_calibration_error([0], [[INF, 0.0]]),
        r"^y_pred: contains NaN or inf",
    ),
    "ece y_pred sum": (
        lambda: lb.expected_calibration_error([0], [[0.5, 0.6]]),
        r"^y_pred: probabilities along axis -1 must sum to 1",
    ),
    "ece n_bins 0": (
        lambda: lb.expected_calibration_error([0], [P], n_bins=0),
        r"^n_bins: must be an int >= 1, got 0",
    ),
    "ece n_bins 2.5": (
        lambda: lb.expected_calibration_error([0], [P], n_bins=2.5),  # type: ignore[arg-type]
        r"^n_bins: must be an int >= 1, got 2.5",
    ),
    "ece n_bins True": (
        lambda: lb.expected_calibration_error([0], [P], n_bins=True),
        r"^n_bins: must be an int >= 1, got True",
    ),
    "gce q 0": (
        lambda: lb.categorical_generalized_cross_entropy([0], [P], q=0.0),
        r"^q: must lie in \(0, 1\], got 0.0",
    ),
    "gce q > 1": (
        lambda: lb.categorical_generalized_cross_entropy([0], [P], q=1.5),
        r"^q: must lie in \(0, 1\], got 1.5",
    ),
    "gce q nan": (
        lambda: lb.categorical_generalized_cross_entropy([0], [P], q=NAN),
        r"^q: must lie in \(0, 1\], got nan",
    ),
    "gce q string": (
        lambda: lb.categorical_generalized_cross_entropy([0], [P], q="0.7"),  # type: ignore[arg-type]
        r"^q: must be a real number",
    ),
    "gce (b,1) labels": (
        lambda: lb.categorical_generalized_cross_entropy([[3], [1]], [P, P], q=0.7),
        r"^y_true: shape \(2, 1\) does not match y_pred shape \(2, 4\) without axis -1",
    ),
    "gce label negative": (
        lambda: lb.categorical_generalized_cross_entropy([-1], [P], q=0.7),
        r"^y_true: labels must lie in \[0, 4\)",
    ),
    "gce y_pred negative": (
        lambda: lb.categorical_generalized_cross_entropy([0], [[-0.1, 1.1]], q=0.7),
        r"^y_pred: probabilities must be >= 0",
    ),
    "gce y_pred nan": (
        lambda: lb.categorical_generalized_cross_entropy([0], [[NAN, 1.0]], q=0.7),
        r"^y_pred: contains NaN or inf",
    ),
    # --- CTC and the overlap losses (issue 15, chapters 13 and 14) ---
    "ctc label is the blank": (
        lambda: lb.ctc_loss([[1, 0]], np.zeros((1, 4, 3)), label_lengths=[2], logit_lengths=[4]),
        r"^labels: a label symbol equals blank = 0",
    ),
    "ctc label out of range": (
        lambda: lb.ctc_loss([[1, 3]], np.zeros((1, 4, 3)), label_lengths=[2], logit_lengths=[4]),
        r"^labels: labels must lie in \[0, 3\)",
    ),
    "ctc label not an integer": (
        lambda: lb.ctc_loss([[1.5]], np.zeros((1, 4, 3)), label_lengths=[1], logit_lengths=[4]),
        r"^labels: labels must be integers",
    ),
    "ctc logit_lengths above T": (
        lambda: lb.ctc_loss([[1]], np.zeros((1, 4, 3)), label_lengths=[1], logit_lengths=[5]),
        r"^logit_lengths: lengths must lie in \[0, 4\]",
    ),
    "ctc label_lengths above S": (
        lambda: lb.ctc_loss([[1]], np.zeros((1, 4, 3)), label_lengths=[2], logit_lengths=[4]),
        r"^label_lengths: lengths must lie in \[0, 1\]",
    ),
    "ctc lengths shape": (
        lambda: lb.ctc_loss([[1]], np.zeros((1, 4, 3)), label_lengths=[1, 1], logit_lengths=[4]),
        r"^label_lengths: shape \(2,\) should be \(1,\)",
    ),
    "ctc logits (T, K)": (
        lambda: lb.ctc_loss([[1]], np.zeros((4, 3)), label_lengths=[1], logit_lengths=[4]),
        r"^logits: shape \(4, 3\) should be \(b, T, K\)",
    ),
    "ctc logits nan": (
        lambda: lb.ctc_loss([[1]], np.full((1, 4, 3), NAN), label_lengths=[1], logit_lengths=[4]),
        r"^logits: contains NaN or inf",
    ),
    "ctc blank out of range": (
        lambda: lb.ctc_loss(
            [[1]], np.zeros((1, 4, 3)), label_lengths=[1], logit_lengths=[4], blank=-1
        ),
        r"^blank: must be an int in \[0, 3\)",
    ),
    "dice shape": (
        lambda: lb.dice(np.zeros((2, 4, 4)), np.zeros((2, 4))),
        r"^y_pred: shape \(2, 4\) does not match y_true shape \(2, 4, 4\)",
    ),
    "dice y_pred above 1": (
        lambda: lb.dice([0.0, 1.0], [0.5, 1.5]),
        r"^y_pred: probabilities must be <= 1",
    ),
    "dice y_true negative": (
        lambda: lb.dice([-1.0, 1.0], [0.5, 0.5]),
        r"^y_true: probabilities must be >= 0",
    ),
    "dice nan": (lambda: lb.dice([0.0, 1.0], [NAN, 0.5]), r"^y_pred: contains NaN or inf"),
    "dice axis out of range": (
        lambda: lb.dice(np.zeros((2, 4)), np.zeros((2, 4)), axis=(1, 2)),
        r"^axis: 2 is out of range for y_pred with shape \(2, 4\)",
    ),
    "dice axis twice": (
        lambda: lb.dice(np.zeros((2, 4)), np.zeros((2, 4)), axis=(1, -1)),
        r"^axis: \(1, -1\) names an axis twice",
    ),
    "dice epsilon 0": (
        lambda: lb.dice([0.0, 1.0], [0.5, 0.5], epsilon=0.0),
        r"^epsilon: must lie in \(0, 0.5\)",
    ),
    "tversky alpha negative": (
        lambda: lb.tversky([0.0, 1.0], [0.5, 0.5], alpha=-0.5),
        r"^alpha: must be finite and >= 0",
    ),
    "tversky beta nan": (
        lambda: lb.tversky([0.0, 1.0], [0.5, 0.5], beta=NAN),
        r"^beta: must be finite and >= 0",
    ),
    # divergences (issue 16): the Gaussian KL and the GAN losses
    "gaussian_kl (b,) vs (b,1)": (
        lambda: lb.gaussian_kl([0.0, 1.0], [[0.0], [1.0]]),
        r"^log_var: shape \(2, 1\) does not match mu shape \(2,\)",
    ),
    "gaussian_kl nan mu": (lambda: lb.gaussian_kl([NAN], [0.0]), r"^mu: contains NaN or inf"),
    "gaussian_kl inf log_var": (
        lambda: lb.gaussian_kl([0.0], [INF]),
        r"^log_var: contains NaN or inf",
    ),
    "gaussian_kl axis": (lambda: lb.gaussian_kl([0.0], [0.0], axis=1), r"^axis: 1 is out of range"),
    "gan_discriminator_loss shape": (
        lambda: lb.gan_discriminator_loss([0.0, 1.0], [[0.0, 1.0]]),
        r"^fake_logits: shape \(1, 2\) does not match real_logits shape \(2,\)",
    ),
    "gan_discriminator_loss inf": (
        lambda: lb.gan_discriminator_loss([INF], [0.0]),
        r"^real_logits: contains NaN or inf",
    ),
    "gan_generator_loss nan": (
        lambda: lb.gan_generator_loss([NAN]),
        r"^fake_logits: contains NaN or inf",
    ),
    "gan_generator_loss non_saturating": (
        lambda: lb.gan_generator_loss([0.0], non_saturating="yes"),
        r"^non_saturating: must be True or False",
    ),
    # distillation (issue 16): two rows of logits of one shape, a temperature > 0
    "distillation shape": (
        lambda: lb.distillation([[1.0, 2.0, 3.0]], [1.0, 2.0, 3.0], temperature=1.0),
        r"^student_logits: shape \(3,\) does not match teacher_logits shape \(1, 3\)",
    ),
    "distillation (b,1) vs (b,)": (
        lambda: lb.distillation([[1.0], [2.0]], [1.0, 2.0], temperature=1.0),
        r"^student_logits: shape \(2,\) does not match",
    ),
    "distillation nan teacher": (
        lambda: lb.distillation([NAN, 0.0], [0.0, 0.0], temperature=1.0),
        r"^teacher_logits: contains NaN or inf",
    ),
    "distillation inf student": (
        lambda: lb.distillation([0.0, 0.0], [INF, 0.0], temperature=1.0),
        r"^student_logits: contains NaN or inf",
    ),
    "distillation temperature 0": (
        lambda: lb.distillation([0.0, 1.0], [1.0, 0.0], temperature=0.0),
        r"^temperature: must be finite and > 0",
    ),
    "distillation temperature negative": (
        lambda: lb.distillation([0.0, 1.0], [1.0, 0.0], temperature=-2.0),
        r"^temperature: must be finite and > 0",
    ),
    "distillation temperature nan": (
        lambda: lb.distillation([0.0, 1.0], [1.0, 0.0], temperature=NAN),
        r"^temperature: must be finite and > 0",
    ),
    "distillation temperature string": (
        lambda: lb.distillation([0.0, 1.0], [1.0, 0.0], temperature="4"),
        r"^temperature: must be a real number",
    ),
    "distillation empty class axis": (
        lambda: lb.distillation(np.zeros((2, 0)), np.zeros((2, 0)), temperature=1.0),
        r"^teacher_logits: axis -1 is empty",
    ),
    "distillation 0-d": (
        lambda: lb.distillation(1.0, 2.0, temperature=1.0),
        r"^axis: -1 is out of range for teacher_logits",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_raises_value_error_naming_the_argument(case: str) -> None:
    call, match = CASES[case]
    with pytest.raises(ValueError, match=match):
        call()


def test_tolerances_accept_rounding() -> None:
    # float64: ten 0.1s sum to 0.9999999999999999
    assert lb.entropy(np.full(10, 0.1)) == pytest.approx(math.log(10), rel=1e-15)
    # float32: a sum off by one float32 ulp per class passes, float64 within 1e-10 passes
    assert np.isfinite(lb.entropy(np.array([0.5, 0.5 + 1e-7], dtype=np.float32)))
    assert np.isfinite(lb.entropy([0.5, 0.5 + 1e-10]))


def test_validation_does_not_modify_inputs() -> None:
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    p = np.array([[0.3, 0.7], [0.6, 0.4]])
    y0, p0 = y.copy(), p.copy()
    lb.categorical_crossentropy(y, p, label_smoothing=0.2, epsilon=1e-7)
    lb.binary_crossentropy(y, p, label_smoothing=0.2)
    np.testing.assert_array_equal(y, y0)
    np.testing.assert_array_equal(p, p0)
