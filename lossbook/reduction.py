"""Reductions: from one loss per sample (or per token) to the one number a model minimizes.

Every loss in lossbook returns one value per sample; averaging over the batch
is a separate, explicit step, and this module is that step.  A plain mean is
``np.mean``; the weighted mean below is what PyTorch's ``reduction="mean"``
computes when a loss has class weights or ignored targets, and what Keras's
``"mean_with_sample_weight"`` computes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ._validation import Result, as_float_pair, check_axis, check_weights, reduced


def weighted_mean(
    losses: npt.ArrayLike, *, weights: npt.ArrayLike, axis: int | None = None
) -> Result:
    """Weighted mean = Σ_i w_i l_i / Σ_i w_i of the losses l_i with weights w_i ≥ 0.

    ``weights`` has exactly the shape of ``losses`` (nothing is broadcast): a
    sample weight, a class weight looked up per sample, or a 0/1 mask.  A
    weight of 0 drops its loss from both sums, which is how padding and
    ignored targets leave the mean.  Scaling every weight by c > 0 changes
    nothing; equal weights give the plain mean.  Computed as
    Σ_i (w_i / Σ_j w_j) l_i, the same number, so that no product w_i l_i
    underflows or overflows when weights and losses are tiny or huge.

    Conventions: ``axis=None`` (the default) reduces over every entry, so
    token-level losses of shape (b, T) with a padding mask give Σ loss / Σ
    tokens; an int ``axis`` reduces that axis only (one mean per row).
    Returns a NumPy scalar, or an array for an int ``axis`` on 2-D or more.
    ``losses`` must be finite, ``weights`` finite and ≥ 0.

    A zero total weight raises ``ValueError``: Σ w = 0 means that no sample
    counts (a batch that is all padding, say), and the weighted mean is 0/0,
    which has no value.  Keras's ``divide_no_nan`` returns 0 there and
    PyTorch's ``"mean"`` returns NaN; lossbook refuses to guess.

    Derived in chapter 10, Weights, masks and reductions: what the number is
    (chapters/10_reductions.ipynb).
    """
    lo, w = as_float_pair(losses, weights, ("losses", "weights"))
    check_weights(w, "weights")
    if axis is not None:
        axis = check_axis(lo, axis, "losses")
    total = np.sum(w, axis=axis, keepdims=True)
    if np.any(total == 0):
        where = "" if axis is None else f" along axis {axis} in at least one row"
        raise ValueError(
            f"weights: sum to 0{where}, so the weighted mean is 0/0: no sample counts"
            " (every one has weight 0, e.g. a batch that is all padding)"
        )
    return reduced(np.sum(w / total * lo, axis=axis))
