"""lossbook against torch.nn.functional on seeded random batches.

PyTorch is imported here only (on the CPU, one thread), never by lossbook
itself.  Both dtypes are compared: float32 at a float32 tolerance, float64 at
1e-12.  PyTorch's conventions differ from lossbook's (and Keras's), and each
call below is adapted, never the other way round:

- the order is (input, target): the prediction comes first;
- every call passes ``reduction="none"`` (PyTorch's default, ``"mean"``, averages
  over the whole batch); the regression and binary losses are then averaged over
  the last axis, as lossbook does, while ``cross_entropy`` and ``nll_loss`` already
  reduce the class axis (axis 1);
- ``cross_entropy`` takes logits; probabilities q go in as log q (log_softmax of
  log q is log q again when q sums to 1), or through ``nll_loss(log q, labels)``;
- ``kl_div`` takes log q as input and p as target;
- PyTorch never clips; ``binary_cross_entropy`` clamps each log at -100.

The tests at the end of each section document where the two differ.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

import lossbook as lb

torch.set_num_threads(1)

B, K = 64, 5
RTOL = {np.float32: 2e-6, np.float64: 1e-12}  # a few float32 ulps; float64 far below 1e-12
DTYPES = [np.float32, np.float64]
TORCH_LOG_CLAMP = -100.0  # binary_cross_entropy: each log is max(log(.), -100)


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(2024)


def eps(dtype: type) -> float:
    return float(np.finfo(dtype).eps)


def t(x: np.ndarray) -> torch.Tensor:
    """A tensor of the same dtype (float32, float64, or int64 for labels)."""
    return torch.from_numpy(np.ascontiguousarray(x))


def n(x: torch.Tensor) -> np.ndarray:
    return np.asarray(x.detach().numpy())


def _distributions(
    rng: np.random.Generator, dtype: type, alpha: float = 1.0, zeros: bool = False
) -> np.ndarray:
    p = rng.dirichlet(np.full(K, alpha), size=B)
    if zeros:  # an exact zero in about one entry in five, rows renormalized
        p[rng.random((B, K)) < 0.2] = 0.0
        p[:, 0] += p.sum(axis=-1) == 0
        p /= p.sum(axis=-1, keepdims=True)
    return p.astype(dtype)


def _one_hot(labels: np.ndarray, dtype: type) -> np.ndarray:
    return np.eye(K, dtype=dtype)[labels]


def test_torch_runs_on_one_thread() -> None:
    assert torch.get_num_threads() == 1


# --- regression -------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1e-30, 1.0, 1e15])
def test_mse_mae(rng: np.random.Generator, dtype: type, scale: float) -> None:
    y_true = (scale * rng.normal(size=(B, 3))).astype(dtype)
    y_pred = (y_true + scale * rng.normal(scale=2.0, size=(B, 3))).astype(dtype)
    pairs = ((lb.mse, F.mse_loss), (lb.mae, F.l1_loss))
    for ours, theirs in pairs:
        got = ours(y_true, y_pred)
        want = n(theirs(t(y_pred), t(y_true), reduction="none").mean(dim=-1))
        assert got.dtype == want.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=RTOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("delta", [0.5, 1.0, 3.0])
def test_huber(rng: np.random.Generator, dtype: type, delta: float) -> None:
    y_true = rng.normal(size=(B, 4)).astype(dtype)
    y_pred = (y_true + rng.normal(scale=2.0, size=(B, 4))).astype(dtype)
    err = np.abs(y_pred - y_true)
    assert (err <= delta).any() and (err > delta).any()  # both branches
    got = lb.huber(y_true, y_pred, delta=delta)
    want = n(F.huber_loss(t(y_pred), t(y_true), reduction="none", delta=delta).mean(dim=-1))
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype])


def test_smooth_l1_is_huber_divided_by_beta(rng: np.random.Generator) -> None:
    # PyTorch has two Huber losses: huber_loss(delta) is Keras's and lossbook's;
    # smooth_l1_loss(beta) is the same curve divided by beta (slope 1 in the tails).
    y_true, y_pred = rng.normal(size=(B, 4)), rng.normal(scale=3.0, size=(B, 4))
    for beta in (0.5, 2.0):
        smooth = n(F.smooth_l1_loss(t(y_pred), t(y_true), reduction="none", beta=beta))
        np.testing.assert_allclose(
            smooth.mean(axis=-1), lb.huber(y_true, y_pred, delta=beta) / beta, rtol=1e-12
        )


def test_default_reduction_is_one_mean_over_the_batch(rng: np.random.Generator) -> None:
    # lossbook (and Keras's functions) return one loss per sample; torch's
    # default reduction="mean" returns one number, the mean over every element
    y_true, y_pred = rng.normal(size=(B, 3)), rng.normal(size=(B, 3))
    per_sample = lb.mse(y_true, y_pred)
    assert per_sample.shape == (B,)
    default = F.mse_loss(t(y_pred), t(y_true))
    assert default.ndim == 0
    np.testing.assert_allclose(float(default), per_sample.mean(), rtol=1e-12)


# --- softmax, log-softmax, log-sum-exp -----------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3, 1e4])
def test_softmax_log_softmax_logsumexp(rng: np.random.Generator, dtype: type, scale: float) -> None:
    z = rng.normal(scale=scale, size=(B, K)).astype(dtype)
    z[0] = [1e4, -1e4, 0.0, 1e4, 1e4 - 1]  # extreme logits, a tie at the top
    z[1] = [-1e4, -1e4 + 1, -1e4 + 2, -1e4 + 3, -1e4 + 4]
    pairs = (
        (lb.softmax(z), torch.softmax(t(z), dim=-1)),
        (lb.log_softmax(z), torch.log_softmax(t(z), dim=-1)),
        (lb.logsumexp(z), torch.logsumexp(t(z), dim=-1)),
    )
    for got, want in pairs:
        assert got.dtype == n(want).dtype == dtype
    softmax, log_softmax, lse = ((got, n(want)) for got, want in pairs)
    # Both sides shift by the same maximum, so exp(z - m) is the same number; the
    # probabilities then differ by a few ulps (sum order, exp's rounding).
    np.testing.assert_allclose(*softmax, rtol=4 * eps(dtype), atol=0)
    # log σ(z)_i = (z_i - m) - log Σ: torch takes log(1 + rest) where lossbook
    # takes log1p(rest), which differ by up to one ulp of 1, absolutely; the
    # entries themselves are of the size of the logits, so relative error is
    # in ulps of `scale`.
    np.testing.assert_allclose(*log_softmax, rtol=RTOL[dtype], atol=2 * eps(dtype))
    np.testing.assert_allclose(*lse, rtol=RTOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
def test_logits_at_the_edge_of_the_range(dtype: type) -> None:
    # logits near the largest float: z - m overflows to -inf, and exp(-inf) = 0 is exact
    big = float(np.finfo(dtype).max) / 2
    z = np.array([[big, -big, 0.0], [-big, -big, -big]], dtype=dtype)
    np.testing.assert_array_equal(lb.softmax(z), n(torch.softmax(t(z), dim=-1)))
    np.testing.assert_array_equal(lb.log_softmax(z), n(torch.log_softmax(t(z), dim=-1)))
    np.testing.assert_allclose(lb.logsumexp(z), n(torch.logsumexp(t(z), dim=-1)), rtol=RTOL[dtype])


def test_softmax_gradient_matches_autograd(rng: np.random.Generator) -> None:
    # d CE / d z = softmax(z) - p (chapter 5), against torch.autograd
    p = _distributions(rng, np.float64)
    z = t(rng.normal(scale=3.0, size=(B, K))).requires_grad_()
    F.cross_entropy(z, t(p), reduction="sum").backward()
    assert z.grad is not None
    np.testing.assert_allclose(n(z.grad), lb.softmax(n(z)) - p, rtol=1e-12, atol=1e-15)


# --- categorical cross-entropy ---------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e3, 1e4])
def test_categorical_from_logits(rng: np.random.Generator, dtype: type, scale: float) -> None:
    soft = _distributions(rng, dtype, zeros=True)
    labels = rng.integers(0, K, size=B)
    z = rng.normal(scale=scale, size=(B, K)).astype(dtype)
    # log_softmax of logits near `scale` carries a few ulps of `scale`
    atol = 4 * eps(dtype) * scale
    got = lb.categorical_crossentropy(soft, z, from_logits=True)
    want = n(F.cross_entropy(t(z), t(soft), reduction="none"))  # probability targets
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=atol)
    np.testing.assert_allclose(
        lb.categorical_crossentropy(_one_hot(labels, dtype), z, from_logits=True),
        n(F.cross_entropy(t(z), t(labels), reduction="none")),  # class indices
        rtol=RTOL[dtype],
        atol=atol,
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_categorical_from_probabilities(rng: np.random.Generator, dtype: type) -> None:
    labels = rng.integers(0, K, size=B)
    soft = _distributions(rng, dtype, zeros=True)
    q = _distributions(rng, dtype, alpha=2.0)
    # one-hot targets: nll_loss picks -log q_label, the very same number
    np.testing.assert_allclose(
        lb.categorical_crossentropy(_one_hot(labels, dtype), q),
        n(F.nll_loss(torch.log(t(q)), t(labels), reduction="none")),
        rtol=RTOL[dtype],
    )
    # soft targets: cross_entropy takes log q as logits and renormalizes it,
    # subtracting log Σ_j q_j, which is off 0 by rounding (a few ulps: the q
    # were rounded to the dtype); that shifts the loss by as much, absolutely
    np.testing.assert_allclose(
        lb.categorical_crossentropy(soft, q),
        n(F.cross_entropy(torch.log(t(q)), t(soft), reduction="none")),
        rtol=RTOL[dtype],
        atol=K * eps(dtype),
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("label_smoothing", [0.1, 0.3, 1.0])
def test_categorical_label_smoothing(
    rng: np.random.Generator, dtype: type, label_smoothing: float
) -> None:
    # torch's cross_entropy(label_smoothing=s) uses the same smoothed target as
    # Keras and lossbook, p (1 - s) + s / K, with class indices and with soft targets
    s = label_smoothing
    labels = rng.integers(0, K, size=B)
    soft = _distributions(rng, dtype)
    q = _distributions(rng, dtype, alpha=2.0)
    z = rng.normal(scale=3.0, size=(B, K)).astype(dtype)
    atol = 4 * eps(dtype) * 3.0  # as in test_categorical_from_logits, at scale 3
    for target, torch_target in ((_one_hot(labels, dtype), labels), (soft, soft)):
        np.testing.assert_allclose(
            lb.categorical_crossentropy(target, z, from_logits=True, label_smoothing=s),
            n(F.cross_entropy(t(z), t(torch_target), reduction="none", label_smoothing=s)),
            rtol=RTOL[dtype],
            atol=atol,
        )
        # from probabilities: log q as logits (lossbook exact, no clipping: q > 0 here)
        np.testing.assert_allclose(
            lb.categorical_crossentropy(target, q, label_smoothing=s),
            n(
                F.cross_entropy(
                    torch.log(t(q)), t(torch_target), reduction="none", label_smoothing=s
                )
            ),
            rtol=RTOL[dtype],
            atol=K * eps(dtype),  # the renormalization of log q, as above
        )


def test_nll_and_cross_entropy_do_not_clip() -> None:
    # A true class given q = 0: lossbook and torch both say +inf (Keras clips to
    # 1e-7 and says -log(1e-7) = 16.1); a class with p = q = 0 is 0 · log 0 = 0 in
    # lossbook but 0 · (-inf) = NaN through torch's cross_entropy(log q, p)
    q = np.array([[0.0, 0.5, 0.5], [0.5, 0.5, 0.0]])
    p = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    nll = n(F.nll_loss(torch.log(t(q)), t(np.array([0, 0])), reduction="none"))
    assert nll[0] == math.inf == lb.categorical_crossentropy(p, q)[0]
    through_logits = n(F.cross_entropy(torch.log(t(q)), t(p), reduction="none"))
    assert through_logits[0] == math.inf
    assert np.isnan(through_logits[1])
    np.testing.assert_allclose(lb.categorical_crossentropy(p, q)[1], math.log(2), rtol=1e-15)


# --- sparse categorical cross-entropy ------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e4])
def test_sparse(rng: np.random.Generator, dtype: type, scale: float) -> None:
    labels = rng.integers(0, K, size=B)
    q = _distributions(rng, dtype, alpha=3.0)
    z = rng.normal(scale=scale, size=(B, K)).astype(dtype)
    got = lb.sparse_categorical_crossentropy(labels, z, from_logits=True)
    want = n(F.cross_entropy(t(z), t(labels), reduction="none"))
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=4 * eps(dtype) * scale)
    np.testing.assert_allclose(
        lb.sparse_categorical_crossentropy(labels, q),
        n(F.nll_loss(torch.log(t(q)), t(labels), reduction="none")),
        rtol=RTOL[dtype],
    )


def test_confident_logits_lossbook_keeps_the_tiny_loss() -> None:
    # The exact loss is log1p(3 e^-50) = 5.8e-22.  torch's log_softmax adds the
    # largest term back as log(1 + 3e-22) = 0; lossbook's log1p keeps it.  Both
    # are within one ulp of 1, absolutely; only lossbook has relative accuracy.
    z = np.array([[50.0, 0.0, 0.0, 0.0]])
    exact = math.log1p(3 * math.exp(-50.0))
    ours = lb.sparse_categorical_crossentropy([0], z, from_logits=True)
    theirs = n(F.cross_entropy(t(z), t(np.array([0])), reduction="none"))
    np.testing.assert_allclose(ours, exact, rtol=1e-15)
    assert theirs[0] == 0.0


def test_ignore_index_is_torch_only(rng: np.random.Generator) -> None:
    # torch skips a target equal to ignore_index (default -100): loss 0, and
    # left out of the mean; lossbook has no such label and rejects it
    z = rng.normal(size=(4, K))
    labels = np.array([1, -100, 3, 0])
    per_sample = n(F.cross_entropy(t(z), t(labels), reduction="none"))
    assert per_sample[1] == 0.0
    kept = labels != -100
    want = lb.sparse_categorical_crossentropy(labels[kept], z[kept], from_logits=True)
    np.testing.assert_allclose(per_sample[kept], want, rtol=1e-12)
    np.testing.assert_allclose(float(F.cross_entropy(t(z), t(labels))), want.mean(), rtol=1e-12)
    with pytest.raises(ValueError, match=r"y_true: labels must lie in \[0, 5\)"):
        lb.sparse_categorical_crossentropy(labels, z, from_logits=True)


# --- binary cross-entropy ------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_away_from_the_clamp(rng: np.random.Generator, dtype: type) -> None:
    y_hard = rng.integers(0, 2, size=(B, 3)).astype(dtype)
    y_soft = rng.random((B, 3)).astype(dtype)
    q = rng.uniform(0.01, 0.99, size=(B, 3)).astype(dtype)  # every log far above -100
    for y in (y_hard, y_soft):
        got = lb.binary_crossentropy(y, q)
        want = n(F.binary_cross_entropy(t(q), t(y), reduction="none").mean(dim=-1))
        assert got.dtype == want.dtype == dtype
        # torch takes log(1 - q), lossbook log1p(-q): rounding 1 - q costs half
        # an ulp of 1, absolutely, in each log (relatively more where q is small)
        np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=eps(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_clamp_at_minus_100(dtype: type) -> None:
    # binary_cross_entropy clamps each log at -100: it says 100 where lossbook is
    # exact, whether the exact loss is +inf (q = 0 for y = 1, q = 1 for y = 0)
    # or merely above 100 (q = 1e-45 is below e^-100 = 3.7e-44)
    tiny = 1e-45 if dtype is np.float32 else 1e-50  # 1e-45 is a float32 subnormal
    y = np.array([[1.0], [0.0], [1.0], [1.0]], dtype=dtype)
    q = np.array([[0.0], [1.0], [tiny], [1e-40]], dtype=dtype)
    theirs = n(F.binary_cross_entropy(t(q), t(y), reduction="none"))[:, 0]
    ours = lb.binary_crossentropy(y, q)
    np.testing.assert_array_equal(theirs[:3], -TORCH_LOG_CLAMP)
    assert ours[0] == ours[1] == math.inf
    np.testing.assert_allclose(ours[2], -math.log(float(q[2, 0])), rtol=RTOL[dtype])
    assert ours[2] > 100
    # above e^-100 the clamp does not act, and the two agree
    np.testing.assert_allclose(theirs[3], ours[3], rtol=RTOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1.0, 20.0, 1e3, 1e4])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_binary_from_logits(
    rng: np.random.Generator, dtype: type, scale: float, label_smoothing: float
) -> None:
    # BCEWithLogitsLoss has no label_smoothing: smoothing the target by hand,
    # y (1 - s) + s / 2, gives what lossbook (and Keras) compute
    s = label_smoothing
    y = rng.integers(0, 2, size=(B, 4)).astype(dtype)
    z = rng.normal(scale=scale, size=(B, 4)).astype(dtype)
    smoothed = (y * (1 - s) + s / 2).astype(dtype)
    got = lb.binary_crossentropy(y, z, from_logits=True, label_smoothing=s)
    want = n(F.binary_cross_entropy_with_logits(t(z), t(smoothed), reduction="none").mean(-1))
    assert got.dtype == want.dtype == dtype
    # torch computes (1 - y) z - log σ(z): for y = 0 and z < 0 two terms of size
    # |z| cancel, leaving a few ulps of |z| as absolute error
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=4 * eps(dtype) * scale)


def test_binary_confident_logits() -> None:
    # The exact loss for y = 1, z = 40 and for y = 0, z = -40 is log1p(e^-40) =
    # 4.2e-18.  torch keeps it for y = 1 (log σ(40) is accurate) but returns 0 for
    # y = 0, where (1 - y) z - log σ(z) = -40 + 40.000...: absolute error 4e-18.
    exact = math.log1p(math.exp(-40.0))
    y, z = np.array([[1.0, 0.0]]), np.array([[40.0, -40.0]])
    theirs = n(F.binary_cross_entropy_with_logits(t(z), t(y), reduction="none"))[0]
    np.testing.assert_allclose(theirs[0], exact, rtol=1e-15)
    assert theirs[1] == 0.0
    for column in (0, 1):
        ours = lb.binary_crossentropy(y[:, column], z[:, column], from_logits=True)
        np.testing.assert_allclose(ours, exact, rtol=1e-15)


# --- entropy, KL divergence, cross-entropy --------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("base", [math.e, 2.0])
def test_entropy(rng: np.random.Generator, dtype: type, base: float) -> None:
    p = _distributions(rng, dtype, zeros=True)
    got = lb.entropy(p, base=base)
    # Categorical divides p by its sum, which moves each p_i by a few ulps, and
    # takes the log of p clamped to [eps, 1 - eps], so 0 · log 0 = 0 there too
    # (next test); both shift each term by a few ulps of 1, absolutely
    nats = torch.distributions.Categorical(probs=t(p)).entropy()
    want = n(nats) / np.asarray(math.log(base), dtype=dtype)
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=K * eps(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_categorical_entropy_clamps_probabilities(dtype: type) -> None:
    # Categorical(probs=p) takes log p of p clamped to [eps, 1 - eps]: a one-hot
    # distribution has entropy -log(1 - eps) = eps there, exactly 0 in lossbook
    one_hot = np.array([[1.0, 0.0, 0.0]], dtype=dtype)
    theirs = n(torch.distributions.Categorical(probs=t(one_hot)).entropy())
    np.testing.assert_allclose(theirs, eps(dtype), rtol=1e-6)
    assert lb.entropy(one_hot)[0] == 0.0


@pytest.mark.parametrize("dtype", DTYPES)
def test_kl_divergence(rng: np.random.Generator, dtype: type) -> None:
    p = _distributions(rng, dtype, zeros=True)
    q = _distributions(rng, dtype, alpha=2.0)
    got = lb.kl_divergence(p, q)
    pointwise = F.kl_div(torch.log(t(q)), t(p), reduction="none")  # input log q, target p
    want = n(pointwise.sum(dim=-1))
    assert got.dtype == want.dtype == dtype
    # Σ p (log p - log q) sums terms of either sign: the rounding of the terms,
    # of size about 1, is absolute, so it is the absolute tolerance
    atol = K * eps(dtype)
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=atol)
    # log_target=True takes log p too; p > 0 here (see the next tests for p = 0)
    p = _distributions(rng, dtype)
    log_p = torch.log(t(p))
    with_log_target = F.kl_div(torch.log(t(q)), log_p, reduction="none", log_target=True)
    np.testing.assert_allclose(
        lb.kl_divergence(p, q), n(with_log_target.sum(dim=-1)), rtol=RTOL[dtype], atol=atol
    )


def test_kl_div_wants_batchmean(rng: np.random.Generator) -> None:
    # "batchmean" is the mean of the per-sample divergences; "mean" divides the
    # sum by B · K, not B, and torch warns about it
    p, q = _distributions(rng, np.float64), _distributions(rng, np.float64, alpha=2.0)
    per_sample = lb.kl_divergence(p, q)
    log_q, target = torch.log(t(q)), t(p)
    batchmean = float(F.kl_div(log_q, target, reduction="batchmean"))
    np.testing.assert_allclose(batchmean, per_sample.mean(), rtol=1e-12)
    with pytest.warns(UserWarning, match="batchmean"):
        mean = float(F.kl_div(log_q, target, reduction="mean"))
    np.testing.assert_allclose(mean, per_sample.mean() / K, rtol=1e-12)


def test_kl_div_zeros_give_nan_in_torch() -> None:
    # p_i = q_i = 0 contributes 0 · log(0 / 0) = 0 in lossbook; torch's pointwise
    # p (log p - log q) gives 0 - 0 · (-inf) = NaN.  p_i > 0 = q_i is +inf in both.
    p = np.array([[1.0, 0.0], [0.5, 0.5]])
    q = np.array([[1.0, 0.0], [1.0, 0.0]])
    theirs = n(F.kl_div(torch.log(t(q)), t(p), reduction="none").sum(dim=-1))
    ours = lb.kl_divergence(p, q)
    assert np.isnan(theirs[0]) and ours[0] == 0.0
    assert theirs[1] == math.inf == ours[1]
    # with log_target=True, any p_i = 0 gives exp(-inf) · (-inf - log q_i) = NaN,
    # even where q_i > 0; lossbook counts the term as 0
    p, q = np.array([[1.0, 0.0]]), np.array([[0.5, 0.5]])
    log_p, log_q = torch.log(t(p)), torch.log(t(q))
    theirs = n(F.kl_div(log_q, log_p, reduction="none", log_target=True).sum(dim=-1))
    assert np.isnan(theirs[0])
    np.testing.assert_allclose(lb.kl_divergence(p, q), [math.log(2)], rtol=1e-15)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("base", [math.e, 2.0])
def test_cross_entropy(rng: np.random.Generator, dtype: type, base: float) -> None:
    p = _distributions(rng, dtype, zeros=True)
    q = _distributions(rng, dtype, alpha=2.0)
    got = lb.cross_entropy(p, q, base=base)
    nats = F.cross_entropy(torch.log(t(q)), t(p), reduction="none")  # log q as logits
    want = n(nats) / np.asarray(math.log(base), dtype=dtype)
    assert got.dtype == want.dtype == dtype
    # the renormalization of log q, as in test_categorical_from_probabilities
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=K * eps(dtype))


# --- weighted binary cross-entropy --------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_pos_weight(rng: np.random.Generator, dtype: type) -> None:
    # pos_weight w multiplies the positive term, -[w y log σ(z) + (1 - y) log σ(-z)],
    # one weight per output along the last axis, as BCEWithLogitsLoss(pos_weight=w)
    y = rng.integers(0, 2, size=(B, K)).astype(dtype)
    z = rng.normal(scale=3.0, size=(B, K)).astype(dtype)
    w = rng.uniform(0.2, 5.0, size=K).astype(dtype)
    got = lb.binary_crossentropy(y, z, from_logits=True, pos_weight=w)
    want = n(F.binary_cross_entropy_with_logits(t(z), t(y), pos_weight=t(w), reduction="none"))
    assert got.dtype == want.dtype == dtype
    # as in test_binary_from_logits, at scale 3, times the largest weight
    np.testing.assert_allclose(got, want.mean(axis=-1), rtol=RTOL[dtype], atol=4 * eps(dtype) * 15)


# --- margin losses (named after torch.nn.functional, without _loss) -----------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_soft_margin_and_multilabel_soft_margin(rng: np.random.Generator, dtype: type) -> None:
    signs = rng.choice([-1.0, 1.0], size=(B, K)).astype(dtype)
    y01 = rng.integers(0, 2, size=(B, K)).astype(dtype)
    z = rng.normal(scale=3.0, size=(B, K)).astype(dtype)
    got = lb.soft_margin(signs, z)
    want = n(F.soft_margin_loss(t(z), t(signs), reduction="none").mean(dim=-1))
    assert got.dtype == want.dtype == dtype
    # torch takes log(1 + exp(-y z)) where lossbook uses the stable BCE form:
    # they differ by an ulp of 1, absolutely, in each term
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=2 * eps(dtype))
    np.testing.assert_allclose(
        lb.multilabel_soft_margin(y01, z),
        n(F.multilabel_soft_margin_loss(t(z), t(y01), reduction="none")),  # already per sample
        rtol=RTOL[dtype],
        atol=4 * eps(dtype) * 3.0,  # the log-sigmoid of logits of scale 3, as for BCE
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_soft_margin_overflows_in_torch(dtype: type) -> None:
    # soft_margin_loss computes log(1 + exp(-y z)): exp(100) overflows float32
    # (beyond about 88.7) and exp(800) float64 (beyond about 709.8); lossbook
    # returns the loss, -y z plus a term too small to change it
    z = np.array([[-100.0], [-800.0]], dtype=dtype)
    y = np.ones_like(z)
    theirs = n(F.soft_margin_loss(t(z), t(y), reduction="none"))[:, 0]
    np.testing.assert_array_equal(lb.soft_margin(y, z), [100.0, 800.0])
    assert theirs[1] == math.inf
    assert theirs[0] == (math.inf if dtype is np.float32 else 100.0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [1, 2])
@pytest.mark.parametrize("margin", [0.0, 1.0, 2.5])
def test_multi_margin(rng: np.random.Generator, dtype: type, p: int, margin: float) -> None:
    labels = rng.integers(0, K, size=B)
    z = rng.normal(scale=3.0, size=(B, K)).astype(dtype)
    got = lb.multi_margin(labels, z, p=p, margin=margin)
    want = n(F.multi_margin_loss(t(z), t(labels), p=p, margin=margin, reduction="none"))
    assert got.dtype == want.dtype == dtype
    # torch rounds margin - z_t + z_i twice, lossbook once (a two-sum): a few
    # ulps of the scores (scale 3), absolutely; squaring (p = 2) multiplies that
    # by 2 h, with each shortfall h below margin + 2 · 3 or so
    atol = 4 * eps(dtype) * 3.0 * (1 if p == 1 else 2 * (margin + 6.0))
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=atol)


@pytest.mark.parametrize("dtype", DTYPES)
def test_multilabel_margin(rng: np.random.Generator, dtype: type) -> None:
    # targets: class indices ended by -1; whatever follows the first -1 is ignored
    targets = -np.ones((B, K), dtype=np.int64)
    for row in targets:
        m = rng.integers(0, K + 1)
        row[:m] = rng.choice(K, size=m, replace=False)
        row[m + 1 :] = rng.integers(-1, K, size=max(K - m - 1, 0))
    z = rng.normal(scale=3.0, size=(B, K)).astype(dtype)
    got = lb.multilabel_margin(targets, z)
    want = n(F.multilabel_margin_loss(t(z), t(targets), reduction="none"))
    assert got.dtype == want.dtype == dtype
    # as in test_multi_margin with p = 1
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=4 * eps(dtype) * 3.0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("margin", [0.5, 1.0, 3.0])
def test_hinge_embedding(rng: np.random.Generator, dtype: type, margin: float) -> None:
    signs = rng.choice([-1.0, 1.0], size=(B, K)).astype(dtype)
    x = np.abs(rng.normal(scale=2.0, size=(B, K))).astype(dtype)  # distances
    got = lb.hinge_embedding(signs, x, margin=margin)
    want = n(F.hinge_embedding_loss(t(x), t(signs), margin=margin, reduction="none"))
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want.mean(axis=-1), rtol=RTOL[dtype])


def test_margin_losses_reject_labels_torch_accepts() -> None:
    # torch charges log 2 for a soft-margin label 0, and adds both terms,
    # x + max(0, margin - x), for a hinge-embedding label that is neither 1 nor -1
    x = np.array([0.3, 0.3])
    labels = np.array([0.0, 2.0])
    np.testing.assert_allclose(
        n(F.soft_margin_loss(t(x), t(labels), reduction="none"))[0], math.log1p(math.exp(-0.0))
    )
    np.testing.assert_allclose(n(F.hinge_embedding_loss(t(x), t(labels), reduction="none")), 1.0)
    with pytest.raises(ValueError, match="y_true"):
        lb.soft_margin(labels, x)
    with pytest.raises(ValueError, match="y_true"):
        lb.hinge_embedding(labels, x)


# --- regression and likelihood losses (issue 13) --------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("beta", [0.0, 0.5, 2.0])
def test_smooth_l1(rng: np.random.Generator, dtype: type, beta: float) -> None:
    y_true = rng.normal(size=(B, K)).astype(dtype)
    y_pred = (y_true + rng.normal(scale=2.0, size=(B, K))).astype(dtype)
    got = lb.smooth_l1(y_true, y_pred, beta=beta)
    want = n(F.smooth_l1_loss(t(y_pred), t(y_true), reduction="none", beta=beta).mean(dim=-1))
    assert got.dtype == want.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("full", [False, True])
def test_gaussian_nll(rng: np.random.Generator, dtype: type, full: bool) -> None:
    y_true = rng.normal(size=(B, K)).astype(dtype)
    y_pred = (y_true + rng.normal(scale=2.0, size=(B, K))).astype(dtype)
    var = rng.uniform(0.1, 3.0, size=(B, K)).astype(dtype)
    var[0, :2] = 0.0  # both clamp a variance of 0 at eps = 1e-6
    per_sample = rng.uniform(0.1, 3.0, size=(B, 1)).astype(dtype)  # one variance per row
    for v in (var, per_sample):
        got = lb.gaussian_nll(y_true, y_pred, v, full=full)
        want = n(F.gaussian_nll_loss(t(y_pred), t(y_true), t(v), full=full, reduction="none"))
        assert got.dtype == want.dtype == dtype
        # log v and e² / v are of either sign: the absolute error of their sum is a
        # few ulps of 1 (log v; ½ log 2π with full=True)
        np.testing.assert_allclose(got, want.mean(axis=-1), rtol=RTOL[dtype], atol=4 * eps(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("full", [False, True])
def test_poisson_nll_from_log_rates(rng: np.random.Generator, dtype: type, full: bool) -> None:
    y = rng.poisson(4.0, size=(B, K)).astype(dtype)
    log_rate = rng.normal(1.0, 1.0, size=(B, K)).astype(dtype)
    got = lb.poisson_nll(y, log_rate, full=full)
    want = n(F.poisson_nll_loss(t(log_rate), t(y), full=full, reduction="none").mean(dim=-1))
    assert got.dtype == want.dtype == dtype
    # exp(o) - y o cancels where the rate fits the count: an absolute error of a
    # few ulps of y o (counts near 4, log-rates near 1; up to about 40 together)
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=4 * eps(dtype) * 40)


def test_poisson_nll_from_rates_adds_1e_8_in_torch(rng: np.random.Generator) -> None:
    # with log_input=False torch computes μ - y log(μ + 1e-8); lossbook's μ - y log μ
    # is exact, so the two differ by y log1p(1e-8 / μ), which the test recomputes
    y = rng.poisson(4.0, size=(B, K)).astype(np.float64)
    rate = rng.uniform(0.1, 10.0, size=(B, K))
    theirs = n(F.poisson_nll_loss(t(rate), t(y), log_input=False, reduction="none"))
    ours = lb.poisson_nll(y, rate, log_input=False)
    shift = (y * np.log1p(1e-8 / rate)).mean(axis=-1)
    assert np.all(shift > 0)
    np.testing.assert_allclose(theirs.mean(axis=-1), ours - shift, rtol=1e-12)


# --- CTC (issue 15) -----------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_ctc_loss(rng: np.random.Generator, dtype: type) -> None:
    # torch's ctc_loss takes log-probabilities of shape (T, B, C), lossbook logits
    # (B, T, C); both return the NLL per sequence with reduction="none"
    b, frames, classes, s = 8, 30, 6, 10
    z = rng.normal(scale=2.0, size=(b, frames, classes)).astype(dtype)
    labels = rng.integers(1, classes, size=(b, s))  # blank = 0 is never a label
    label_lengths = rng.integers(1, s + 1, size=b)
    logit_lengths = rng.integers(2 * s, frames + 1, size=b)
    label_lengths[0], logit_lengths[0] = s, 5  # too few frames: no alignment, +inf
    got = lb.ctc_loss(labels, z, label_lengths=label_lengths, logit_lengths=logit_lengths)
    log_probs = torch.log_softmax(t(z), dim=-1).transpose(0, 1)
    want = n(F.ctc_loss(log_probs, t(labels), t(logit_lengths), t(label_lengths), reduction="none"))
    assert got.dtype == want.dtype == dtype
    assert got[0] == want[0] == math.inf
    # both sum about T log-probabilities in log space: agreement to a few ulps
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype])


# --- reductions: class weights, ignore_index, pos_weight (issue 13) ---------------------
# PyTorch's reduction="mean" is the *weighted* mean Σ w_i l_i / Σ w_i whenever a loss
# has class weights or ignored targets: lossbook's weighted_mean with those weights.
# Sums of B terms in another order: float32 to a few ulps times log2(B), float64 1e-12.
SUM_RTOL = {np.float32: 1e-5, np.float64: 1e-12}


def _labels_with_padding(rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
    labels = rng.integers(0, K, size=size)
    labels[rng.random(size) < 0.25] = -100  # about one in four is padding
    return labels


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_weight_and_ignore_index(rng: np.random.Generator, dtype: type) -> None:
    z = rng.normal(scale=3.0, size=(B, K)).astype(dtype)
    labels = _labels_with_padding(rng, B)
    w = rng.uniform(0.2, 5.0, size=K).astype(dtype)
    kept = labels != -100
    per = lb.sparse_categorical_crossentropy(labels, z, from_logits=True, ignore_index=-100)
    w_y = np.where(kept, w[np.where(kept, labels, 0)], 0).astype(dtype)  # w of each label
    for loss, first in ((F.cross_entropy, z), (F.nll_loss, lb.log_softmax(z))):
        none = n(loss(t(first), t(labels), weight=t(w), reduction="none"))
        assert none.dtype == per.dtype == dtype
        np.testing.assert_allclose(none, w_y * per, rtol=RTOL[dtype], atol=4 * eps(dtype) * 3)
        mean = float(loss(t(first), t(labels), weight=t(w)))  # the default, "mean"
        np.testing.assert_allclose(mean, lb.weighted_mean(per, weights=w_y), rtol=SUM_RTOL[dtype])
        total = float(loss(t(first), t(labels), weight=t(w), reduction="sum"))
        np.testing.assert_allclose(total, np.sum(w_y * per), rtol=SUM_RTOL[dtype])
    # not the mean of the weighted losses, which divides by the count of samples
    assert not np.isclose(mean, np.mean(w_y * per), rtol=1e-3)


@pytest.mark.parametrize("dtype", DTYPES)
def test_token_level_cross_entropy_is_sum_over_tokens(
    rng: np.random.Generator, dtype: type
) -> None:
    # (b, T, K) logits: torch wants the classes on dim 1, (N, C, T); padding -100
    b, T = 6, 7
    z = rng.normal(scale=2.0, size=(b, T, K)).astype(dtype)
    labels = _labels_with_padding(rng, (b, T))
    per = lb.sparse_categorical_crossentropy(labels, z, from_logits=True, ignore_index=-100)
    z_nct = t(np.moveaxis(z, -1, 1))
    none = n(F.cross_entropy(z_nct, t(labels), reduction="none"))
    np.testing.assert_allclose(none, per, rtol=RTOL[dtype], atol=4 * eps(dtype) * 2)
    mean = float(F.cross_entropy(z_nct, t(labels)))
    tokens = labels != -100
    np.testing.assert_allclose(mean, lb.weighted_mean(per, weights=tokens), rtol=SUM_RTOL[dtype])
    np.testing.assert_allclose(mean, per.sum() / tokens.sum(), rtol=SUM_RTOL[dtype])


def test_every_target_ignored_torch_nan_lossbook_refuses() -> None:
    z, labels = np.zeros((3, K)), np.full(3, -100)
    assert math.isnan(float(F.cross_entropy(t(z), t(labels))))  # 0 / 0
    assert float(F.cross_entropy(t(z), t(labels), reduction="sum")) == 0.0
    per = lb.sparse_categorical_crossentropy(labels, z, from_logits=True, ignore_index=-100)
    np.testing.assert_array_equal(per, 0.0)
    with pytest.raises(ValueError, match=r"^weights: sum to 0"):
        lb.weighted_mean(per, weights=labels != -100)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scale", [1.0, 30.0, 1e4])
def test_binary_pos_weight_scalar_soft_and_large(
    rng: np.random.Generator, dtype: type, scale: float
) -> None:
    # test_binary_pos_weight above: per-class weights on hard labels at scale 3; here one
    # weight and per-class ones, hard and soft labels, logits up to ±1e4
    z = rng.normal(scale=scale, size=(B, K)).astype(dtype)
    hard = rng.integers(0, 2, size=(B, K)).astype(dtype)
    soft = rng.random((B, K)).astype(dtype)
    for y in (hard, soft):
        for w in (np.array(3.0, dtype=dtype), rng.uniform(0.0, 5.0, size=K).astype(dtype)):
            got = lb.binary_crossentropy(y, z, from_logits=True, pos_weight=w)
            want = F.binary_cross_entropy_with_logits(t(z), t(y), pos_weight=t(w), reduction="none")
            assert got.dtype == dtype
            # torch's (1 - y) z + (1 + (w - 1) y) softplus(-z) cancels two terms of size |z|
            # where y = 0 and z < 0: a few ulps of |z| (1 + w), absolutely
            atol = 4 * eps(dtype) * scale * (1 + float(np.max(w)))
            np.testing.assert_allclose(got, n(want).mean(-1), rtol=RTOL[dtype], atol=atol)


def test_binary_weight_rescales_each_term_and_mean_divides_by_the_count(
    rng: np.random.Generator,
) -> None:
    # BCEWithLogitsLoss(weight=w) multiplies every term, positive and negative, and its
    # "mean" divides by the number of entries, not by Σ w: a weighted sum, not a weighted mean
    y = rng.integers(0, 2, size=(B, K)).astype(np.float64)
    z = rng.normal(scale=3.0, size=(B, K))
    w = rng.uniform(0.2, 5.0, size=K)
    per_entry = lb.binary_crossentropy(y[..., None], z[..., None], from_logits=True)  # (B, K)
    none = n(F.binary_cross_entropy_with_logits(t(z), t(y), weight=t(w), reduction="none"))
    np.testing.assert_allclose(none, w * per_entry, rtol=1e-12, atol=4 * eps(np.float64) * 15)
    mean = float(F.binary_cross_entropy_with_logits(t(z), t(y), weight=t(w)))
    np.testing.assert_allclose(mean, np.mean(w * per_entry), rtol=1e-12)
    weights = np.broadcast_to(w, per_entry.shape)
    assert not np.isclose(mean, lb.weighted_mean(per_entry, weights=weights), rtol=1e-3)
    # pos_weight, by contrast, leaves the negative terms alone
    only_negatives = np.zeros_like(y)
    np.testing.assert_allclose(
        n(F.binary_cross_entropy_with_logits(t(z), t(only_negatives), pos_weight=t(w))),
        np.mean(lb.binary_crossentropy(only_negatives, z, from_logits=True)),
        rtol=1e-12,
    )


# --- likelihood losses: where PyTorch differs (issue 13, chapter 9) -------------------


def test_gaussian_nll_scalar_variance(rng: np.random.Generator) -> None:
    y_true, y_pred = rng.normal(size=(B, K)), rng.normal(size=(B, K))
    got = lb.gaussian_nll(y_true, y_pred, 0.7, full=True)
    want = n(F.gaussian_nll_loss(t(y_pred), t(y_true), 0.7, full=True, reduction="none"))
    np.testing.assert_allclose(got, want.mean(axis=-1), rtol=1e-12)


def test_gaussian_nll_gradient_passes_through_the_eps_clamp() -> None:
    # torch clamps a copy of var in place under no_grad, so autograd never sees the
    # clamp: below eps the gradient is that of the loss at v = eps, not 0 as a real
    # clamp would give.  lossbook has no gradient; the formula at v = eps is the check.
    o, y = torch.tensor([0.5, 0.0], dtype=torch.float64), torch.zeros(2, dtype=torch.float64)
    var = torch.tensor([1e-9, 1e-9], dtype=torch.float64, requires_grad=True)
    loss = F.gaussian_nll_loss(o, y, var, reduction="sum")
    loss.backward()
    v, e = 1e-6, np.array([0.5, 0.0])
    np.testing.assert_allclose(n(var.grad), 0.5 * (1 / v - e**2 / v**2), rtol=1e-12)
    leaf = torch.tensor([1e-9, 1e-9], dtype=torch.float64, requires_grad=True)
    v_clamped = torch.clamp(leaf, min=1e-6)  # a real clamp: its gradient below eps is 0
    (0.5 * (torch.log(v_clamped) + (o - y) ** 2 / v_clamped)).sum().backward()
    np.testing.assert_array_equal(n(leaf.grad), 0.0)
    per_sample = lb.gaussian_nll(y.numpy(), o.numpy(), [1e-9, 1e-9])  # the mean of the two
    np.testing.assert_allclose(float(loss.detach()), 2 * float(per_sample), rtol=1e-12)


def test_poisson_nll_stirling_term_only_above_one() -> None:
    # torch adds y log y - y + ½ log(2π y) only where y > 1 (masked_fill(y <= 1, 0)),
    # so counts 0 and 1, whose log y! is 0, and a soft count of 0.5 get nothing
    y = np.array([[0.0, 0.5, 1.0, 1.5, 2.0, 10.0]])
    o = np.array([[0.3, -0.2, 0.1, 0.4, 0.7, 2.2]])
    for log_input in (True, False):
        pred = o if log_input else np.exp(o)
        plain = n(F.poisson_nll_loss(t(pred), t(y), log_input=log_input, reduction="none"))
        full = n(
            F.poisson_nll_loss(t(pred), t(y), log_input=log_input, full=True, reduction="none")
        )
        np.testing.assert_array_equal((full - plain)[0, :3], 0.0)
        assert np.all((full - plain)[0, 3:] != 0)
    got = lb.poisson_nll(y, o, full=True)
    want = n(F.poisson_nll_loss(t(o), t(y), full=True, reduction="none")).mean(axis=-1)
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_poisson_nll_full_torch_sum_cancels_for_large_counts() -> None:
    # with full=True torch adds terms of size y log y whose sum is about ½ log(2π y);
    # lossbook's y (r - 1 - log r) + ½ log(2π y) keeps the digits that sum loses
    import mpmath

    mpmath.mp.dps = 50
    y = np.array([1e9, 3e9, 1e10])
    o = np.log(y) + np.array([1e-5, -2e-5, 3e-6])

    def exact(yi: float, oi: float) -> float:
        yy, oo = mpmath.mpf(yi), mpmath.mpf(oi)
        stirling = yy * mpmath.log(yy) - yy + mpmath.log(2 * mpmath.pi * yy) / 2
        return float(mpmath.exp(oo) - yy * oo + stirling)

    ref = np.array([exact(a, b) for a, b in zip(y, o, strict=True)])
    ours = np.array([lb.poisson_nll([a], [b], full=True) for a, b in zip(y, o, strict=True)])
    theirs = n(F.poisson_nll_loss(t(o), t(y), full=True, reduction="none"))
    err_ours, err_theirs = np.abs(ours - ref) / ref, np.abs(theirs - ref) / ref
    assert np.all(err_theirs > 1e-9) and np.all(err_ours < 1e-11)


# --- similarity losses: cosine embedding, margin ranking, triplet, InfoNCE (issue 15) ------


def _unit_rows(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cosine_similarity_is_minus_torch_cosine_similarity(
    rng: np.random.Generator, dtype: type
) -> None:
    # F.cosine_similarity is the cosine itself (not a loss); Keras's loss is its negative
    x, y = (rng.normal(size=(B, 8)).astype(dtype) for _ in range(2))
    got = lb.cosine_similarity(x, y)
    cos = n(F.cosine_similarity(t(x), t(y), dim=-1))
    np.testing.assert_allclose(-got, cos, rtol=0, atol=16 * eps(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("margin", [-0.5, 0.0, 0.3])
def test_cosine_embedding(rng: np.random.Generator, dtype: type, margin: float) -> None:
    x1, x2 = (rng.normal(size=(B, 8)).astype(dtype) for _ in range(2))
    y = rng.choice([-1, 1], size=B).astype(dtype)
    want = n(F.cosine_embedding_loss(t(x1), t(x2), t(y), margin=margin, reduction="none"))
    got = lb.cosine_embedding(y, x1, x2, margin=margin)
    assert got.dtype == dtype
    # PyTorch adds 1e-12 to each squared norm, which lowers its cosine by about
    # 1e-12 (1/‖x1‖² + 1/‖x2‖²) / 2; and each cosine is right to a few ulps
    sq1, sq2 = (np.sum(np.square(x.astype(np.float64)), axis=-1) for x in (x1, x2))
    atol = 16 * eps(dtype) + 1e-12 * (1 / sq1 + 1 / sq2)
    assert np.all(np.abs(got - want) <= atol + RTOL[dtype] * np.abs(want))
    # the default reduction is the batch mean
    mean = float(F.cosine_embedding_loss(t(x1), t(x2), t(y), margin=margin))
    np.testing.assert_allclose(mean, np.mean(got, dtype=np.float64), rtol=1e-5, atol=1e-6)


def test_cosine_embedding_label_zero_torch_silent_lossbook_refuses() -> None:
    x1, x2 = np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])
    assert float(F.cosine_embedding_loss(t(x1), t(x2), t(np.array([0.0])))) == 0.0
    with pytest.raises(ValueError, match=r"^y_true: labels must be -1 or 1"):
        lb.cosine_embedding([0], x1, x2)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("margin", [0.0, 0.5, 2.0])
def test_margin_ranking(rng: np.random.Generator, dtype: type, margin: float) -> None:
    x1, x2 = (rng.normal(size=B).astype(dtype) for _ in range(2))
    y = rng.choice([-1, 1], size=B).astype(dtype)
    want = n(F.margin_ranking_loss(t(x1), t(x2), t(y), margin=margin, reduction="none"))
    got = lb.margin_ranking(y, x1, x2, margin=margin)
    assert got.dtype == dtype and got.shape == (B,)
    # torch rounds -y (x1 - x2) + Δ twice; lossbook recovers the first rounding
    atol = 2 * eps(dtype) * (np.abs(x1) + np.abs(x2) + margin)
    assert np.all(np.abs(got - want) <= atol)
    # y = 0: PyTorch returns the margin, lossbook raises
    zero = np.zeros(1, dtype=dtype)
    assert float(F.margin_ranking_loss(t(x1[:1]), t(x2[:1]), t(zero), margin=margin)) == margin


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("p", [1, 2, 3, math.inf])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("eps_", [1e-6, 0.1])
def test_triplet_margin(
    rng: np.random.Generator, dtype: type, p: float, swap: bool, eps_: float
) -> None:
    a, pos, neg = (rng.normal(size=(B, 16)).astype(dtype) for _ in range(3))
    pos = (a + 1.4 * pos).astype(dtype)  # about as far as the negatives, on average
    got = lb.triplet_margin(a, pos, neg, margin=0.7, p=p, eps=eps_, swap=swap)
    want = F.triplet_margin_loss(
        t(a), t(pos), t(neg), margin=0.7, p=p, eps=eps_, swap=swap, reduction="none"
    )
    assert got.dtype == dtype and got.shape == (B,)
    assert 0 < np.count_nonzero(got) < B  # both sides of the hinge
    # a difference of two distances: a few ulps of the larger distance, absolutely
    scale = n(F.pairwise_distance(t(a), t(neg), p=p, eps=eps_)) + 1
    assert np.all(np.abs(got - n(want)) <= 16 * eps(dtype) * scale)
    # PyTorch's pairwise_distance is the one lossbook uses: ‖x1 - x2 + eps‖_p
    no_margin = lb.triplet_margin(a, pos, a + 1e3, margin=0.0, p=p, eps=eps_)
    assert np.all(no_margin == 0)


def test_triplet_eps_is_added_to_the_difference_not_to_the_norm() -> None:
    x = np.zeros((1, 128))
    d = n(F.pairwise_distance(t(x), t(x)))  # eps = 1e-6 by default
    np.testing.assert_allclose(d, 1e-6 * math.sqrt(128), rtol=1e-12)
    y = np.zeros((1, 128))
    y[0, 0] = 1.0
    # ‖x - y + eps‖ != ‖y - x + eps‖: the distance is not symmetric
    d_xy = float(F.pairwise_distance(t(x), t(y))[0])
    d_yx = float(F.pairwise_distance(t(y), t(x))[0])
    assert d_xy != d_yx
    np.testing.assert_allclose(d_xy, math.sqrt((1 - 1e-6) ** 2 + 127e-12), rtol=1e-12)
    np.testing.assert_allclose(d_yx, math.sqrt((1 + 1e-6) ** 2 + 127e-12), rtol=1e-12)


@pytest.mark.parametrize("dtype", DTYPES)
def test_contrastive_against_its_formula_on_pairwise_distance(
    rng: np.random.Generator, dtype: type
) -> None:
    # torch.nn has no contrastive loss: the formula on F.pairwise_distance(eps=0)
    x1, x2 = (rng.normal(size=(B, 8)).astype(dtype) for _ in range(2))
    y = rng.integers(0, 2, size=B).astype(dtype)
    d = F.pairwise_distance(t(x1), t(x2), eps=0.0)
    want = 0.5 * (t(y) * d**2 + (1 - t(y)) * torch.clamp(4.0 - d, min=0) ** 2)
    got = lb.contrastive(y, x1, x2, margin=4.0)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, n(want), rtol=RTOL[dtype], atol=64 * eps(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("tau", [0.05, 0.1, 1.0])
def test_info_nce_is_cross_entropy_of_the_similarity_matrix(
    rng: np.random.Generator, dtype: type, tau: float
) -> None:
    za, zb = (rng.normal(size=(B, 8)).astype(dtype) for _ in range(2))
    logits = F.normalize(t(za), dim=-1) @ F.normalize(t(zb), dim=-1).T / tau
    want = n(F.cross_entropy(logits, torch.arange(B), reduction="none"))
    got = lb.info_nce(za, zb, temperature=tau)
    assert got.dtype == dtype and got.shape == (B,)
    # the logits carry a few ulps of 1 / τ each
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype], atol=16 * eps(dtype) / tau)
    # the default reduction: the batch mean
    mean = float(F.cross_entropy(logits, torch.arange(B)))
    np.testing.assert_allclose(mean, np.mean(got, dtype=np.float64), rtol=1e-5)


# --- margin losses (issue 14): what the section above leaves out --------------------------------


def test_multi_margin_weight_and_default_mean(rng: np.random.Generator) -> None:
    z = rng.normal(size=(B, K))
    labels = rng.integers(0, K, size=B)
    w = rng.uniform(0.5, 2.0, size=K)
    ours = lb.multi_margin(labels, z)
    weighted = n(F.multi_margin_loss(t(z), t(labels), weight=t(w), reduction="none"))
    np.testing.assert_allclose(weighted, w[labels] * ours, rtol=1e-12)  # the weight of class t
    np.testing.assert_allclose(float(F.multi_margin_loss(t(z), t(labels))), ours.mean())


@pytest.mark.parametrize("dtype", DTYPES)
def test_hinge_is_twice_two_class_multi_margin(rng: np.random.Generator, dtype: type) -> None:
    # torch.nn has no binary hinge: MultiMarginLoss on the scores [0, z] is hinge / 2
    z = rng.normal(0, 2, size=B).astype(dtype)
    y = rng.choice([-1.0, 1.0], size=B).astype(dtype)
    scores = np.stack([np.zeros_like(z), z], axis=-1)
    labels = (y > 0).astype(np.int64)
    for p, ours in ((1, lb.hinge), (2, lb.squared_hinge)):
        want = 2 * n(F.multi_margin_loss(t(scores), t(labels), p=p, reduction="none"))
        np.testing.assert_allclose(ours(y[:, None], z[:, None]), want, rtol=RTOL[dtype])


def test_multilabel_margin_edge_rows(rng: np.random.Generator) -> None:
    z = rng.normal(size=(4, K))
    targets = np.full((4, K), -1)
    targets[1] = np.arange(K)  # every class a target: no non-target to beat
    targets[2, :3] = [2, 2, -1]  # a class listed twice counts twice
    targets[3, :2] = [-1, 3]  # nothing before the first -1
    got = lb.multilabel_margin(targets, z)
    np.testing.assert_allclose(got, n(F.multilabel_margin_loss(t(z), t(targets), reduction="none")))
    assert got[0] == got[1] == got[3] == 0
    single = lb.multilabel_margin(np.r_[2, -np.ones(K - 1, dtype=int)], z[2])
    np.testing.assert_allclose(got[2], 2 * single, rtol=1e-15)


@pytest.mark.parametrize("dtype", DTYPES)
def test_multilabel_soft_margin_at_extreme_logits(rng: np.random.Generator, dtype: type) -> None:
    # torch uses logsigmoid here (unlike soft_margin_loss), so both stay finite and agree
    y = rng.integers(0, 2, size=(B, K)).astype(dtype)
    z = rng.uniform(-1e4, 1e4, size=(B, K)).astype(dtype)
    got = lb.multilabel_soft_margin(y, z)
    want = n(F.multilabel_soft_margin_loss(t(z), t(y), reduction="none"))
    assert np.all(np.isfinite(got)) and np.all(np.isfinite(want))
    np.testing.assert_allclose(got, want, rtol=RTOL[dtype])


# --- proper scoring rules and GCE (issue 14): PyTorch has none of them -------------------------


def test_pytorch_has_no_brier_score_ece_or_gce() -> None:
    # if a release adds one, compare lossbook against it here
    words = ("brier", "calibrat", "generaliz")
    for module in (torch.nn, F, torch.nn.modules.loss):
        assert not [name for name in dir(module) if any(w in name.lower() for w in words)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("q", [1e-6, 0.7, 1.0])
def test_gce_written_in_torch_and_its_gradient(
    rng: np.random.Generator, dtype: type, q: float
) -> None:
    # (1 - P^q) / q from log_softmax, as chapter 12 trains with it; autograd's gradient
    # with respect to the logits is P^q (softmax(z) - e_y)
    z = rng.normal(0, 3, size=(B, K)).astype(dtype)
    labels = rng.integers(0, K, size=B)
    z_t = t(z).requires_grad_()
    log_p = torch.log_softmax(z_t, dim=-1).gather(-1, torch.from_numpy(labels)[:, None])[:, 0]
    gce_t = -torch.expm1(q * log_p) / q
    (grad,) = torch.autograd.grad(gce_t.sum(), z_t)
    softmax = lb.softmax(z)
    got = lb.categorical_generalized_cross_entropy(labels, softmax, q=q)
    np.testing.assert_allclose(n(gce_t.detach()), got, rtol=4 * RTOL[dtype], atol=eps(dtype))
    p_true = softmax[np.arange(B), labels]
    formula = p_true[:, None] ** q * (softmax - np.eye(K, dtype=dtype)[labels])
    np.testing.assert_allclose(n(grad), formula, rtol=4 * RTOL[dtype], atol=eps(dtype))


# --- CTC reductions and the overlap losses (issue 15, chapters 13 and 14) ----------------
# F.ctc_loss's "mean" divides each loss by its target length before the batch mean, and
# zero_infinity=True turns an impossible sample's inf into 0.  torch.nn has no Dice or
# Tversky loss: they are compared with a transcription in tensor operations.


def _torch_ctc(
    z: np.ndarray, labels: np.ndarray, frames: np.ndarray, lengths: np.ndarray, **kwargs: object
) -> torch.Tensor:
    log_probs = torch.log_softmax(t(z), dim=-1).transpose(0, 1)  # (T, b, K)
    return F.ctc_loss(log_probs, t(labels), t(frames), t(lengths), **kwargs)


def test_ctc_reductions_and_zero_infinity(rng: np.random.Generator) -> None:
    b, frames, k, s = 8, 40, 5, 10
    z = rng.normal(size=(b, frames, k))
    labels = rng.integers(1, k, size=(b, s))
    label_lengths = rng.integers(1, s + 1, size=b)
    logit_lengths = np.full(b, frames)
    logit_lengths[0], label_lengths[0] = 3, s  # infeasible
    ours = lb.ctc_loss(labels, z, label_lengths=label_lengths, logit_lengths=logit_lengths)
    args = (z, labels, logit_lengths, label_lengths)
    assert float(_torch_ctc(*args)) == math.inf  # one impossible sample: the mean is inf
    zeroed = n(_torch_ctc(*args, reduction="none", zero_infinity=True))
    assert zeroed[0] == 0.0
    np.testing.assert_allclose(zeroed[1:], ours[1:], rtol=1e-12)
    mean = float(_torch_ctc(*args, reduction="mean", zero_infinity=True))
    np.testing.assert_allclose(mean, np.mean(zeroed / label_lengths), rtol=1e-12)
    total = float(_torch_ctc(*args, reduction="sum", zero_infinity=True))
    np.testing.assert_allclose(total, np.sum(ours[1:]), rtol=1e-12)


def test_ctc_long_sequence(rng: np.random.Generator) -> None:
    z = rng.normal(size=(1, 3000, 30))
    labels = rng.integers(1, 30, size=(1, 100))
    ours = lb.ctc_loss(labels, z, label_lengths=[100], logit_lengths=[3000])
    theirs = n(_torch_ctc(z, labels, np.array([3000]), np.array([100]), reduction="none"))
    assert ours[0] > 1e4  # a probability far below the smallest float64
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def _dice_torch(y: torch.Tensor, q: torch.Tensor, dim: tuple[int, ...]) -> torch.Tensor:
    return 1 - 2 * (y * q).sum(dim=dim) / (y.sum(dim=dim) + q.sum(dim=dim))


def _tversky_torch(
    y: torch.Tensor, q: torch.Tensor, alpha: float, beta: float, dim: tuple[int, ...]
) -> torch.Tensor:
    tp = (y * q).sum(dim=dim)
    fp, fn = ((1 - y) * q).sum(dim=dim), (y * (1 - q)).sum(dim=dim)
    return 1 - tp / (tp + alpha * fp + beta * fn)


def test_torch_has_no_overlap_loss() -> None:
    names = dir(torch.nn) + dir(F)
    hits = [name for name in names if "dice" in name.lower() or "tversky" in name.lower()]
    assert all("indices" in name for name in hits)  # "dice" only inside "..._with_indices"


@pytest.mark.parametrize("dtype", DTYPES)
def test_dice_and_tversky_against_a_torch_transcription(
    rng: np.random.Generator, dtype: type
) -> None:
    y_true = (rng.random((8, 16, 16)) < 0.2).astype(dtype)
    y_pred = rng.random((8, 16, 16)).astype(dtype)
    for axis in [(1, 2), (0, 1, 2)]:
        got = lb.dice(y_true, y_pred, axis=axis)
        want = n(_dice_torch(t(y_true), t(y_pred), dim=axis))
        assert got.dtype == want.dtype == dtype
        np.testing.assert_allclose(got, want, rtol=RTOL[dtype])
        got = lb.tversky(y_true, y_pred, alpha=0.3, beta=0.7, axis=axis)
        want = n(_tversky_torch(t(y_true), t(y_pred), 0.3, 0.7, dim=axis))
        np.testing.assert_allclose(got, want, rtol=RTOL[dtype])


def test_dice_gradient_is_zero_on_an_empty_target() -> None:
    # D = 0 for every prediction when the target is empty: no gradient at all
    q = t(np.full((8, 8), 0.3)).requires_grad_()
    _dice_torch(t(np.zeros((8, 8))), q, dim=(0, 1)).backward()
    assert q.grad is not None and not n(q.grad).any()


# --- divergences: the Gaussian KL and the GAN losses (issue 16, chapter 17) ---------------


def _normal_kl_from_prior(mu: np.ndarray, log_var: np.ndarray) -> np.ndarray:
    """torch.distributions' KL(N(mu, e^log_var) || N(0, 1)), summed over the last axis."""
    from torch.distributions import Normal, kl_divergence

    q = Normal(t(mu), torch.exp(t(log_var) / 2))  # Normal takes the standard deviation
    prior = Normal(torch.zeros_like(t(mu)), torch.ones_like(t(mu)))
    return n(kl_divergence(q, prior).sum(dim=-1))


@pytest.mark.parametrize("dtype", DTYPES)
def test_gaussian_kl(rng: np.random.Generator, dtype: type) -> None:
    mu = rng.normal(size=(B, K)).astype(dtype)
    log_var = rng.normal(scale=2.0, size=(B, K)).astype(dtype)
    # PyTorch forms sigma^2 - 1 - log sigma^2, which cancels for log_var near 0:
    # a few float32 ulps of the largest term, hence 4 x RTOL
    np.testing.assert_allclose(
        lb.gaussian_kl(mu, log_var), _normal_kl_from_prior(mu, log_var), rtol=4 * RTOL[dtype]
    )


def test_gaussian_kl_near_the_prior_where_torch_distributions_cancels() -> None:
    # KL = (e^v - 1 - v) / 2 ≈ v^2 / 4 = 2.5e-19 at v = 1e-9 (exact to 1e-27)
    v = np.array([1e-9])
    exact = 0.25e-18 * (1 + 1e-9 / 3)  # v^2/4 (1 + v/3 + ...)
    assert abs(float(lb.gaussian_kl([0.0], v)) / exact - 1) < 1e-15
    torch_rel = abs(float(_normal_kl_from_prior(np.zeros(1), v)) / exact - 1)
    assert 1e-12 < torch_rel < 1e-3  # PyTorch keeps only some of the digits


def _bce_logits(z: np.ndarray, y: float) -> np.ndarray:
    target = torch.full(z.shape, y, dtype=t(z).dtype)
    return n(F.binary_cross_entropy_with_logits(t(z), target, reduction="none"))


@pytest.mark.parametrize("dtype", DTYPES)
def test_gan_losses_are_bce_with_logits(rng: np.random.Generator, dtype: type) -> None:
    r = rng.normal(0.0, 5.0, size=B).astype(dtype)
    f = rng.normal(0.0, 5.0, size=B).astype(dtype)
    f[:4] = np.array([-1e4, 1e4, -30.0, 30.0], dtype=dtype)
    # PyTorch computes BCE(y, z) as (1 - y) z - log sigma(z): for y = 0 and z << 0 two
    # numbers near z cancel, an absolute error of about the float spacing near |z| (<= 30)
    atol = 30 * eps(dtype)
    disc = _bce_logits(r, 1.0) + _bce_logits(f, 0.0)
    np.testing.assert_allclose(lb.gan_discriminator_loss(r, f), disc, rtol=RTOL[dtype], atol=atol)
    np.testing.assert_allclose(lb.gan_generator_loss(f), _bce_logits(f, 1.0), rtol=RTOL[dtype])
    np.testing.assert_allclose(
        lb.gan_generator_loss(f, non_saturating=False),
        -_bce_logits(f, 0.0),
        rtol=RTOL[dtype],
        atol=atol,
    )
    # the default reduction, "mean", is the batch mean
    mean_torch = float(F.binary_cross_entropy_with_logits(t(f), torch.ones_like(t(f))))
    np.testing.assert_allclose(mean_torch, np.mean(lb.gan_generator_loss(f)), rtol=RTOL[dtype])


def test_torch_bce_with_logits_loses_tiny_losses_for_target_0() -> None:
    # a confidently rejected fake: BCE(0, z) = log(1 + e^z), 4.25e-18 at z = -40
    z = np.array([-40.0, -30.0])
    exact = np.log1p(np.exp(z))  # accurate: log1p of a tiny number
    assert _bce_logits(z, 0.0)[0] == 0.0  # (1 - 0)(-40) - log sigma(-40) rounds to 0
    assert abs(_bce_logits(z, 0.0)[1] / exact[1] - 1) > 1e-3  # 1.3% off at z = -30
    np.testing.assert_allclose(-lb.gan_generator_loss(z, non_saturating=False), exact, rtol=1e-15)
    # with target 1 the same loss is exact: 0 - log sigma(40) = log1p(e^-40)
    np.testing.assert_allclose(_bce_logits(-z, 1.0), exact, rtol=1e-15)


# --- distillation (issue 16, chapter 18) -------------------------------------------------


@pytest.mark.parametrize("temperature", [0.5, 1.0, 4.0, 20.0])
def test_distillation_is_kl_div_times_t_squared(temperature: float) -> None:
    gen = np.random.default_rng(16)
    t, s = 3 * gen.normal(size=(8, 5)), 3 * gen.normal(size=(8, 5))
    tt, st = torch.tensor(t), torch.tensor(s)  # float64
    log_q = F.log_softmax(st / temperature, -1)
    p = F.softmax(tt / temperature, -1)
    rows = F.kl_div(log_q, p, reduction="none").sum(-1) * temperature**2
    want = lb.distillation(t, s, temperature=temperature)
    np.testing.assert_allclose(rows.numpy(), want, rtol=1e-12, atol=1e-15)
    # KLDivLoss(batchmean): the sum over the batch divided by b, = the mean of the rows
    batchmean = torch.nn.KLDivLoss(reduction="batchmean")(log_q, p) * temperature**2
    np.testing.assert_allclose(float(batchmean), np.mean(want), rtol=1e-12)
    # the default "mean" divides by b K as well: K times too small
    with pytest.warns(UserWarning, match="batchmean"):  # PyTorch warns about it, too
        mean = F.kl_div(log_q, p) * temperature**2
    np.testing.assert_allclose(float(mean) * t.shape[-1], np.mean(want), rtol=1e-12)


def test_distillation_gradient_by_autograd() -> None:
    gen = np.random.default_rng(17)
    t, s = gen.normal(size=(4, 6)), gen.normal(size=(4, 6))
    for temperature in (1.0, 3.0, 10.0):
        st = torch.tensor(s, requires_grad=True)
        log_q = F.log_softmax(st / temperature, -1)
        p = F.softmax(torch.tensor(t) / temperature, -1)
        (F.kl_div(log_q, p, reduction="sum") * temperature**2).backward()
        closed = temperature * (lb.softmax(s / temperature) - lb.softmax(t / temperature))
        np.testing.assert_allclose(st.grad.numpy(), closed, rtol=1e-11, atol=1e-15)


def test_distillation_float32_and_large_logits() -> None:
    gen = np.random.default_rng(18)
    t, s = (1e3 * gen.normal(size=(6, 4))).astype(np.float32), np.zeros((6, 4), np.float32)
    rows = (
        F.kl_div(
            F.log_softmax(torch.tensor(s) / 2, -1),
            F.softmax(torch.tensor(t) / 2, -1),
            reduction="none",
        ).sum(-1)
        * 4
    )
    got = lb.distillation(t, s, temperature=2.0)
    assert got.dtype == np.float32 and np.all(np.isfinite(got))
    np.testing.assert_allclose(rows.numpy(), got, rtol=1e-5)
