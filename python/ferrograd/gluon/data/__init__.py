"""``gluon.data``: datasets, samplers and the DataLoader (MXNet 1.x semantics)."""

__all__ = []
