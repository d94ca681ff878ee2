"""lossbook: reference implementations of the loss functions in the lossbook textbook.

NumPy only.  Every function takes array-likes in the order (y_true, y_pred)
or (p, q), reduces over ``axis`` (default -1) and returns a NumPy array, or a
NumPy scalar for 1-D input.  float32 input stays float32 (also when paired
with float64); Python lists, and integer or bool arrays, adopt the dtype of a
floating NumPy partner, or else compute in float64.  Bad input raises
``ValueError`` with a message that names the argument.

    >>> import lossbook as lb
    >>> round(float(lb.entropy([0.1, 0.1, 0.1, 0.7], base=2)), 4)
    1.3568
"""

from ._setup import setup
from .classification import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    log_softmax,
    logsumexp,
    softmax,
    sparse_categorical_crossentropy,
)
from .information import cross_entropy, entropy, kl_divergence
from .margin import (
    categorical_hinge,
    hinge,
    hinge_embedding,
    multi_margin,
    multilabel_margin,
    multilabel_soft_margin,
    soft_margin,
    squared_hinge,
)
from .overlap import dice, tversky
from .reduction import weighted_mean
from .regression import huber, mae, mean_absolute_error, mean_squared_error, mse
from .scoring import brier_score, expected_calibration_error
from .sequence import ctc_loss

__version__ = "0.1.0"

__all__ = [
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "brier_score",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "cross_entropy",
    "ctc_loss",
    "dice",
    "entropy",
    "expected_calibration_error",
    "hinge",
    "hinge_embedding",
    "huber",
    "kl_divergence",
    "log_softmax",
    "logsumexp",
    "mae",
    "mean_absolute_error",
    "mean_squared_error",
    "mse",
    "multi_margin",
    "multilabel_margin",
    "multilabel_soft_margin",
    "setup",
    "soft_margin",
    "softmax",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "tversky",
    "weighted_mean",
]
