"""Shared settings for the lossbook unit tests."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# Modest runs so the whole suite stays well under a minute on two cores; no
# deadline, because a shared CI machine can stall any single example.
settings.register_profile(
    "lossbook",
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("lossbook")
