"""The DataLoader: mini-batches from a dataset (MXNet 1.x's ``gluon.data.dataloader``).

Two ways to make a batch, with the same result:

* per sample, as MXNet does: ``batchify_fn([dataset[i] for i in batch_indices])``;
* per batch, when ``batchify_fn`` is the default and the dataset can gather rows itself
  (``ArrayDataset``/``SimpleDataset`` over arrays, MNIST/FashionMNIST, and those transformed
  by the vision transforms that act on each row alone, e.g. ``transform_first(ToTensor())``):
  one fancy-index of the underlying array and one transform call per batch.

Workers. MXNet's ``num_workers > 0`` starts worker processes; ferrograd does not fork (its
engine's thread pool would not survive it), and by default makes every batch in the calling
thread, whatever ``num_workers`` says: measured on 2 cores, the whole-batch path costs ~45 ms
per 60 000-image epoch in-process, and handing batches to threads made it 2-3x slower (an
engine op runs ~3x slower on a thread other than the one that imported ferrograd), and a D2L
MLP epoch ~10% slower. ``thread_pool=True`` (MXNet's switch from processes to threads) does
start ``num_workers`` threads, ``prefetch`` batches ahead, for pipelines whose per-sample work
releases the GIL; they are not used when the engine's pool has a single thread (an op from
another thread would then wait for the blocked calling thread: a hang, see
requests-data.md), where batches are made in the calling thread too.
"""

import collections
import concurrent.futures
import os
import threading

import numpy as np

from ... import nd
from ..._core import NDArray
from ...base import ArgumentTypeError, InvalidArgumentError, MXNetError
from . import sampler as _sampler
from .dataset import _batch_of

__all__ = ["DataLoader", "default_batchify_fn", "default_mp_batchify_fn"]


class DataLoaderTimeoutError(MXNetError, TimeoutError):
    """A DataLoader worker did not deliver a batch within ``timeout`` seconds."""


def default_batchify_fn(data):
    """Collate data into batch.

    NDArray samples are stacked into one NDArray; tuple samples are collated element by
    element into a list; anything else (NumPy arrays, NumPy or Python scalars) goes through
    ``np.asarray`` and becomes an NDArray of that dtype (Python ints give int64, floats
    float64, as in MXNet).
    """
    if isinstance(data[0], NDArray):
        return nd.stack(*data)
    if isinstance(data[0], tuple):
        return [default_batchify_fn(column) for column in zip(*data)]
    data = np.asarray(data)
    return nd.array(data, dtype=data.dtype)


# MXNet stacks into shared memory for its worker processes; ferrograd's workers are threads,
# so the in-process function is the right one for both.
default_mp_batchify_fn = default_batchify_fn


def _as_batch(batch):
    """What ``default_batchify_fn`` would return for the samples gathered in ``batch``."""
    fields = [f if isinstance(f, NDArray) else nd.array(f, dtype=f.dtype) for f in batch.fields]
    return fields if batch.is_tuple else fields[0]


def _engine_pool_size():
    """The number of threads in the engine's pool (``FERROGRAD_NUM_THREADS``, else rayon's
    default: ``RAYON_NUM_THREADS`` or one per CPU)."""
    for name in ("FERROGRAD_NUM_THREADS", "RAYON_NUM_THREADS"):
        try:
            value = int(os.environ.get(name, ""))
        except ValueError:
            continue
        if value > 0:
            return value
    return os.cpu_count() or 1


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ArgumentTypeError("DataLoader: %s must be a positive integer, got %r"
                                % (name, value))
    if value <= 0:
        raise InvalidArgumentError("DataLoader: %s must be a positive integer, got %d"
                                   % (name, value))
    return int(value)


class DataLoader:
    """Loads data from a dataset and returns mini-batches of data.

    Parameters
    ----------
    dataset : Dataset
        Source dataset. Note that numpy and mxnet arrays can be directly used as a Dataset.
    batch_size : int
        Size of mini-batch.
    shuffle : bool
        Whether to shuffle the samples (with NumPy's global generator, as MXNet).
    sampler : Sampler
        The sampler to use. Either specify sampler or shuffle, not both.
    last_batch : {'keep', 'discard', 'rollover'}
        How to handle the last batch if batch_size does not evenly divide ``len(dataset)``.

        keep - A batch with less samples than previous batches is returned.
        discard - The last batch is discarded if its incomplete.
        rollover - The remaining samples are rolled over to the next epoch.
    batch_sampler : Sampler
        A sampler that returns mini-batches. Do not specify batch_size, shuffle, sampler, and
        last_batch if batch_sampler is specified.
    batchify_fn : callable
        Callback function to allow users to specify how to merge samples into a batch.
        Defaults to :func:`default_batchify_fn`.
    num_workers : int, default 0
        MXNet's number of worker processes. ferrograd makes batches in the calling thread
        (faster here: see the module docstring) unless ``thread_pool`` is True, when it is the
        number of worker threads. A negative number counts as 0, as in MXNet.
    pin_memory : boolean, default False
        Accepted for compatibility; ferrograd computes on the CPU, so there is nothing to pin.
    pin_device_id : int, default 0
        Accepted for compatibility (see ``pin_memory``).
    prefetch : int, default is ``num_workers * 2``
        The number of batches in flight ahead of the one being consumed, with worker threads.
    thread_pool : bool, default False
        If True and ``num_workers > 0``, make batches on that many worker threads.
    timeout : int, default is 120
        The time in seconds to wait for a worker to deliver a batch before raising.
    auto_reload : bool, default False
        Accepted for compatibility; every ``iter(loader)`` starts a fresh pass.
    """

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None,
                 last_batch=None, batch_sampler=None, batchify_fn=None,
                 num_workers=0, pin_memory=False, pin_device_id=0,
                 prefetch=None, thread_pool=False, timeout=120, auto_reload=False):
        try:
            length = len(dataset)
        except TypeError:
            raise ArgumentTypeError("DataLoader: dataset must support len() and [] (a Dataset, "
                                    "an NDArray or a NumPy array), got %s"
                                    % type(dataset).__name__) from None
        if batch_sampler is None:
            if batch_size is None:
                raise InvalidArgumentError("DataLoader: batch_size must be specified unless "
                                           "batch_sampler is specified")
            batch_size = _check_positive_int("batch_size", batch_size)
            if sampler is None:
                sampler = (_sampler.RandomSampler(length) if shuffle
                           else _sampler.SequentialSampler(length))
            elif shuffle:
                raise InvalidArgumentError("DataLoader: shuffle must not be specified if "
                                           "sampler is specified")
            batch_sampler = _sampler.BatchSampler(sampler, batch_size,
                                                  "keep" if last_batch is None else last_batch)
        elif batch_size is not None or shuffle or sampler is not None or last_batch is not None:
            raise InvalidArgumentError("DataLoader: batch_size, shuffle, sampler and last_batch "
                                       "must not be specified if batch_sampler is specified")
        if batchify_fn is not None and not callable(batchify_fn):
            raise ArgumentTypeError("DataLoader: batchify_fn must be callable, got %s"
                                    % type(batchify_fn).__name__)
        if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)):
            raise ArgumentTypeError("DataLoader: num_workers must be an integer, got %r"
                                    % (num_workers,))
        if not isinstance(timeout, (int, float)) or not timeout > 0:
            raise InvalidArgumentError("DataLoader: timeout must be positive, got %r" % (timeout,))

        self._dataset = dataset
        self._batch_sampler = batch_sampler
        self._batchify_fn = batchify_fn or default_batchify_fn
        self._num_workers = max(0, int(num_workers))
        self._prefetch = max(0, int(prefetch) if prefetch is not None else 2 * self._num_workers)
        self._timeout = timeout
        self._pin_memory = pin_memory
        self._pin_device_id = pin_device_id
        self._thread_pool = thread_pool
        self.auto_reload = auto_reload
        self._pool = None
        self._pool_lock = threading.Lock()

    def __len__(self):
        return len(self._batch_sampler)

    def _make_batch(self, indices):
        """One batch, from the sample indices the batch sampler chose."""
        if self._batchify_fn is default_batchify_fn:
            # A custom sampler may yield any keys its dataset accepts: only non-negative
            # integers can be gathered as rows.
            rows = np.asarray(indices)
            if rows.dtype.kind in "iu" and rows.ndim == 1 and rows.size and rows.min() >= 0:
                batch = _batch_of(self._dataset, rows.astype(np.int64, copy=False))
                if batch is not None:
                    return _as_batch(batch)
        if isinstance(indices, np.ndarray):
            indices = indices.tolist()  # samples are read with Python ints, as in MXNet
        return self._batchify_fn([self._dataset[i] for i in indices])

    def _index_batches(self):
        """The batch sampler's batches; as arrays (no list of Python ints in between) when it
        is a BatchSampler over a sampler that can give them."""
        # Not for a subclass with its own __iter__: that defines its batches.
        if type(self._batch_sampler).__iter__ is _sampler.BatchSampler.__iter__:
            return self._batch_sampler._index_batches()
        return iter(self._batch_sampler)

    def _uses_threads(self):
        return self._num_workers > 0 and self._thread_pool and _engine_pool_size() > 1

    def __iter__(self):
        if not self._uses_threads():
            return (self._make_batch(indices) for indices in self._index_batches())
        return self._threaded_iter()

    def _executor(self):
        with self._pool_lock:
            if self._pool is None:
                self._pool = concurrent.futures.ThreadPoolExecutor(
                    self._num_workers, thread_name_prefix="ferrograd-DataLoader")
            return self._pool

    def _threaded_iter(self):
        """Batches made by the worker threads, handed out in the sampler's order."""
        pool = self._executor()
        pending = collections.deque()  # futures in sampler order
        indices_iter = self._index_batches()
        in_flight = max(1, self._prefetch)

        def submit_next():
            indices = next(indices_iter, None)
            if indices is not None:
                pending.append(pool.submit(self._make_batch, indices))

        try:
            for _ in range(in_flight):
                submit_next()
            while pending:
                future = pending.popleft()
                try:
                    batch = future.result(timeout=self._timeout)
                except concurrent.futures.TimeoutError:
                    raise DataLoaderTimeoutError(
                        "DataLoader: a worker took more than timeout=%ss to make a batch"
                        % self._timeout) from None
                submit_next()
                yield batch
        finally:
            for future in pending:  # a loop left early: drop what it will not read
                future.cancel()

    def __del__(self):
        pool = getattr(self, "_pool", None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
