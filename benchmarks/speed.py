"""lossbook's speed, as ratios against TensorFlow (CPU), SciPy and a memory-bandwidth floor.

Every time is the median of several interleaved runs in this one process.  The
floor is one ``np.add.reduce`` pass over each input array: no loss can be
computed without reading its inputs once, so lossbook/floor says how many
"passes over memory" a loss costs.  TensorFlow gets its inputs as tensors made
beforehand, so no conversion is timed; its result is fetched with ``.numpy()``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.special
import scipy.stats
from timing import median_times

import lossbook as lb

GOAL_VS_TF = 1.5  # lossbook may take at most 1.5 times TensorFlow's time


@dataclass
class Bench:
    name: str
    shape: tuple[int, int]
    inputs: tuple[np.ndarray, ...]
    lossbook: Callable[..., Any]
    tensorflow: Callable[..., Any]
    tf_label: str
    other: Callable[..., Any]
    other_label: str


@dataclass
class Result:
    name: str
    shape: tuple[int, int]
    tf_label: str
    other_label: str
    seconds: dict[str, float]

    def ratio(self, baseline: str) -> float:
        return self.seconds["lossbook"] / self.seconds[baseline]

    @property
    def met(self) -> bool:
        return self.ratio("tensorflow") <= GOAL_VS_TF


def _distributions(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    p = rng.dirichlet(np.ones(shape[1]), size=shape[0])
    return p.astype(np.float32)


def _one_hot(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    y = np.zeros(shape, dtype=np.float32)
    y[np.arange(shape[0]), rng.integers(0, shape[1], size=shape[0])] = 1
    return y


def benches(tf: Any, rng: np.random.Generator) -> list[Bench]:
    losses = tf.keras.losses
    out = []
    for shape in [(1_000_000, 10), (10_000, 1000)]:
        y = _one_hot(rng, shape)
        z = rng.normal(0, 3, size=shape).astype(np.float32)
        p = _distributions(rng, shape)
        out += [
            Bench(
                "categorical CE, logits",
                shape,
                (y, z),
                lambda a, b: lb.categorical_crossentropy(a, b, from_logits=True),
                lambda a, b: losses.categorical_crossentropy(a, b, from_logits=True),
                "`tf.keras.losses.categorical_crossentropy(y, z, from_logits=True)`",
                lambda a, b: -(a * scipy.special.log_softmax(b, axis=-1)).sum(axis=-1),
                "`-(y * scipy.special.log_softmax(z, axis=-1)).sum(axis=-1)`",
            ),
            Bench(
                "categorical CE, probabilities",
                shape,
                (y, p),
                lb.categorical_crossentropy,
                losses.categorical_crossentropy,
                "`tf.keras.losses.categorical_crossentropy(y, p)`"
                " (normalizes, then clips to [1e-7, 1 - 1e-7])",
                lambda a, b: -scipy.special.xlogy(a, b).sum(axis=-1),
                "`-scipy.special.xlogy(y, p).sum(axis=-1)`",
            ),
        ]
    shape = (1_000_000, 10)
    p, q = _distributions(rng, shape), _distributions(rng, shape)
    t, y_pred = rng.normal(size=shape).astype(np.float32), rng.normal(size=shape).astype(np.float32)
    out += [
        Bench(
            "entropy",
            shape,
            (p,),
            lb.entropy,
            lambda a: -tf.reduce_sum(tf.math.xlogy(a, a), axis=-1),
            "`-tf.reduce_sum(tf.math.xlogy(p, p), axis=-1)` (Keras has no entropy)",
            lambda a: scipy.stats.entropy(a, axis=-1),
            "`scipy.stats.entropy(p, axis=-1)`",
        ),
        Bench(
            "KL divergence",
            shape,
            (p, q),
            lb.kl_divergence,
            losses.kld,
            "`tf.keras.losses.kld(p, q)` (clips both to [1e-7, 1])",
            lambda a, b: scipy.special.rel_entr(a, b).sum(axis=-1),
            "`scipy.special.rel_entr(p, q).sum(axis=-1)`",
        ),
        Bench(
            "MSE",
            shape,
            (t, y_pred),
            lb.mean_squared_error,
            losses.MSE,
            "`tf.keras.losses.MSE(y_true, y_pred)`",
            lambda a, b: np.mean(np.square(b - a), axis=-1),
            "NumPy `np.mean(np.square(y_pred - y_true), axis=-1)` (SciPy has no MSE)",
        ),
    ]
    return out


def run(tf: Any, repeat: int = 7, seed: int = 0) -> list[Result]:
    results = []
    for bench in benches(tf, np.random.default_rng(seed)):
        tensors = [tf.constant(a) for a in bench.inputs]
        funcs = {
            "lossbook": lambda b=bench: b.lossbook(*b.inputs),
            "tensorflow": lambda b=bench, ts=tensors: b.tensorflow(*ts).numpy(),
            "other": lambda b=bench: b.other(*b.inputs),
            "floor": lambda b=bench: [np.add.reduce(a.ravel()) for a in b.inputs],
        }
        # The same answer from all three, before anything is timed (Keras clips
        # probabilities to [1e-7, 1 - 1e-7], so a few rows may differ).
        want = np.asarray(funcs["lossbook"](), dtype=np.float64)
        for name in ("tensorflow", "other"):
            differ = ~np.isclose(funcs[name](), want, rtol=1e-3, atol=1e-5)
            assert differ.mean() < 1e-3, f"{bench.name}: {name} disagrees with lossbook"
        seconds = median_times(funcs, repeat=repeat)
        results.append(Result(bench.name, bench.shape, bench.tf_label, bench.other_label, seconds))
    return results
