"""gluon.data: datasets, samplers, the DataLoader and its default batchify, checked against
what MXNet 1.9.1 returns for the same calls (tests/fixtures/gluon_data/mxnet_reference.json,
recorded by record_mxnet.py there), and the whole-batch path against the per-sample one."""

import threading
import time

import numpy as np
import pytest

from ferrograd import MXNetError, NDArray, nd
from ferrograd.gluon import data as gdata
from ferrograd.gluon.data import (ArrayDataset, BatchSampler, DataLoader, FilterSampler,
                                  RandomSampler, SequentialSampler, SimpleDataset)
from ferrograd.gluon.data.dataloader import DataLoaderTimeoutError, default_batchify_fn
from ferrograd.gluon.data.vision import transforms as T

from gluon_data_util import assert_like_mxnet, rand_uint8, reference

REF = reference()
X = np.arange(30, dtype=np.float32).reshape(10, 3)
Y = np.arange(10, dtype=np.int32) * 2


def per_sample(samples):
    """The default batchify behind a function that is not the default: forces the per-sample
    path, MXNet's only one."""
    return default_batchify_fn(samples)


# --- against MXNet ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["keep", "discard", "rollover"])
@pytest.mark.parametrize("batchify", [None, per_sample], ids=["batched", "per_sample"])
def test_last_batch_modes_over_two_epochs_match_mxnet(mode, batchify):
    ref = REF["loader_modes"][mode]
    loader = DataLoader(ArrayDataset(nd.array(X), Y), batch_size=4, last_batch=mode,
                        batchify_fn=batchify)
    assert len(loader) == ref["len_before"]
    for epoch, ref_batches in enumerate(ref["epochs"]):
        batches = list(loader)
        assert len(batches) == len(ref_batches)
        for i, (ours, theirs) in enumerate(zip(batches, ref_batches)):
            assert_like_mxnet(ours, theirs, where="%s epoch %d batch %d" % (mode, epoch, i))
    assert len(loader) == ref["len_after"]


@pytest.mark.parametrize("case", sorted(REF["batchify"]))
def test_default_batchify_types_and_dtypes_match_mxnet(case):
    datasets = {
        "python_ints": (SimpleDataset([1, 2, 3]), 2),
        "python_floats": (SimpleDataset([1.5, 2.0, -3.25]), 3),
        "tuples_of_scalars": (SimpleDataset([(1, 2.5), (3, 4.5), (5, 6.5)]), 2),
        "numpy_rows": (np.arange(10, dtype=np.int64).reshape(5, 2), 2),
        "nested_lists": (SimpleDataset([[1, 2], [3, 4], [5, 6]]), 2),
        "float64_numpy": (ArrayDataset(np.linspace(0, 1, 5)), 5),
        "uint8_ndarray_images": (ArrayDataset(nd.array(rand_uint8((5, 2, 2, 1), 1), dtype="uint8"),
                                              np.arange(5, dtype=np.int32)), 3),
        "ndarray_1d_and_list": (ArrayDataset(nd.arange(4), [7, 8, 9, 10]), 3),
    }
    dataset, batch_size = datasets[case]
    assert_like_mxnet(list(DataLoader(dataset, batch_size)), REF["batchify"][case], where=case)
    assert_like_mxnet(list(DataLoader(dataset, batch_size, batchify_fn=per_sample)),
                      REF["batchify"][case], where=case + " per sample")


def test_array_dataset_items_match_mxnet():
    items = REF["items"]
    assert_like_mxnet(ArrayDataset(nd.arange(6), [1, 2, 3, 4, 5, 6],
                                   np.arange(6, dtype=np.int32))[2], items["array_dataset_mixed"])
    assert_like_mxnet(ArrayDataset(nd.arange(12).reshape((6, 2)), nd.arange(6))[1],
                      items["array_dataset_2d"])
    assert_like_mxnet(ArrayDataset(nd.arange(6))[4], items["array_dataset_single"])
    assert_like_mxnet(ArrayDataset(nd.arange(12).reshape((6, 2)))[4],
                      items["array_dataset_single_2d"])


@pytest.mark.parametrize("mode", ["keep", "discard", "rollover"])
def test_batch_sampler_matches_mxnet(mode):
    sampler = BatchSampler(SequentialSampler(10), 3, mode)
    assert list(sampler) == REF["batch_sampler"][mode]
    if mode == "rollover":  # the leftover [9] starts the next epoch
        assert len(sampler) == 3
        assert list(sampler) == [[9, 0, 1], [2, 3, 4], [5, 6, 7]]
        assert len(sampler) == 4  # [8, 9] left over now: (2 + 10) // 3
        assert list(sampler) == [[8, 9, 0], [1, 2, 3], [4, 5, 6], [7, 8, 9]]


def test_random_sampler_and_shuffle_follow_numpys_global_generator_as_mxnet():
    np.random.seed(42)
    assert [int(i) for i in RandomSampler(10)] == REF["random_sampler_seed42"]
    np.random.seed(7)
    batches = list(DataLoader(ArrayDataset(nd.array(X), Y), 4, shuffle=True))
    assert_like_mxnet(batches, REF["shuffled_loader_seed7"])


def test_shuffle_visits_every_sample_once_per_epoch():
    loader = DataLoader(ArrayDataset(nd.array(X), Y), 3, shuffle=True)
    for _ in range(3):
        labels = np.concatenate([y.asnumpy() for _, y in loader])
        assert sorted(labels.tolist()) == Y.tolist()


def test_shard_take_filter_transform_match_mxnet():
    ref = REF["dataset_ops"]
    base = SimpleDataset(list(range(10)))
    for i in range(3):
        assert list(base.shard(3, i)) == ref["shard_3_of_%d" % i]
    assert list(base.take(4)) == ref["take_4"]
    assert list(base.take(None)) == ref["take_none"]
    assert list(base.filter(lambda v: v % 2 == 0)) == ref["filter_even"]
    assert list(base.transform(lambda v: v * v)) == ref["transform_square"]
    first = ArrayDataset(list(range(4)), list("abcd")).transform_first(lambda v: v + 100)
    assert [list(s) for s in first] == ref["transform_first"]


# --- the whole-batch path gives what the per-sample path gives --------------------------------

def _images_and_labels(n=23, seed=5):
    images = nd.array(rand_uint8((n, 6, 5, 3), seed), dtype="uint8")
    labels = np.random.RandomState(seed).randint(0, 10, size=n).astype(np.int32)
    return images, labels


def _datasets():
    images, labels = _images_and_labels()
    gray, _ = _images_and_labels(23, 6)
    gray = gray[:, :, :, 0:1]
    pipeline = T.Compose([T.Resize((4, 3)), T.ToTensor(), T.Normalize((0.4, 0.5, 0.6), 0.2)])
    return {
        "array_dataset": ArrayDataset(images, labels),
        "array_dataset_numpy_float64": ArrayDataset(np.linspace(0, 1, 46).reshape(23, 2),
                                                    labels.astype(np.int64)),
        "single_array": ArrayDataset(images),
        "simple_dataset_numpy": SimpleDataset(np.arange(46, dtype=np.float32).reshape(23, 2)),
        "raw_ndarray": images,
        "raw_numpy": np.arange(46, dtype=np.int64).reshape(23, 2),
        "to_tensor_first": ArrayDataset(images, labels).transform_first(T.ToTensor()),
        "to_tensor_gray_first": ArrayDataset(gray, labels).transform_first(T.ToTensor()),
        "pipeline_first": ArrayDataset(images, labels).transform_first(pipeline),
        "to_tensor_single": SimpleDataset(images).transform(T.ToTensor()),
        "cast_first": ArrayDataset(images, labels).transform_first(T.Cast("float64")),
        "shard": ArrayDataset(images, labels).shard(3, 1),
        "take_then_transform": ArrayDataset(images, labels).take(17).transform_first(T.ToTensor()),
    }


@pytest.mark.parametrize("name", sorted(_datasets()))
@pytest.mark.parametrize("last_batch", ["keep", "rollover"])
def test_whole_batch_path_equals_per_sample_path(name, last_batch, monkeypatch):
    dataset = _datasets()[name]
    calls = []
    if hasattr(type(dataset), "_get_batch"):
        original = type(dataset)._get_batch

        def spy(self, indices):
            result = original(self, indices)
            calls.append(result is not None)
            return result
        monkeypatch.setattr(type(dataset), "_get_batch", spy)

    np.random.seed(3)
    fast = [b for _ in range(2) for b in DataLoader(dataset, 5, shuffle=True,
                                                    last_batch=last_batch)]
    np.random.seed(3)
    slow = [b for _ in range(2) for b in DataLoader(dataset, 5, shuffle=True,
                                                    last_batch=last_batch,
                                                    batchify_fn=per_sample)]
    assert len(fast) == len(slow) > 0
    for f, s in zip(fast, slow):
        assert type(f) is type(s)
        for a, b in zip(f if isinstance(f, list) else [f], s if isinstance(s, list) else [s]):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    if not isinstance(dataset, (NDArray, np.ndarray)):
        assert calls and all(calls), "the whole-batch path was not taken for %s" % name


def test_a_subclass_that_redefines_getitem_is_read_per_sample():
    class Doubled(ArrayDataset):
        def __getitem__(self, idx):
            x, y = super().__getitem__(idx)
            return x * 2, y

    (x, y), = DataLoader(Doubled(nd.array(X), Y), 10)
    np.testing.assert_array_equal(x.asnumpy(), X * 2)
    np.testing.assert_array_equal(y.asnumpy(), Y)


def test_a_batch_sampler_may_yield_keys_that_are_not_row_numbers():
    from ferrograd.gluon.data import Sampler

    class Keys(Sampler):
        def __iter__(self):
            return iter([["b", "a"], ["c"]])

        def __len__(self):
            return 2

    table = {"a": 1.5, "b": 2.5, "c": 3.5}
    batches = list(DataLoader(table, batch_sampler=Keys()))
    assert [b.asnumpy().tolist() for b in batches] == [[2.5, 1.5], [3.5]]

    class Reversed(BatchSampler):  # a subclass's own __iter__ decides the batches
        def __iter__(self):
            return (batch[::-1] for batch in super().__iter__())

    loader = DataLoader(ArrayDataset(nd.array(X), Y),
                        batch_sampler=Reversed(SequentialSampler(5), 2))
    assert [y.asnumpy().tolist() for _, y in loader] == [[2, 0], [6, 4], [8]]
    # integer keys of a plain sampler over an array dataset still take the whole-batch path
    loader = DataLoader(ArrayDataset(nd.array(X), Y), 3, sampler=FilterSampler(
        lambda sample: sample[1] % 4 == 0, ArrayDataset(nd.array(X), Y)))
    assert [y.asnumpy().tolist() for _, y in loader] == [[0, 4, 8], [12, 16]]


def test_user_transforms_run_per_sample_with_data_and_label():
    seen = []

    def fn(data, label):
        seen.append(int(label))
        return data * 10, label + 1

    loader = DataLoader(ArrayDataset(nd.array(X), Y).transform(fn), 4)
    x, y = next(iter(loader))
    np.testing.assert_allclose(x.asnumpy(), X[:4] * 10)
    np.testing.assert_array_equal(y.asnumpy(), Y[:4] + 1)
    assert seen == Y[:4].tolist()


def test_eager_transform_is_computed_once():
    calls = []
    ds = SimpleDataset([1, 2, 3]).transform(lambda v: calls.append(v) or v * 2, lazy=False)
    assert calls == [1, 2, 3]
    assert list(ds) == [2, 4, 6] and calls == [1, 2, 3]


def test_random_transforms_are_not_applied_to_a_whole_batch():
    images, labels = _images_and_labels()
    ds = ArrayDataset(images, labels).transform_first(T.RandomFlipLeftRight())
    assert ds._get_batch(np.arange(4)) is None
    assert not T.Compose([T.RandomFlipLeftRight(), T.ToTensor()])._acts_per_row
    assert T.Compose([T.Resize(3), T.ToTensor()])._acts_per_row


# --- worker threads ---------------------------------------------------------------------------

@pytest.fixture
def worker_threads_allowed(monkeypatch):
    """The loader starts threads only when the engine's pool has more than one thread; these
    tests' ops are all below the engine's parallel threshold, so they never need the pool and
    can claim two threads on any machine."""
    monkeypatch.setenv("FERROGRAD_NUM_THREADS", "2")


def test_worker_threads_deliver_the_same_batches_in_order(worker_threads_allowed):
    images, labels = _images_and_labels(101)
    ds = ArrayDataset(images, labels).transform_first(T.ToTensor())
    serial = list(DataLoader(ds, 8))
    for workers, prefetch in ((1, None), (3, None), (2, 0), (4, 9)):
        threaded = list(DataLoader(ds, 8, num_workers=workers, prefetch=prefetch,
                                   thread_pool=True))
        assert len(threaded) == len(serial) == 13
        for (a, b), (c, d) in zip(threaded, serial):
            np.testing.assert_array_equal(a.asnumpy(), c.asnumpy())
            np.testing.assert_array_equal(b.asnumpy(), d.asnumpy())


def test_worker_threads_run_batches_concurrently(worker_threads_allowed):
    barrier = threading.Barrier(2, timeout=5)

    class Meeting(SimpleDataset):
        def __getitem__(self, idx):
            if idx in (0, 4):  # first sample of batch 0 and of batch 1: both must be in flight
                barrier.wait()
            return super().__getitem__(idx)

    batches = list(DataLoader(Meeting(list(range(8))), 4, num_workers=2, thread_pool=True))
    assert [b.asnumpy().tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_a_worker_error_reaches_the_caller(worker_threads_allowed):
    class Broken(SimpleDataset):
        def __getitem__(self, idx):
            if idx == 6:
                raise KeyError("sample 6 is broken")
            return super().__getitem__(idx)

    loader = DataLoader(Broken(list(range(10))), 3, num_workers=2, thread_pool=True)
    it = iter(loader)
    assert next(it).asnumpy().tolist() == [0, 1, 2]
    assert next(it).asnumpy().tolist() == [3, 4, 5]
    with pytest.raises(KeyError, match="sample 6 is broken"):
        next(it)


def test_a_slow_worker_times_out_with_a_clear_error(worker_threads_allowed):
    class Slow(SimpleDataset):
        def __getitem__(self, idx):
            time.sleep(0.5)
            return super().__getitem__(idx)

    loader = DataLoader(Slow([1, 2]), 2, num_workers=1, timeout=0.05, thread_pool=True)
    with pytest.raises(DataLoaderTimeoutError, match="timeout=0.05") as info:
        next(iter(loader))
    assert isinstance(info.value, MXNetError) and isinstance(info.value, TimeoutError)


def test_leaving_a_threaded_loop_early_and_starting_again(worker_threads_allowed):
    loader = DataLoader(SimpleDataset(list(range(50))), 5, num_workers=2, thread_pool=True)
    for i, batch in enumerate(loader):
        if i == 2:
            break
    assert [int(b[0].asscalar()) for b in loader] == list(range(0, 50, 5))


class _Threads(SimpleDataset):
    """Records the thread that reads each sample."""

    def __init__(self, data):
        super().__init__(data)
        self.threads = set()

    def __getitem__(self, idx):
        self.threads.add(threading.current_thread().name)
        return super().__getitem__(idx)


def test_without_thread_pool_workers_batches_are_made_in_the_calling_thread(
        worker_threads_allowed):
    # MXNet's worker processes have no ferrograd equivalent; threads are slower here (see
    # dataloader.py), so num_workers alone keeps every batch in the calling thread.
    ds = _Threads(list(range(20)))
    assert [b.asnumpy().tolist() for b in DataLoader(ds, 10, num_workers=4)] == \
        [list(range(10)), list(range(10, 20))]
    assert ds.threads == {threading.current_thread().name}
    ds = _Threads(list(range(20)))
    list(DataLoader(ds, 10, num_workers=2, thread_pool=True))
    assert ds.threads and all(t.startswith("ferrograd-DataLoader") for t in ds.threads)


def test_no_worker_threads_when_the_engine_pool_has_one_thread(monkeypatch):
    # With one engine thread (the importing one) an op from another thread would wait for it
    # while it waits for the batch: the loader must not start threads then.
    monkeypatch.setenv("FERROGRAD_NUM_THREADS", "1")
    ds = _Threads(list(range(6)))
    assert len(list(DataLoader(ds, 2, num_workers=2, thread_pool=True))) == 3
    assert ds.threads == {threading.current_thread().name}


def test_compatibility_arguments_are_accepted():
    loader = DataLoader(ArrayDataset(nd.array(X), Y), 4, pin_memory=True, pin_device_id=0,
                        thread_pool=True, timeout=30, auto_reload=True, num_workers=-1)
    assert len(list(loader)) == 3 == len(loader)


# --- bad input --------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, builtin, pattern", [
    (dict(), ValueError, "batch_size must be specified"),
    (dict(batch_size=0), ValueError, "batch_size must be a positive integer, got 0"),
    (dict(batch_size=-3), ValueError, "batch_size must be a positive integer, got -3"),
    (dict(batch_size=2.5), TypeError, "batch_size must be a positive integer, got 2.5"),
    (dict(batch_size=2, shuffle=True, sampler=SequentialSampler(10)), ValueError,
     "shuffle must not be specified if sampler is specified"),
    (dict(batch_size=2, batch_sampler=BatchSampler(SequentialSampler(10), 2)), ValueError,
     "must not be specified if batch_sampler is specified"),
    (dict(batch_sampler=BatchSampler(SequentialSampler(10), 2), last_batch="keep"), ValueError,
     "must not be specified if batch_sampler is specified"),
    (dict(batch_size=2, last_batch="drop"), ValueError, "last_batch must be one of"),
    (dict(batch_size=2, timeout=0), ValueError, "timeout must be positive"),
    (dict(batch_size=2, batchify_fn="stack"), TypeError, "batchify_fn must be callable"),
    (dict(batch_size=2, num_workers="4"), TypeError, "num_workers must be an integer"),
])
def test_bad_loader_arguments_raise_clear_errors(kwargs, builtin, pattern):
    with pytest.raises(MXNetError, match=pattern) as info:
        DataLoader(ArrayDataset(nd.array(X), Y), **kwargs)
    assert isinstance(info.value, builtin)


def test_a_dataset_without_len_is_refused():
    with pytest.raises(TypeError, match="dataset must support len"):
        DataLoader(iter(range(5)), 2)


def test_array_dataset_lengths_must_agree():
    with pytest.raises(MXNetError, match=r"array\[0\] has length 10 while array\[1\] has 9"):
        ArrayDataset(nd.array(X), Y[:9])
    with pytest.raises(ValueError, match="at least 1 array"):
        ArrayDataset()


@pytest.mark.parametrize("make, pattern", [
    (lambda: SequentialSampler(-1), "length must be >= 0"),
    (lambda: RandomSampler(3.0), "length must be an integer"),
    (lambda: BatchSampler(SequentialSampler(3), 0), "batch_size must be >= 1"),
    (lambda: BatchSampler(SequentialSampler(3), 2, "all"), "last_batch must be one of"),
    (lambda: FilterSampler(3, [1]), "fn must be callable"),
    (lambda: SimpleDataset([1, 2]).shard(0, 0), "num_shards must be a positive integer"),
    (lambda: SimpleDataset([1, 2]).shard(2, 2), r"index must be in \[0, 2\)"),
    (lambda: SimpleDataset([1, 2]).sample([0, 1]), "expected a gluon.data.Sampler"),
    (lambda: SimpleDataset([1, 2]).transform_first(None), "fn must be callable"),
])
def test_bad_sampler_and_dataset_arguments(make, pattern):
    with pytest.raises(MXNetError, match=pattern):
        make()


def test_a_batch_of_mixed_shapes_fails_in_stack_not_silently():
    loader = DataLoader(SimpleDataset([nd.ones((2,)), nd.ones((3,))]), 2)
    with pytest.raises(MXNetError):
        list(loader)


def test_public_names_mirror_mxnet():
    for name in ("Dataset", "SimpleDataset", "ArrayDataset", "Sampler", "SequentialSampler",
                 "RandomSampler", "FilterSampler", "BatchSampler", "DataLoader", "vision"):
        assert hasattr(gdata, name), name
    assert gdata.vision.transforms.ToTensor is T.ToTensor
    assert gdata.dataloader.default_batchify_fn is default_batchify_fn
    ds = SimpleDataset(list(range(6))).sample(SequentialSampler(3, 2))
    assert list(ds) == [2, 3, 4]


# --- properties -------------------------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402


def _expected_batches(order, batch_size, last_batch, leftover):
    """A plain model of BatchSampler: ``leftover`` (rolled over from before) then ``order``."""
    order = list(leftover) + list(order)
    full = len(order) - len(order) % batch_size
    batches = [order[i:i + batch_size] for i in range(0, full, batch_size)]
    tail = order[full:]
    if tail and last_batch == "keep":
        batches.append(tail)
    return batches, (tail if last_batch == "rollover" else [])


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), batch_size=st.integers(1, 12),
       last_batch=st.sampled_from(["keep", "discard", "rollover"]),
       shuffle=st.booleans(), seed=st.integers(0, 2 ** 16))
def test_loader_batches_follow_the_sampler_model(n, batch_size, last_batch, shuffle, seed):
    data = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    labels = np.arange(n, dtype=np.int32)
    loader = DataLoader(ArrayDataset(nd.array(data), labels), batch_size, shuffle=shuffle,
                        last_batch=last_batch)
    leftover = []
    for epoch in range(3):
        np.random.seed(seed + epoch)
        order = np.random.permutation(n) if shuffle else np.arange(n)
        expected, leftover_next = _expected_batches(order, batch_size, last_batch, leftover)
        assert len(loader) == len(expected)
        np.random.seed(seed + epoch)
        batches = list(loader)
        assert [y.asnumpy().tolist() for _, y in batches] == [list(b) for b in expected]
        for x, y in batches:
            assert x.dtype == np.float32 and y.dtype == np.int32
            np.testing.assert_array_equal(x.asnumpy(), data[y.asnumpy()])
        leftover = leftover_next
