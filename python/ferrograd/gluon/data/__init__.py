"""``gluon.data``: datasets, samplers and the DataLoader (MXNet 1.x semantics)."""

from . import dataset, sampler, dataloader, vision
from .dataset import Dataset, SimpleDataset, ArrayDataset
from .sampler import Sampler, SequentialSampler, RandomSampler, FilterSampler, BatchSampler
from .dataloader import DataLoader

__all__ = ["Dataset", "SimpleDataset", "ArrayDataset", "Sampler", "SequentialSampler",
           "RandomSampler", "FilterSampler", "BatchSampler", "DataLoader", "vision"]
