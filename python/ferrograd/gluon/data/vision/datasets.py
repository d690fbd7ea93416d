"""Vision datasets (MXNet 1.x's ``gluon.data.vision.datasets``): MNIST, FashionMNIST and
CIFAR10.

Files are looked for under ``root`` (by default ``$MXNET_HOME/datasets/<name>``, with
``MXNET_HOME`` defaulting to ``~/.mxnet``: a data set that MXNet already downloaded is
reused) and fetched from MXNet's repository (``$MXNET_GLUON_REPO``) otherwise. A file is used
only if its SHA-1 is the published one; a file that is missing or does not match is
downloaded again, as in MXNet.

``FERROGRAD_TRUST_LOCAL_DATASETS=1`` makes the data sets use files already present under
``root`` as they are, without comparing their SHA-1 to the published one: for prepared or
reduced copies of a data set (the tests use small generated files in the real format).
Downloads are checked either way.
"""

import gzip
import os
import struct
import tarfile
import zlib

import numpy as np

from .... import nd
from ....base import InvalidArgumentError, MXNetError
from ...utils import _get_repo_file_url, check_sha1, download
from ..dataset import Dataset, _Batch

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "DatasetFormatError"]

_TRUST_ENV = "FERROGRAD_TRUST_LOCAL_DATASETS"
_IDX_LABELS_MAGIC = 0x00000801  # idx1: unsigned bytes, one dimension
_IDX_IMAGES_MAGIC = 0x00000803  # idx3: unsigned bytes, three dimensions


class DatasetFormatError(MXNetError, ValueError):
    """A data set file is not in the format expected (corrupt or truncated)."""


def _data_dir():
    """``$MXNET_HOME``, or ``~/.mxnet`` (MXNet's ``base.data_dir()``)."""
    return os.environ.get("MXNET_HOME", os.path.join(os.path.expanduser("~"), ".mxnet"))


def _trust_local_files():
    return os.environ.get(_TRUST_ENV, "").strip().lower() not in ("", "0", "false", "no")


class _DownloadedDataset(Dataset):
    """Base class for MNIST, FashionMNIST...: holds ``_data`` (an NDArray, one sample per row)
    and ``_label`` (a NumPy array); a sample is ``(data[i], label[i])`` or
    ``transform(data[i], label[i])``."""

    def __init__(self, root, transform):
        if transform is not None and not callable(transform):
            raise InvalidArgumentError("%s: transform must be callable or None, got %s"
                                       % (type(self).__name__, type(transform).__name__))
        self._transform = transform
        self._data = None
        self._label = None
        self._root = os.path.expanduser(root)
        os.makedirs(self._root, exist_ok=True)
        self._get_data()

    def __getitem__(self, idx):
        if self._transform is not None:
            return self._transform(self._data[idx], self._label[idx])
        return self._data[idx], self._label[idx]

    def __len__(self):
        return len(self._label)

    def _get_batch(self, indices):
        if self._transform is not None:
            return None  # a user function of (data, label): per sample only
        return _Batch([self._data[nd.array(indices, dtype="int64")], self._label[indices]],
                      is_tuple=True)

    def _get_data(self):
        raise NotImplementedError("%s must define _get_data" % type(self).__name__)

    def _usable(self, filename, sha1_hash):
        """Whether ``filename`` under root can be used as it is."""
        path = os.path.join(self._root, filename)
        return os.path.exists(path) and (_trust_local_files() or check_sha1(path, sha1_hash))

    def _fetch(self, filename, sha1_hash):
        """The path of ``filename`` under root, downloaded from the repository unless a
        usable copy is already there."""
        if self._usable(filename, sha1_hash):
            return os.path.join(self._root, filename)
        return download(_get_repo_file_url("gluon/dataset/" + self._namespace, filename),
                        path=self._root, sha1_hash=sha1_hash)


def _read_idx_gz(path, magic, what):
    """The header dimensions and the bytes of an idx file compressed with gzip."""
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as e:  # BadGzipFile is an OSError
        raise DatasetFormatError("%s: not a readable gzip file (%s); delete it to download it "
                                 "again" % (path, e)) from None
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(raw) < header or struct.unpack(">I", raw[:4])[0] != magic:
        raise DatasetFormatError("%s: not an idx %s file (expected magic number 0x%08x)"
                                 % (path, what, magic))
    dims = struct.unpack(">%dI" % ndim, raw[4:header])
    expected = int(np.prod(dims))
    if len(raw) - header != expected:
        raise DatasetFormatError("%s: header says %s %s (%d bytes) but the file holds %d bytes"
                                 % (path, "x".join(map(str, dims)), what, expected,
                                    len(raw) - header))
    return dims, np.frombuffer(raw, dtype=np.uint8, offset=header)


class MNIST(_DownloadedDataset):
    """MNIST handwritten digits dataset from http://yann.lecun.com/exdb/mnist

    Each sample is an image (in 3D NDArray) with shape (28, 28, 1).

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/mnist
        Path to temp folder for storing data.
    train : bool, default True
        Whether to load the training or testing set.
    transform : function, default None
        A user defined callback that transforms each sample. For example::

            transform=lambda data, label: (data.astype(np.float32)/255, label)

    Samples are ``(image, label)``: the image a uint8 NDArray of shape (28, 28, 1), the label
    a ``numpy.int32`` scalar.
    """

    _namespace = "mnist"
    _train_data = ("train-images-idx3-ubyte.gz", "6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d")
    _train_label = ("train-labels-idx1-ubyte.gz", "2a80914081dc54586dbdf242f9805a6b8d2a15fc")
    _test_data = ("t10k-images-idx3-ubyte.gz", "c3a25af1f52dad7f726cce8cacb138654b760d48")
    _test_label = ("t10k-labels-idx1-ubyte.gz", "763e7fa3757d93b0cdec073cef058b2004252c17")

    def __init__(self, root=None, train=True, transform=None):
        self._train = train
        if root is None:
            root = os.path.join(_data_dir(), "datasets", self._namespace)
        super().__init__(root, transform)

    def _get_data(self):
        data, label = ((self._train_data, self._train_label) if self._train
                       else (self._test_data, self._test_label))
        data_file = self._fetch(*data)
        label_file = self._fetch(*label)

        (count,), labels = _read_idx_gz(label_file, _IDX_LABELS_MAGIC, "labels")
        (images, rows, cols), pixels = _read_idx_gz(data_file, _IDX_IMAGES_MAGIC, "images")
        if images != count:
            raise DatasetFormatError("%s holds %d images but %s holds %d labels"
                                     % (data_file, images, label_file, count))
        self._label = labels.astype(np.int32)
        self._data = nd.array(pixels.reshape(images, rows, cols, 1), dtype="uint8")


class FashionMNIST(MNIST):
    """A dataset of Zalando's article images consisting of fashion products, a drop-in
    replacement of the original MNIST dataset from
    https://github.com/zalandoresearch/fashion-mnist

    Each sample is an image (in 3D NDArray) with shape (28, 28, 1).

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/fashion-mnist
        Path to temp folder for storing data.
    train : bool, default True
        Whether to load the training or testing set.
    transform : function, default None
        A user defined callback that transforms each sample. For example::

            transform=lambda data, label: (data.astype(np.float32)/255, label)

    Samples are ``(image, label)``: the image a uint8 NDArray of shape (28, 28, 1), the label
    a ``numpy.int32`` scalar.
    """

    _namespace = "fashion-mnist"
    _train_data = ("train-images-idx3-ubyte.gz", "0cf37b0d40ed5169c6b3aba31069a9770ac9043d")
    _train_label = ("train-labels-idx1-ubyte.gz", "236021d52f1e40852b06a4c3008d8de8aef1e40b")
    _test_data = ("t10k-images-idx3-ubyte.gz", "626ed6a7c06dd17c0eec72fa3be1740f146a2863")
    _test_label = ("t10k-labels-idx1-ubyte.gz", "17f9ab60e7257a1620f4ad76bbbaf857c3920701")


class CIFAR10(_DownloadedDataset):
    """CIFAR10 image classification dataset from https://www.cs.toronto.edu/~kriz/cifar.html

    Each sample is an image (in 3D NDArray) with shape (32, 32, 3).

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/cifar10
        Path to temp folder for storing data.
    train : bool, default True
        Whether to load the training or testing set.
    transform : function, default None
        A user defined callback that transforms each sample. For example::

            transform=lambda data, label: (data.astype(np.float32)/255, label)

    Samples are ``(image, label)``: the image a uint8 NDArray of shape (32, 32, 3), the label
    a ``numpy.int32`` scalar. The data is CIFAR-10's binary version: the archive is downloaded
    (and its batch files extracted into ``root``) unless all six batch files are there.
    """

    _namespace = "cifar10"
    _archive_file = ("cifar-10-binary.tar.gz", "fab780a1e191a7eda0f345501ccd62d20f7ed891")
    _train_data = [("data_batch_1.bin", "aadd24acce27caa71bf4b10992e9e7b2d74c2540"),
                   ("data_batch_2.bin", "c0ba65cce70568cd57b4e03e9ac8d2a5367c1795"),
                   ("data_batch_3.bin", "1dd00a74ab1d17a6e7d73e185b69dbf31242f295"),
                   ("data_batch_4.bin", "aab85764eb3584312d3c7f65fd2fd016e36a258e"),
                   ("data_batch_5.bin", "26e2849e66a845b7f1e4614ae70f4889ae604628")]
    _test_data = [("test_batch.bin", "67eb016db431130d61cd03c7ad570b013799c88c")]
    _record_bytes = 1 + 32 * 32 * 3  # a label byte, then the image in (C, H, W) order

    def __init__(self, root=None, train=True, transform=None):
        self._train = train
        if root is None:
            root = os.path.join(_data_dir(), "datasets", self._namespace)
        super().__init__(root, transform)

    def _read_batch(self, path):
        with open(path, "rb") as f:
            raw = np.frombuffer(f.read(), dtype=np.uint8)
        if raw.size == 0 or raw.size % self._record_bytes:
            raise DatasetFormatError("%s: %d bytes is not a whole number of CIFAR records of "
                                     "%d bytes" % (path, raw.size, self._record_bytes))
        records = raw.reshape(-1, self._record_bytes)
        images = records[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        return images, records[:, 0].astype(np.int32)

    def _extract(self, archive):
        """Extracts the batch files from ``archive`` into root, whatever folder they sit in
        inside it; nothing else (no path from the archive is trusted)."""
        wanted = {name for name, _ in self._train_data + self._test_data}
        try:
            with tarfile.open(archive) as tar:
                for member in tar.getmembers():
                    name = os.path.basename(member.name)
                    if member.isfile() and name in wanted:
                        source = tar.extractfile(member)
                        tmp = os.path.join(self._root, name + ".part")
                        with open(tmp, "wb") as out:
                            out.write(source.read())
                        os.replace(tmp, os.path.join(self._root, name))
        except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
            raise DatasetFormatError("%s: cannot read the archive (%s); delete it to download it "
                                     "again" % (archive, e)) from None

    def _get_data(self):
        files = self._train_data + self._test_data
        if not all(self._usable(name, sha1) for name, sha1 in files):
            self._extract(self._fetch(*self._archive_file))
            missing = [name for name, _ in files
                       if not os.path.exists(os.path.join(self._root, name))]
            if missing:
                raise DatasetFormatError("%s does not hold %s" % (
                    os.path.join(self._root, self._archive_file[0]), ", ".join(missing)))
        names = self._train_data if self._train else self._test_data
        batches = [self._read_batch(os.path.join(self._root, name)) for name, _ in names]
        self._data = nd.array(np.concatenate([images for images, _ in batches]), dtype="uint8")
        self._label = np.concatenate([labels for _, labels in batches])
