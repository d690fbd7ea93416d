"""``gluon.data.vision``: image data sets and transforms."""

from . import datasets, transforms
from .datasets import MNIST, FashionMNIST, CIFAR10

__all__ = ["datasets", "transforms", "MNIST", "FashionMNIST", "CIFAR10"]
