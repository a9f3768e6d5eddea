"""Alliance: software for compassion-informed programs for men who have used violence against a partner."""

__version__ = "0.1.0"
