"""Bone-safe form coach: rep counting and spine-safety warnings from pose landmarks."""

__version__ = "0.1.0"
