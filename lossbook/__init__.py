"""lossbook: reference implementations of the loss functions in the lossbook textbook.

NumPy only.  Every function takes array-likes in the order (y_true, y_pred)
or (p, q), reduces over ``axis`` (default -1) and returns a NumPy array, or a
NumPy scalar for 1-D input.  float32 input stays float32 (also when paired
with float64); Python lists, and integer or bool arrays, adopt the dtype of a
floating NumPy partner, or else compute in float64.  Bad input raises
``ValueError`` with a message that names the argument.  float16 input is computed
in float32 and returns float32, as mixed-precision training computes its
losses (chapter 19, Low precision).

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
from .divergence import distillation, gan_discriminator_loss, gan_generator_loss, gaussian_kl
from .information import cross_entropy, entropy, kl_divergence
from .likelihood import gaussian_nll, poisson, poisson_nll
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
from .regression import (
    huber,
    log_cosh,
    mae,
    mape,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
    mse,
    msle,
    quantile_loss,
    smooth_l1,
)
from .scoring import brier_score, expected_calibration_error
from .sequence import ctc_loss
from .similarity import (
    circle,
    contrastive,
    cosine_embedding,
    cosine_similarity,
    info_nce,
    margin_ranking,
    triplet_margin,
)

__version__ = "0.1.0"

__all__ = [
    "binary_crossentropy",
    "binary_focal_crossentropy",
    "brier_score",
    "categorical_crossentropy",
    "categorical_focal_crossentropy",
    "categorical_generalized_cross_entropy",
    "categorical_hinge",
    "circle",
    "contrastive",
    "cosine_embedding",
    "cosine_similarity",
    "cross_entropy",
    "ctc_loss",
    "dice",
    "distillation",
    "entropy",
    "expected_calibration_error",
    "gan_discriminator_loss",
    "gan_generator_loss",
    "gaussian_kl",
    "gaussian_nll",
    "hinge",
    "hinge_embedding",
    "huber",
    "info_nce",
    "kl_divergence",
    "log_cosh",
    "log_softmax",
    "logsumexp",
    "mae",
    "mape",
    "margin_ranking",
    "mean_absolute_error",
    "mean_absolute_percentage_error",
    "mean_squared_error",
    "mean_squared_logarithmic_error",
    "mse",
    "msle",
    "multi_margin",
    "multilabel_margin",
    "multilabel_soft_margin",
    "poisson",
    "poisson_nll",
    "quantile_loss",
    "setup",
    "smooth_l1",
    "soft_margin",
    "softmax",
    "sparse_categorical_crossentropy",
    "squared_hinge",
    "triplet_margin",
    "tversky",
    "weighted_mean",
]
