"""lossbook.sequence: the CTC loss against brute force, mpmath and its own properties.

The frameworks (tf.nn.ctc_loss, Keras, F.ctc_loss) are compared in
test_against_tensorflow.py and test_against_pytorch.py; this file needs only
NumPy and mpmath.  The brute force enumerates every path of K^T symbols, so
the cases are tiny; the mpmath reference runs the forward recursion on
probabilities with 30 digits, whose exponent range makes underflow impossible,
so it checks the log-space recursion at T in the thousands.
"""

from __future__ import annotations

import itertools
import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import lossbook as lb

EPS = float(np.finfo(np.float64).eps)


def collapse(path: tuple[int, ...], blank: int) -> tuple[int, ...]:
    """B(π): merge runs of repeated symbols, then drop the blanks."""
    merged = [s for i, s in enumerate(path) if i == 0 or s != path[i - 1]]
    return tuple(s for s in merged if s != blank)


def brute_force(label: list[int], z: np.ndarray, blank: int = 0) -> float:
    """-log Σ_π Π_t softmax(z_t)[π_t] over every path π with B(π) = label, in mpmath."""
    frames, k = z.shape
    q = [[mp.exp(mp.mpf(v)) for v in row] for row in z.tolist()]
    q = [[v / mp.fsum(row) for v in row] for row in q]
    total = mp.fsum(
        mp.fprod(q[t][s] for t, s in enumerate(path))
        for path in itertools.product(range(k), repeat=frames)
        if collapse(path, blank) == tuple(label)
    )
    return math.inf if total == 0 else float(-mp.log(total))


def forward_mpmath(label: list[int], z: np.ndarray, blank: int = 0) -> mp.mpf:
    """The forward recursion on probabilities, in mpmath (no underflow at any T)."""
    ext = [blank]
    for symbol in label:
        ext += [symbol, blank]
    alpha = [mp.mpf(1)] + [mp.mpf(0)] * (len(ext) - 1)  # before the first frame
    for row in z.tolist():
        e = [mp.exp(mp.mpf(v)) for v in row]
        norm = mp.fsum(e)
        new = []
        for s, symbol in enumerate(ext):
            total = alpha[s] + (alpha[s - 1] if s >= 1 else 0)
            if s >= 2 and symbol != blank and symbol != ext[s - 2]:
                total += alpha[s - 2]
            new.append(total * e[symbol] / norm)
        alpha = new
    prob = alpha[-1] + (alpha[-2] if len(ext) > 1 else 0)
    return -mp.log(prob)


def ctc(label: list[int], z: np.ndarray, blank: int = 0) -> float:
    """lb.ctc_loss of one sequence."""
    loss = lb.ctc_loss(
        np.array([label], dtype=np.int64).reshape(1, len(label)),
        z[None],
        label_lengths=[len(label)],
        logit_lengths=[len(z)],
        blank=blank,
    )
    return float(loss[0])


def min_frames(label: list[int]) -> int:
    return len(label) + sum(a == b for a, b in zip(label[:-1], label[1:], strict=True))


# --- values: brute force, by hand, mpmath ----------------------------------------------


@st.composite
def tiny_case(draw: st.DrawFn) -> tuple[list[int], np.ndarray, int]:
    """A label, logits of T <= 5 frames over K <= 3 symbols, and the blank's index."""
    k = draw(st.integers(2, 3))
    blank = draw(st.integers(0, k - 1))
    symbols = [s for s in range(k) if s != blank]
    label = draw(st.lists(st.sampled_from(symbols), max_size=3))
    frames = draw(st.integers(1, 5))
    z = draw(hnp.arrays(np.float64, (frames, k), elements=st.floats(-20, 20)))
    return label, z, blank


@given(tiny_case())
def test_forward_recursion_equals_the_sum_over_every_alignment(
    case: tuple[list[int], np.ndarray, int],
) -> None:
    label, z, blank = case
    got, want = ctc(label, z, blank), brute_force(label, z, blank)
    if math.isinf(want):
        assert got == math.inf
        assert len(z) < min_frames(label)
    else:
        assert len(z) >= min_frames(label)
        assert got == pytest.approx(want, rel=64 * EPS, abs=64 * EPS)


def test_by_hand_one_symbol_two_frames() -> None:
    # label "a" over two frames: the alignments are a-, -a and aa
    q = np.array([[0.2, 0.8], [0.6, 0.4]])  # columns: blank, a
    expected = -math.log(0.8 * 0.6 + 0.2 * 0.4 + 0.8 * 0.4)
    assert ctc([1], np.log(q)) == pytest.approx(expected, rel=1e-15)


def test_empty_label_is_all_blanks() -> None:
    z = np.random.default_rng(0).normal(size=(7, 4))
    expected = -np.sum(lb.log_softmax(z)[:, 0])
    assert ctc([], z) == pytest.approx(expected, rel=1e-14)


def test_no_frames() -> None:
    z = np.zeros((2, 0, 3))
    loss = lb.ctc_loss([[1], [1]], z, label_lengths=[0, 1], logit_lengths=[0, 0])
    np.testing.assert_array_equal(loss, [0.0, math.inf])  # the empty label has probability 1


def test_uniform_logits_count_the_alignments() -> None:
    # all logits equal: every path has probability K^-T, so CTC = T log K - log N, and
    # a label of L symbols without equal neighbours has N = C(T + L, 2L) alignments
    for frames, label in [(5, [1, 2]), (12, [1, 2, 3]), (40, [3, 1, 4, 2, 5])]:
        n = math.comb(frames + len(label), 2 * len(label))
        expected = frames * math.log(6) - math.log(n)
        assert ctc(label, np.zeros((frames, 6))) == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("frames", [1000, 3000])
def test_long_sequences_against_mpmath(frames: int) -> None:
    # probabilities fall below 1e-308 within a few hundred frames: the log-space
    # recursion must stay accurate where a probability-space one gives 0
    rng = np.random.default_rng(frames)
    z = rng.normal(scale=2.0, size=(frames, 5))
    label = rng.integers(1, 5, size=12).tolist()
    with mp.workdps(30):
        want = forward_mpmath(label, z)
    got = ctc(label, z)
    assert want > 1000  # the probability is below 1e-434: far beyond float64
    # T = 3000 steps, each a log-sum-exp of size ~ the loss rounded at 1 ulp
    assert got == pytest.approx(float(want), rel=frames * EPS)


def test_float32_stays_float32_and_accurate() -> None:
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 500, 8))
    labels = rng.integers(1, 8, size=(3, 40))
    lengths = dict(label_lengths=[40, 30, 1], logit_lengths=[500, 400, 2])
    got = lb.ctc_loss(labels, z.astype(np.float32), **lengths)
    want = lb.ctc_loss(labels, z.astype(np.float32).astype(np.float64), **lengths)
    assert got.dtype == np.float32
    # 500 steps of float32 rounding on a log-likelihood of ~1000 nats
    np.testing.assert_allclose(got, want, rtol=500 * float(np.finfo(np.float32).eps))


# --- properties ----------------------------------------------------------------------


@st.composite
def batch_case(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Logits (b, T, K), padded labels (b, S) and their lengths, blank = 0."""
    b, frames, k, s = draw(st.integers(1, 4)), draw(st.integers(1, 30)), 5, 6
    z = draw(hnp.arrays(np.float64, (b, frames, k), elements=st.floats(-30, 30)))
    labels = draw(hnp.arrays(np.int64, (b, s), elements=st.integers(1, k - 1)))
    label_lengths = draw(hnp.arrays(np.int64, b, elements=st.integers(0, s)))
    logit_lengths = draw(hnp.arrays(np.int64, b, elements=st.integers(0, frames)))
    return z, labels, label_lengths, logit_lengths


@given(batch_case(), st.floats(-1e3, 1e3))
def test_properties(
    case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], shift: float
) -> None:
    z, labels, label_lengths, logit_lengths = case
    lengths = dict(label_lengths=label_lengths, logit_lengths=logit_lengths)
    loss = lb.ctc_loss(labels, z, **lengths)
    assert loss.shape == (len(z),)
    assert np.all(loss >= 0)  # a probability is at most 1
    feasible = [
        logit_lengths[i] >= min_frames(labels[i, : label_lengths[i]].tolist())
        for i in range(len(z))
    ]
    np.testing.assert_array_equal(np.isfinite(loss), feasible)
    # each sequence alone gives the same loss: the batch and the padding do not matter
    for i in range(len(z)):
        alone = ctc(labels[i, : label_lengths[i]].tolist(), z[i, : logit_lengths[i]])
        assert alone == loss[i] or alone == pytest.approx(loss[i], rel=1e-12)
    padded = labels.copy()
    padded[np.arange(labels.shape[1]) >= label_lengths[:, None]] = -7  # any padding
    np.testing.assert_array_equal(lb.ctc_loss(padded, z, **lengths), loss)
    # a constant added to every logit of a frame leaves its softmax unchanged
    finite = np.isfinite(loss)
    shifted = lb.ctc_loss(labels, z + shift, **lengths)
    np.testing.assert_array_equal(np.isfinite(shifted), finite)
    tol = 64 * EPS * (loss[finite] + np.abs(shift) * logit_lengths[finite] + 1)
    assert np.all(np.abs(shifted[finite] - loss[finite]) <= tol)


@given(batch_case(), st.integers(0, 4))
def test_the_blank_can_sit_in_any_column(
    case: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], blank: int
) -> None:
    # move the blank (column 0) to column `blank`, and the symbols with it
    z, labels, label_lengths, logit_lengths = case
    order = [s for s in range(1, 5)]
    order.insert(blank, 0)  # new column j holds old symbol order[j]
    new_index = np.argsort(order)  # old symbol k now sits in column new_index[k]
    lengths = dict(label_lengths=label_lengths, logit_lengths=logit_lengths)
    moved = lb.ctc_loss(new_index[labels], z[..., order], **lengths, blank=blank)
    loss = lb.ctc_loss(labels, z, **lengths)
    np.testing.assert_allclose(moved, loss, rtol=1e-12)


def test_feasibility_boundary() -> None:
    # T = L + R frames is the least that admits an alignment, and then exactly one
    rng = np.random.default_rng(3)
    for label in [[1], [1, 1], [1, 2, 2, 3], [2, 2, 2, 2], [1, 2, 1, 2]]:
        t_min = min_frames(label)
        z = rng.normal(size=(t_min, 4))
        assert math.isinf(ctc(label, z[:-1])) if t_min > 1 else True
        # the one alignment: each symbol once, a blank between equal neighbours only
        path = [label[0]]
        for a, b in zip(label[:-1], label[1:], strict=True):
            path += [0, b] if a == b else [b]
        expected = -sum(lb.log_softmax(z)[t, s] for t, s in enumerate(path))
        assert ctc(label, z) == pytest.approx(expected, rel=1e-13)


# --- bad input -----------------------------------------------------------------------


Z = np.zeros((2, 4, 3))
GOOD = dict(label_lengths=[1, 2], logit_lengths=[4, 4])


@pytest.mark.parametrize(
    ("labels", "z", "kwargs", "message"),
    [
        ([[1, 0], [1, 2]], Z, dict(GOOD, label_lengths=[2, 2]), r"^labels: a label symbol"),
        ([[1, 0], [1, 3]], Z, GOOD, r"^labels: labels must lie in \[0, 3\)"),
        ([[1, 0], [-1, 2]], Z, GOOD, r"^labels: labels must lie in \[0, 3\)"),
        ([[1.5, 0], [1, 2]], Z, GOOD, r"^labels: labels must be integers"),
        ([[1, 0]], Z, GOOD, r"^labels: shape \(1, 2\) should be \(2, S\)"),
        ([[1, 0], [1, 2]], Z, dict(GOOD, logit_lengths=[4, 5]), r"^logit_lengths: lengths"),
        ([[1, 0], [1, 2]], Z, dict(GOOD, logit_lengths=[4, -1]), r"^logit_lengths: lengths"),
        ([[1, 0], [1, 2]], Z, dict(GOOD, label_lengths=[1, 3]), r"^label_lengths: lengths"),
        ([[1, 0], [1, 2]], Z, dict(GOOD, label_lengths=[1.0, 2.0]), r"^label_lengths: must"),
        ([[1, 0], [1, 2]], Z, dict(GOOD, logit_lengths=[4]), r"^logit_lengths: shape \(1,\)"),
        ([[1, 0], [1, 2]], Z[0], GOOD, r"^logits: shape \(4, 3\) should be \(b, T, K\)"),
        ([[1, 0], [1, 2]], Z + np.nan, GOOD, r"^logits: contains NaN or inf"),
        ([[1, 0], [1, 2]], Z, dict(GOOD, blank=3), r"^blank: must be an int in \[0, 3\)"),
        ([[1, 0], [1, 2]], Z, dict(GOOD, blank=True), r"^blank: must be an int"),
    ],
)
def test_bad_input(labels: object, z: np.ndarray, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        lb.ctc_loss(labels, z, **kwargs)
