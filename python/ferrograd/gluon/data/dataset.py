"""Dataset containers (MXNet 1.x's ``gluon.data.dataset``).

A dataset is anything with ``len()`` and ``[i]``. The classes here also answer
``_get_batch(indices)``, an internal protocol the DataLoader uses to gather a whole batch at
once (one fancy-index of the underlying array instead of one ``[i]`` per sample); see
:class:`_Batch`. Every fast path returns exactly what stacking the samples one by one would:
the per-sample ``__getitem__`` stays the definition, and the tests compare the two.
"""

import numpy as np

from ... import nd
from ..._core import NDArray
from ...base import ArgumentTypeError, InvalidArgumentError, ShapeError

__all__ = ["Dataset", "SimpleDataset", "ArrayDataset"]


class _Batch:
    """The samples at some indices, gathered column by column.

    ``fields`` holds one array per sample element, each with the batch on axis 0, in the type a
    single sample would have (NDArray rows for NDArray sources, NumPy rows otherwise).
    ``is_tuple`` says whether a sample is a tuple (``(data, label)``) or a single value.
    """

    __slots__ = ("fields", "is_tuple")

    def __init__(self, fields, is_tuple):
        self.fields = fields
        self.is_tuple = is_tuple


def _gather(source, indices):
    """Rows ``indices`` (a NumPy int64 array) of an NDArray or NumPy array source, or None when
    ``source`` is not an array whose rows are its samples."""
    if isinstance(source, NDArray):
        if source.ndim < 2:
            return None  # a sample would be a scalar; ArrayDataset keeps those as NumPy anyway
        return source[nd.array(indices, dtype="int64")]
    if isinstance(source, np.ndarray) and source.ndim >= 1:
        return source[indices]
    return None


def _batch_of(dataset, indices):
    """The samples of ``dataset`` at ``indices`` (a NumPy int64 array) as a :class:`_Batch`,
    or None when the dataset cannot gather them faster than one ``[i]`` at a time."""
    if isinstance(dataset, (NDArray, np.ndarray)):  # an array used directly as a dataset
        rows = _gather(dataset, indices)
        return None if rows is None else _Batch([rows], is_tuple=False)
    cls = type(dataset)
    owner = next((klass for klass in cls.__mro__ if "_get_batch" in vars(klass)), None)
    # A subclass that redefines __getitem__ (and not _get_batch) changes what a sample is:
    # only the per-sample path knows it.
    if owner is None or cls.__getitem__ is not vars(owner).get("__getitem__"):
        return None
    return dataset._get_batch(indices)


class Dataset:
    """Abstract dataset class. All datasets should have this interface.

    Subclasses need to override ``__getitem__``, which returns the i-th element, and
    ``__len__``, which returns the total number of elements.

    .. note:: An mxnet or numpy array can be directly used as a dataset.
    """

    def __getitem__(self, idx):
        raise NotImplementedError("%s must define __getitem__" % type(self).__name__)

    def __len__(self):
        raise NotImplementedError("%s must define __len__" % type(self).__name__)

    def filter(self, fn):
        """Returns a new dataset with samples filtered by the filter function ``fn``.

        Parameters
        ----------
        fn : callable
            A filter function that takes a sample as input and returns a boolean. Samples that
            return False are discarded.

        Returns
        -------
        Dataset
            The filtered dataset.
        """
        from .sampler import FilterSampler
        return _SampledDataset(self, FilterSampler(fn, self))

    def shard(self, num_shards, index):
        """Returns a new dataset that includes only 1/num_shards of this dataset.

        The first ``len(self) % num_shards`` shards hold one sample more than the others.

        Parameters
        ----------
        num_shards : int
            The number of data shards.
        index : int
            The index of the current shard, in ``[0, num_shards)``.

        Returns
        -------
        Dataset
            The result dataset.
        """
        if not isinstance(num_shards, (int, np.integer)) or num_shards <= 0:
            raise InvalidArgumentError("shard: num_shards must be a positive integer, got %r"
                                       % (num_shards,))
        if not isinstance(index, (int, np.integer)) or not 0 <= index < num_shards:
            raise InvalidArgumentError("shard: index must be in [0, %d), got %r"
                                       % (num_shards, index))
        shard_len, rest = divmod(len(self), num_shards)
        start = shard_len * index + min(index, rest)
        length = shard_len + (1 if index < rest else 0)
        from .sampler import SequentialSampler
        return _SampledDataset(self, SequentialSampler(length, start))

    def take(self, count):
        """Returns a new dataset with at most ``count`` samples in it.

        Parameters
        ----------
        count : int or None
            The number of samples to take from the start. None, or a count greater than the
            size of this dataset, takes all of them.

        Returns
        -------
        Dataset
            The result dataset.
        """
        if count is None or count > len(self):
            count = len(self)
        if count < 0:
            raise InvalidArgumentError("take: count must be >= 0 or None, got %r" % (count,))
        from .sampler import SequentialSampler
        return _SampledDataset(self, SequentialSampler(count))

    def sample(self, sampler):
        """Returns a new dataset with the elements picked by ``sampler``.

        Parameters
        ----------
        sampler : Sampler
            A Sampler that returns the indices of sampled elements.

        Returns
        -------
        Dataset
            The result dataset.
        """
        from .sampler import Sampler
        if not isinstance(sampler, Sampler):
            raise ArgumentTypeError("sample: expected a gluon.data.Sampler, got %s"
                                    % type(sampler).__name__)
        return _SampledDataset(self, sampler)

    def transform(self, fn, lazy=True):
        """Returns a new dataset with each sample transformed by the transformer function ``fn``.

        Parameters
        ----------
        fn : callable
            A transformer function that takes a sample as input and returns the transformed
            sample. A tuple sample is passed as separate arguments: ``fn(data, label)``.
        lazy : bool, default True
            If False, transforms all samples at once. Otherwise, transforms each sample on
            demand. Note that if ``fn`` is stochastic, you must set lazy to True or you will get
            the same result on all epochs.

        Returns
        -------
        Dataset
            The transformed dataset.
        """
        if not callable(fn):
            raise ArgumentTypeError("transform: fn must be callable, got %s" % type(fn).__name__)
        transformed = _LazyTransformDataset(self, fn)
        if lazy:
            return transformed
        return SimpleDataset([sample for sample in transformed])

    def transform_first(self, fn, lazy=True):
        """Returns a new dataset with the first element of each sample transformed by the
        transformer function ``fn``.

        This is useful, for example, when you only want to transform data while keeping the
        label as is.

        Parameters
        ----------
        fn : callable
            A transformer function that takes the first element of a sample as input and
            returns the transformed element.
        lazy : bool, default True
            If False, transforms all samples at once. Otherwise, transforms each sample on
            demand. Note that if ``fn`` is stochastic, you must set lazy to True or you will get
            the same result on all epochs.

        Returns
        -------
        Dataset
            The transformed dataset.
        """
        if not callable(fn):
            raise ArgumentTypeError("transform_first: fn must be callable, got %s"
                                    % type(fn).__name__)
        return self.transform(_TransformFirstClosure(fn), lazy)

    def __iter__(self):
        # Without this Python would iterate through __getitem__ until an IndexError, which a
        # dataset over an NDArray raises only at the end: fine, but slower and less clear.
        for i in range(len(self)):
            yield self[i]


class SimpleDataset(Dataset):
    """Simple Dataset wrapper for lists and arrays.

    Parameters
    ----------
    data : dataset-like object
        Any object that implements ``len()`` and ``[]``.
    """

    def __init__(self, data):
        self._data = data

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        return self._data[idx]

    def _get_batch(self, indices):
        if isinstance(self._data, Dataset):
            return _batch_of(self._data, indices)
        rows = _gather(self._data, indices)
        return None if rows is None else _Batch([rows], is_tuple=False)


class ArrayDataset(Dataset):
    """A dataset that combines multiple dataset-like objects, e.g. Datasets, lists, arrays,
    etc.

    The i-th sample is defined as ``(x1[i], x2[i], ...)``; with a single array it is
    ``x1[i]``, not a 1-tuple. As in MXNet a one-dimensional NDArray is kept as a NumPy array,
    so its samples are NumPy scalars rather than one-element NDArrays.

    Parameters
    ----------
    *args : one or more dataset-like objects
        The data arrays, all of the same length.
    """

    def __init__(self, *args):
        if not args:
            raise InvalidArgumentError("ArrayDataset: needs at least 1 array")
        self._length = len(args[0])
        self._data = []
        for i, data in enumerate(args):
            if len(data) != self._length:
                raise ShapeError("ArrayDataset: all arrays must have the same length; array[0] "
                                 "has length %d while array[%d] has %d"
                                 % (self._length, i, len(data)))
            if isinstance(data, NDArray) and data.ndim == 1:
                data = data.asnumpy()
            self._data.append(data)

    def __getitem__(self, idx):
        if len(self._data) == 1:
            return self._data[0][idx]
        return tuple(data[idx] for data in self._data)

    def __len__(self):
        return self._length

    def _get_batch(self, indices):
        fields = []
        for data in self._data:
            rows = _gather(data, indices)
            if rows is None:
                return None
            fields.append(rows)
        return _Batch(fields, is_tuple=len(fields) > 1)


class _LazyTransformDataset(Dataset):
    """A dataset whose samples go through ``fn`` when they are read."""

    def __init__(self, data, fn):
        self._data = data
        self._fn = fn

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        item = self._data[idx]
        if isinstance(item, tuple):
            return self._fn(*item)
        return self._fn(item)

    def _get_batch(self, indices):
        # Only transforms known to act on each row of a batch on its own (ToTensor,
        # Normalize, Cast, Resize and their Compose) may see the whole batch at once; any
        # other function runs per sample, as MXNet runs it.
        if isinstance(self._fn, _TransformFirstClosure):
            fn, first_only = self._fn._fn, True
        else:
            fn, first_only = self._fn, False
        if not getattr(fn, "_acts_per_row", False):
            return None
        batch = _batch_of(self._data, indices)
        if batch is None or (batch.is_tuple and not first_only):
            return None
        first = batch.fields[0]
        if not isinstance(first, NDArray):
            return None  # the vision transforms take NDArrays only
        return _Batch([fn(first)] + batch.fields[1:], batch.is_tuple)


class _TransformFirstClosure:
    """Applies ``fn`` to the first element of a sample (a callable object rather than a
    closure, so a transformed dataset can be pickled)."""

    def __init__(self, fn):
        self._fn = fn

    def __call__(self, x, *args):
        if args:
            return (self._fn(x),) + args
        return self._fn(x)


class _SampledDataset(Dataset):
    """The samples of ``dataset`` at the indices ``sampler`` yields (read once, up front)."""

    def __init__(self, dataset, sampler):
        self._dataset = dataset
        self._sampler = sampler
        self._indices = np.fromiter(iter(sampler), dtype=np.int64)

    def __len__(self):
        return len(self._indices)

    def __getitem__(self, idx):
        return self._dataset[int(self._indices[idx])]

    def _get_batch(self, indices):
        return _batch_of(self._dataset, self._indices[indices])
