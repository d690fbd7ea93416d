"""Samplers: the order in which a DataLoader visits a dataset (MXNet 1.x's
``gluon.data.sampler``)."""

import numpy as np

from ...base import ArgumentTypeError, InvalidArgumentError

__all__ = ["Sampler", "SequentialSampler", "RandomSampler", "FilterSampler", "BatchSampler"]

_LAST_BATCH_MODES = ("keep", "discard", "rollover")


def _check_count(owner, name, value, minimum):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ArgumentTypeError("%s: %s must be an integer, got %r" % (owner, name, value))
    if value < minimum:
        raise InvalidArgumentError("%s: %s must be >= %d, got %d" % (owner, name, minimum, value))
    return int(value)


def _check_last_batch(owner, last_batch):
    if last_batch not in _LAST_BATCH_MODES:
        raise InvalidArgumentError("%s: last_batch must be one of 'keep', 'discard' or "
                                   "'rollover', got %r" % (owner, last_batch))
    return last_batch


class Sampler:
    """Base class for samplers.

    All samplers should subclass ``Sampler`` and define ``__iter__`` and ``__len__`` methods.
    """

    def __iter__(self):
        raise NotImplementedError("%s must define __iter__" % type(self).__name__)

    def __len__(self):
        raise NotImplementedError("%s must define __len__" % type(self).__name__)


class SequentialSampler(Sampler):
    """Samples elements from [start, start+length) sequentially.

    Parameters
    ----------
    length : int
        Length of the sequence.
    start : int, default is 0
        The start of the sequence index.
    """

    def __init__(self, length, start=0):
        self._length = _check_count("SequentialSampler", "length", length, 0)
        self._start = _check_count("SequentialSampler", "start", start, 0)

    def __iter__(self):
        return iter(range(self._start, self._start + self._length))

    def __len__(self):
        return self._length

    def _index_array(self):
        return np.arange(self._start, self._start + self._length, dtype=np.int64)


class RandomSampler(Sampler):
    """Samples elements from [0, length) randomly without replacement.

    The order comes from NumPy's global generator (``np.random.shuffle``), as in MXNet: seed it
    with ``np.random.seed`` for a repeatable order (``mx.random.seed`` does not affect it).

    Parameters
    ----------
    length : int
        Length of the sequence.
    """

    def __init__(self, length):
        self._length = _check_count("RandomSampler", "length", length, 0)

    def __iter__(self):
        return iter(self._index_array())

    def __len__(self):
        return self._length

    def _index_array(self):
        indices = np.arange(self._length)
        np.random.shuffle(indices)
        return indices


class FilterSampler(Sampler):
    """Samples elements from a Dataset for which ``fn`` returns True.

    Parameters
    ----------
    fn : callable
        A callable function that takes a sample and returns a boolean.
    dataset : Dataset
        The dataset to filter.
    """

    def __init__(self, fn, dataset):
        if not callable(fn):
            raise ArgumentTypeError("FilterSampler: fn must be callable, got %s"
                                    % type(fn).__name__)
        self._fn = fn
        self._dataset = dataset
        self._indices = [i for i in range(len(dataset)) if fn(dataset[i])]

    def __iter__(self):
        return iter(self._indices)

    def __len__(self):
        return len(self._indices)


class BatchSampler(Sampler):
    """Wraps over another ``Sampler`` and returns mini-batches of samples.

    Parameters
    ----------
    sampler : Sampler
        The source Sampler.
    batch_size : int
        Size of mini-batch.
    last_batch : {'keep', 'discard', 'rollover'}
        Specifies how the last batch is handled if batch_size does not evenly divide sequence
        length.

        If 'keep', the last batch will be returned directly, but will contain less element
        than ``batch_size`` requires.

        If 'discard', the last batch will be discarded.

        If 'rollover', the remaining elements will be rolled over to the next iteration.

    Examples
    --------
    >>> sampler = gluon.data.SequentialSampler(10)
    >>> batch_sampler = gluon.data.BatchSampler(sampler, 3, 'keep')
    >>> list(batch_sampler)
    [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    """

    def __init__(self, sampler, batch_size, last_batch="keep"):
        self._sampler = sampler
        self._batch_size = _check_count("BatchSampler", "batch_size", batch_size, 1)
        self._last_batch = _check_last_batch("BatchSampler", last_batch)
        self._prev = []  # under 'rollover', the incomplete tail of the previous epoch

    def __iter__(self):
        for batch in self._index_batches():
            yield batch.tolist() if isinstance(batch, np.ndarray) else batch

    def _index_batches(self):
        """The batches, as NumPy int64 arrays when the sampler can hand over all its indices
        at once (``_index_array``: SequentialSampler, RandomSampler), else as lists. The
        DataLoader reads these directly; ``__iter__`` gives lists, as in MXNet."""
        index_array = getattr(self._sampler, "_index_array", None)
        if index_array is None:
            yield from self._list_batches()
            return
        order = index_array()
        if self._prev:
            order = np.concatenate([np.asarray(self._prev, dtype=np.int64), order])
            self._prev = []
        size = self._batch_size
        full = len(order) - len(order) % size
        for start in range(0, full, size):
            yield order[start:start + size]
        if full < len(order):
            if self._last_batch == "keep":
                yield order[full:]
            elif self._last_batch == "rollover":
                self._prev = order[full:].tolist()

    def _list_batches(self):
        batch, self._prev = self._prev, []
        for i in self._sampler:
            batch.append(i)
            if len(batch) == self._batch_size:
                yield batch
                batch = []
        if batch:
            if self._last_batch == "keep":
                yield batch
            elif self._last_batch == "rollover":
                self._prev = batch

    def __len__(self):
        if self._last_batch == "keep":
            return (len(self._sampler) + self._batch_size - 1) // self._batch_size
        if self._last_batch == "discard":
            return len(self._sampler) // self._batch_size
        return (len(self._prev) + len(self._sampler)) // self._batch_size
