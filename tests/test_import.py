"""The package: its public API, its imports, its docstrings and setup()."""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import lossbook as lb

REPO = Path(__file__).resolve().parents[1]

API = {
    "entropy",
    "kl_divergence",
    "cross_entropy",
    "mean_squared_error",
    "mse",
    "mean_absolute_error",
    "mae",
    "huber",
    "softmax",
    "log_softmax",
    "logsumexp",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "categorical_generalized_cross_entropy",
    "brier_score",
    "expected_calibration_error",
    "binary_focal_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_hinge",
    "hinge",
    "hinge_embedding",
    "multi_margin",
    "multilabel_margin",
    "multilabel_soft_margin",
    "soft_margin",
    "squared_hinge",
    "weighted_mean",
    "ctc_loss",
    "dice",
    "tversky",
    "gaussian_nll",
    "log_cosh",
    "mape",
    "mean_absolute_percentage_error",
    "mean_squared_logarithmic_error",
    "msle",
    "poisson",
    "poisson_nll",
    "quantile_loss",
    "smooth_l1",
    "gaussian_kl",
    "gan_discriminator_loss",
    "gan_generator_loss",
    "distillation",
    "circle",
    "contrastive",
    "cosine_embedding",
    "cosine_similarity",
    "info_nce",
    "margin_ranking",
    "triplet_margin",
    "setup",
}
FUNCTIONS = sorted(API - {"setup"})


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=60
    )


HEAVY = ("tensorflow", "keras", "torch", "scipy", "matplotlib")


def test_import_does_not_pull_in_either_framework_scipy_or_matplotlib() -> None:
    # in a fresh interpreter: this test process may have imported them already
    code = (
        "import lossbook, sys; "
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}); "
        "assert not heavy, heavy; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'numpy')[:1])"
    )
    result = _run(code)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.strip() == "['numpy']"  # the check ran, and NumPy is there


def test_import_is_fast() -> None:
    # NumPy itself is imported first; lossbook's own share must stay well under 0.2 s
    code = (
        "import time, numpy; t = time.perf_counter(); import lossbook; "
        "print(time.perf_counter() - t)"
    )
    seconds = float(_run(code).stdout)
    assert seconds < 0.2


def test_public_api_is_exactly_the_documented_one() -> None:
    assert set(lb.__all__) == API
    public = {name for name in dir(lb) if not name.startswith("_")}
    modules = {
        "classification",
        "divergence",
        "information",
        "likelihood",
        "margin",
        "overlap",
        "reduction",
        "regression",
        "scoring",
        "sequence",
        "similarity",
    }
    assert public - modules == API
    assert lb.mse is lb.mean_squared_error and lb.mae is lb.mean_absolute_error
    assert lb.msle is lb.mean_squared_logarithmic_error
    assert lb.mape is lb.mean_absolute_percentage_error


# the similarity losses (chapter 15): PyTorch's (y_true, x1, x2) for pairs of embeddings,
# (anchor, positive, negative) for triplets, and a batch of b embeddings (or two) for
# the losses over all its pairs; each reduces the embedding axis, the last one
SIMILARITY = {
    "circle": ["y_true", "y_pred"],
    "contrastive": ["y_true", "x1", "x2"],
    "cosine_embedding": ["y_true", "x1", "x2"],
    "info_nce": ["z_a", "z_b"],
    "margin_ranking": ["y_true", "x1", "x2"],
    "triplet_margin": ["anchor", "positive", "negative"],
}


@pytest.mark.parametrize("name", FUNCTIONS)
def test_signature_conventions(name: str) -> None:
    sig = inspect.signature(getattr(lb, name))
    params = list(sig.parameters.values())
    positional = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    keyword = {p.name: p.default for p in params if p.kind is p.KEYWORD_ONLY}
    if name == "ctc_loss":  # labels (B, S), logits (B, T, C): the class axis is the last
        assert positional == ["labels", "logits"] and "axis" not in keyword
        return
    if name == "gaussian_kl":  # the encoder's two outputs; sums the latent axis
        assert positional == ["mu", "log_var"] and keyword["axis"] == -1
        return
    if name == "distillation":  # two rows of logits; the class axis is the last
        assert positional == ["teacher_logits", "student_logits"] and "axis" not in keyword
        assert "temperature" in keyword
        return
    if name.startswith("gan_"):  # one logit per sample: elementwise, no axis
        assert positional in (["real_logits", "fake_logits"], ["fake_logits"])
        assert "axis" not in keyword
        return
    if name in SIMILARITY:  # pairs, triplets, batches of embeddings: no axis to choose
        assert positional == SIMILARITY[name] and "axis" not in keyword
        return
    if name == "gaussian_nll":  # the variances are a third input, as in PyTorch
        assert positional == ["y_true", "y_pred", "var"] and keyword["axis"] == -1
        return
    assert positional in (["p"], ["p", "q"], ["y_true", "y_pred"], ["z"], ["losses"])
    # a loss reduces its last axis; a reduction of losses (weighted_mean) every axis, and
    # so do the overlap losses, as Keras's dice and tversky do
    every_axis = positional == ["losses"] or name in {"dice", "tversky"}
    assert keyword["axis"] == (None if every_axis else -1)


def chapter_titles() -> dict[str, str]:
    """Each chapter notebook's name and the title of its first (H1) heading."""
    titles = {}
    for path in sorted((REPO / "chapters").glob("[0-9][0-9]_*.ipynb")):
        first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]
        heading = "".join(first["source"]).splitlines()[0]
        titles[path.stem] = heading.removeprefix("# ").strip()
    return titles


@pytest.mark.parametrize("name", FUNCTIONS)
def test_docstring_gives_formula_conventions_and_chapter(name: str) -> None:
    doc = inspect.getdoc(getattr(lb, name))
    assert doc
    first = doc.splitlines()[0]
    assert "=" in first or ":" in first  # the formula, in one line
    assert "axis" in doc and "return" in doc.lower()
    # "Derived in chapter N, <the chapter's title> (chapters/<NN_name>.ipynb)", possibly wrapped
    text = " ".join(doc.split())
    match = re.search(r"Derived in chapter (\d+), ([^(]+) \(chapters/(\w+)\.ipynb\)", text)
    assert match, doc
    number, title, notebook = int(match[1]), match[2], match[3]
    assert notebook.startswith(f"{number:02d}_"), (number, notebook)
    assert chapter_titles().get(notebook) == title, (title, notebook)


def test_py_typed_marker_is_shipped() -> None:
    assert (Path(lb.__file__).parent / "py.typed").is_file()


def test_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    saved = np.get_printoptions()
    try:
        rng = lb.setup(seed=3)
        assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
        assert os.environ["TF_ENABLE_ONEDNN_OPTS"] == "0"
        options = np.get_printoptions()
        assert options["precision"] == 4 and options["suppress"] is True
        assert str(np.array([1 / 3, 1e-9])) == "[0.3333 0.    ]"
        assert isinstance(rng, np.random.Generator)
        np.testing.assert_array_equal(rng.random(3), np.random.default_rng(3).random(3))
        np.testing.assert_array_equal(lb.setup().random(2), np.random.default_rng(0).random(2))
    finally:
        np.set_printoptions(**saved)
