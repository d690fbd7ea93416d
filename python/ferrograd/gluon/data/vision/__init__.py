"""``gluon.data.vision``: image data sets and transforms."""

from . import datasets, transforms
from .datasets import MNIST, FashionMNIST

__all__ = ["datasets", "transforms", "MNIST", "FashionMNIST"]
