"""Alliance: software for compassion-informed programs for men who have used violence."""

__version__ = "0.1.0"
