"""Helpers for the gluon.data tests (and for tests/fixtures/gluon_data/record_mxnet.py, which
records what MXNet 1.9.1 returns on the same data): small data sets in the real idx+gzip
format of (Fashion-)MNIST, and a local HTTP server to download them from. Nothing here touches
the internet. Only NumPy's legacy generator is used, whose streams are fixed across NumPy
versions, so MXNet's environment (NumPy 1.23) and ours (2.x) make the same bytes.
"""

import contextlib
import gzip
import http.server
import io
import os
import struct
import threading

import numpy as np

FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def idx_gz_bytes(array):
    """``array`` (uint8) in the idx format (magic 0x0000080<ndim>, big-endian dims), gzipped
    with a fixed mtime so the bytes, and their SHA-1, do not depend on the time."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = struct.pack(">I", 0x0800 | array.ndim) + struct.pack(">%dI" % array.ndim,
                                                                    *array.shape)
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0) as f:
        f.write(header + array.tobytes())
    return buf.getvalue()


BASE_BRIGHTNESS = 0.1
CLASS_CONTRAST = 0.5
LABEL_NOISE = 0.15


def fashion_like(n, seed, classes_seed=0, noise=60.0):
    """``n`` 28x28 uint8 images in 10 classes, and their labels: each class is a smooth random
    pattern (drawn from ``classes_seed``, so the training and test splits share them) plus
    per-image noise (from ``seed``), so that a linear model can learn them, not perfectly."""
    classes = np.random.RandomState(classes_seed)
    # A shape common to all classes plus a fainter one of each class: classes overlap.
    patterns = BASE_BRIGHTNESS * classes.rand(1, 7, 7) + CLASS_CONTRAST * classes.rand(10, 7, 7)
    prototypes = np.kron(patterns, np.ones((4, 4)))
    rng = np.random.RandomState(seed)
    labels = rng.randint(0, 10, size=n).astype(np.uint8)
    images = np.clip(prototypes[labels] * 255.0 + rng.randn(n, 28, 28) * noise, 0, 255)
    # Some images carry another class's label, as real data has ambiguous examples: no model
    # gets them all right.
    relabel = rng.rand(n) < LABEL_NOISE
    labels[relabel] = rng.randint(0, 10, size=int(relabel.sum()))
    return images.astype(np.uint8), labels


def write_dataset(root, n_train=600, n_test=200, seed=0, noise=60.0):
    """Writes the four (Fashion-)MNIST files under ``root``; returns
    ``{'train': (images, labels), 'test': (images, labels)}``."""
    os.makedirs(root, exist_ok=True)
    out = {}
    for split, n, split_seed in (("train", n_train, seed + 1), ("test", n_test, seed + 2)):
        images, labels = fashion_like(n, split_seed, classes_seed=seed, noise=noise)
        image_file, label_file = FILES[split]
        with open(os.path.join(root, image_file), "wb") as f:
            f.write(idx_gz_bytes(images))
        with open(os.path.join(root, label_file), "wb") as f:
            f.write(idx_gz_bytes(labels))
        out[split] = (images, labels)
    return out


CIFAR_BATCHES = ["data_batch_%d.bin" % i for i in range(1, 6)] + ["test_batch.bin"]


def cifar_batches(n_per_batch, seed):
    """{file name: bytes} of CIFAR-10's six binary batch files, ``n_per_batch`` random records
    each (a label byte, then 3x32x32 pixels in (C, H, W) order)."""
    rng = np.random.RandomState(seed)
    out = {}
    for name in CIFAR_BATCHES:
        records = rng.randint(0, 256, size=(n_per_batch, 3073)).astype(np.uint8)
        records[:, 0] = rng.randint(0, 10, size=n_per_batch)
        out[name] = records.tobytes()
    return out


def cifar_archive(batches, folder=""):
    """``batches`` as the gzipped tar CIFAR10 downloads, the files under ``folder``."""
    import tarfile
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, body in sorted(batches.items()):
            info = tarfile.TarInfo(os.path.join(folder, name) if folder else name)
            info.size, info.mtime = len(body), 0
            tar.addfile(info, io.BytesIO(body))
    return buf.getvalue()


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.files`` ({url path: bytes}); ``server.failures`` ({url path: n}) makes
    the first n requests of a path answer 500; ``server.truncate`` ({url path: n}) sends only
    the first n bytes of a file while announcing its full length."""

    def do_GET(self):  # noqa: N802 (http.server's name)
        server = self.server
        with server.lock:
            server.requests.append(self.path)
            failures = server.failures.get(self.path, 0)
            if failures:
                server.failures[self.path] = failures - 1
        body = server.files.get(self.path)
        if failures or body is None:
            self.send_response(500 if failures else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        cut = server.truncate.get(self.path)
        self.wfile.write(body if cut is None else body[:cut])
        if cut is not None:
            self.close_connection = True

    def log_message(self, *args):  # keep test output clean
        pass


@contextlib.contextmanager
def http_server(files):
    """A server on 127.0.0.1 serving ``files`` ({url path: bytes}) from a thread; yields it
    (``server.url`` is its base URL, without the trailing slash)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.files = dict(files)
    server.failures = {}
    server.truncate = {}
    server.requests = []
    server.lock = threading.Lock()
    server.url = "http://127.0.0.1:%d" % server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# ---------------------------------------------------------------------------------------------
# MXNet's recorded answers (tests/fixtures/gluon_data/mxnet_reference.json)
# ---------------------------------------------------------------------------------------------

REFERENCE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures",
                              "gluon_data", "mxnet_reference.json")
_reference = None


def reference():
    """The fixture recorded by tests/fixtures/gluon_data/record_mxnet.py with MXNet 1.9.1."""
    global _reference
    if _reference is None:
        import json
        with open(REFERENCE_PATH) as f:
            _reference = json.load(f)
    return _reference


def rand_uint8(shape, seed):
    """The same inputs as record_mxnet.py's."""
    return np.random.RandomState(seed).randint(0, 256, size=shape).astype(np.uint8)


def rand_float(shape, seed):
    return np.random.RandomState(seed).rand(*shape).astype(np.float32)


def assert_like_mxnet(ours, ref, rtol=1e-6, atol=0.0, where="value"):
    """``ours`` has MXNet's type, dtype, shape and values (within rtol/atol for floats) as
    recorded in ``ref`` (an ``enc`` or ``digest`` entry of record_mxnet.py)."""
    import hashlib
    from ferrograd import NDArray

    kind = ref["type"]
    if kind in ("NDArray", "ndarray"):
        cls = NDArray if kind == "NDArray" else np.ndarray
        assert isinstance(ours, cls), "%s: expected %s, got %s" % (where, kind, type(ours))
        got = ours.asnumpy() if kind == "NDArray" else ours
        assert got.dtype.name == ref["dtype"], "%s: dtype %s, MXNet %s" % (
            where, got.dtype.name, ref["dtype"])
        assert list(got.shape) == ref["shape"], "%s: shape %s, MXNet %s" % (
            where, got.shape, ref["shape"])
        if "values" in ref:
            expected = np.array(ref["values"], dtype=got.dtype).reshape(got.shape)
            if got.dtype.kind == "f":
                np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=where)
            else:
                np.testing.assert_array_equal(got, expected, err_msg=where)
        else:  # a digest: exact bytes for integers, the sum for floats
            if got.dtype.kind == "f":
                assert abs(float(got.sum(dtype=np.float64)) - ref["sum"]) <= 1e-5 * max(
                    1.0, abs(ref["sum"])), where
            else:
                assert hashlib.sha1(got.tobytes()).hexdigest() == ref["sha1"], where
    elif kind.startswith("numpy."):
        assert type(ours).__name__ == kind[len("numpy."):] and isinstance(ours, np.generic), \
            "%s: expected %s, got %s" % (where, kind, type(ours))
        if isinstance(ref["value"], float):
            np.testing.assert_allclose(float(ours), ref["value"], rtol=rtol, err_msg=where)
        else:
            assert ours.item() == ref["value"], where
    elif kind in ("list", "tuple"):
        assert type(ours).__name__ == kind, "%s: expected %s, got %s" % (where, kind, type(ours))
        assert len(ours) == len(ref["items"]), "%s: %d items, MXNet %d" % (
            where, len(ours), len(ref["items"]))
        for i, (o, r) in enumerate(zip(ours, ref["items"])):
            assert_like_mxnet(o, r, rtol, atol, "%s[%d]" % (where, i))
    else:
        assert type(ours).__name__ == kind and ours == ref["value"], "%s: %r, MXNet %r" % (
            where, ours, ref["value"])


# The data set of the chapters under tests/chapters/ (and of their MXNet recordings): large
# enough for a few hundred SGD steps, small enough to write in a second.
CHAPTER_DATA = dict(n_train=6000, n_test=1000, seed=0, noise=60.0)
