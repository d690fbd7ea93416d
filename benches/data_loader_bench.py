"""One epoch of FashionMNIST-shaped data through a DataLoader: ferrograd's gluon.data against
PyTorch's DataLoader and a plain NumPy loop.

The workload: 60 000 uint8 images of 28x28x1 with int32 labels, shuffled, in minibatches of
256, each image converted as ``transforms.ToTensor`` does (CHW float32 divided by 255):

* ferrograd: ``DataLoader(ArrayDataset(images, labels).transform_first(ToTensor()), 256,
  shuffle=True)`` -- what D2L's ``load_data_fashion_mnist`` builds (FashionMNIST is an
  ArrayDataset-like dataset over the same two arrays). Also timed: the same loader forced onto
  the per-sample path (what MXNet does), to show what the whole-batch path saves.
* PyTorch: a ``Dataset`` whose ``__getitem__`` returns ``(img.permute(2, 0, 1).float() / 255,
  label)``, through ``torch.utils.data.DataLoader(batch_size=256, shuffle=True)`` -- the
  usual per-sample pipeline (torchvision's FashionMNIST + ToTensor does the same work, plus a
  PIL conversion).
* NumPy: a permutation, one fancy-index per batch, ``astype(float32) / 255`` and a transpose.

Importable for ``benches/compare.py``: ``make_data()``, ``SETUPS`` (name -> ``setup(data,
num_workers)`` returning a function that runs one epoch, set-up not timed) and ``measure()``
(median seconds per epoch of each). Run standalone it prints the median epoch time of each and
the ratios to PyTorch:

    python benches/data_loader_bench.py [--repeats 5] [--workers 0]

PyTorch is optional (timed when importable; never a dependency of ferrograd).
"""

import argparse
import statistics
import sys
import time

import numpy as np

N_SAMPLES = 60000
BATCH_SIZE = 256


def make_data(n=N_SAMPLES, seed=0):
    """FashionMNIST-shaped data: (images uint8 (n, 28, 28, 1), labels int32 (n,))."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 28, 28, 1), dtype=np.uint8)
    labels = rng.integers(0, 10, size=n).astype(np.int32)
    return images, labels


def setup_ferrograd(data, num_workers=0, per_sample=False):
    """The loader D2L builds (the NDArray of images is made once, as FashionMNIST does when it
    is constructed); returns a function running one epoch."""
    from ferrograd import nd
    from ferrograd.gluon.data import ArrayDataset, DataLoader
    from ferrograd.gluon.data.dataloader import default_batchify_fn
    from ferrograd.gluon.data.vision import transforms

    images, labels = data
    dataset = ArrayDataset(nd.array(images, dtype="uint8"), labels)
    dataset = dataset.transform_first(transforms.ToTensor())
    batchify = (lambda samples: default_batchify_fn(samples)) if per_sample else None
    loader = DataLoader(dataset, BATCH_SIZE, shuffle=True, num_workers=num_workers,
                        batchify_fn=batchify)

    def epoch():
        seen = 0
        for X, y in loader:
            seen += X.shape[0]
        return seen
    return epoch


def setup_ferrograd_per_sample(data, num_workers=0):
    return setup_ferrograd(data, num_workers, per_sample=True)


def setup_numpy(data, num_workers=0):
    images, labels = data

    def epoch():
        order = np.random.permutation(len(labels))
        seen = 0
        for start in range(0, len(order), BATCH_SIZE):
            idx = order[start:start + BATCH_SIZE]
            X = (images[idx].astype(np.float32) / 255).transpose(0, 3, 1, 2)
            y = labels[idx]
            seen += X.shape[0] + 0 * y.shape[0]
        return seen
    return epoch


def setup_torch(data, num_workers=0):
    import torch
    from torch.utils.data import DataLoader, Dataset

    images, labels = data

    class Images(Dataset):
        def __init__(self):
            self.images = torch.from_numpy(images)
            self.labels = torch.from_numpy(labels)

        def __len__(self):
            return len(self.labels)

        def __getitem__(self, i):
            return self.images[i].permute(2, 0, 1).float() / 255, self.labels[i]

    loader = DataLoader(Images(), batch_size=BATCH_SIZE, shuffle=True, num_workers=num_workers)

    def epoch():
        seen = 0
        for X, y in loader:
            seen += X.shape[0]
        return seen
    return epoch


# name -> setup(data, num_workers) -> epoch(), which runs one epoch and returns the number of
# samples it saw. The set-up (building arrays and loaders) is not timed.
SETUPS = {
    "ferrograd": setup_ferrograd,
    "numpy": setup_numpy,
    "torch": setup_torch,
    "ferrograd per-sample": setup_ferrograd_per_sample,
}


def available(name):
    if name == "torch":
        try:
            import torch  # noqa: F401
        except ImportError:
            return False
    return True


def measure(names=None, repeats=5, num_workers=0, data=None):
    """Median seconds per epoch for each implementation, interleaved so that the machine's
    noise hits them alike: {name: seconds}."""
    data = data if data is not None else make_data()
    names = [n for n in (names or SETUPS) if available(n)]
    epochs = {name: SETUPS[name](data, num_workers) for name in names}
    for name in names:  # warm-up: imports, first allocations
        assert epochs[name]() == len(data[1])
    times = {name: [] for name in names}
    for _ in range(repeats):
        for name in names:
            start = time.perf_counter()
            epochs[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--workers", type=int, default=0,
                        help="num_workers for the ferrograd and PyTorch loaders")
    args = parser.parse_args(argv)
    medians = measure(repeats=args.repeats, num_workers=args.workers)
    print("one epoch, %d FashionMNIST-shaped images, batch %d, shuffle, ToTensor, "
          "num_workers=%d; median of %d" % (N_SAMPLES, BATCH_SIZE, args.workers, args.repeats))
    base = medians.get("torch")
    for name, seconds in medians.items():
        ratio = "  %.3fx PyTorch" % (seconds / base) if base else ""
        print("  %-22s %8.1f ms%s" % (name, seconds * 1e3, ratio))
    if base is None:
        print("  (PyTorch not importable here: no ratios)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
