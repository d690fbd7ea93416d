"""``gluon.utils``: downloads with checksums, and splitting batches across contexts."""

__all__ = []
