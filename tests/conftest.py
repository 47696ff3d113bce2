"""Suite-wide settings."""

from hypothesis import settings

# No timed unit tests: Hypothesis' per-example deadline fails a correct test on a busy machine.
settings.register_profile("ai4radiology", deadline=None)
settings.load_profile("ai4radiology")
