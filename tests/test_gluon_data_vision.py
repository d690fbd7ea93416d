"""gluon.data.vision: transforms and mxnet.image resizing against MXNet 1.9.1's recorded
outputs on fixed images, and MNIST/FashionMNIST read from generated files in the real idx+gzip
format (from a prepared MXNET_HOME, or downloaded from a local HTTP server)."""

import gzip
import os

import numpy as np
import pytest

from ferrograd import MXNetError, NDArray, image, nd
from ferrograd import random as fg_random
from ferrograd.gluon.data import DataLoader
from ferrograd.gluon.data.vision import FashionMNIST, MNIST, datasets, transforms as T
from ferrograd.gluon.data.vision.datasets import DatasetFormatError
from ferrograd.gluon.utils import ChecksumError

import gluon_data_util as util
from gluon_data_util import assert_like_mxnet, rand_float, rand_uint8, reference

REF = reference()
IMG = rand_uint8((5, 7, 3), 2)
GRAY = rand_uint8((6, 4, 1), 3)
BATCH = rand_uint8((2, 5, 7, 3), 4)
FIMG = rand_float((5, 7, 3), 5) * 255


def u8(a):
    return nd.array(a, dtype="uint8")


# --- transforms against MXNet -----------------------------------------------------------------

def test_to_tensor_matches_mxnet():
    ref = REF["transforms"]
    assert_like_mxnet(T.ToTensor()(u8(IMG)), ref["to_tensor"])
    assert_like_mxnet(T.ToTensor()(u8(GRAY)), ref["to_tensor_gray"])
    assert_like_mxnet(T.ToTensor()(u8(BATCH)), ref["to_tensor_batch"])
    assert_like_mxnet(T.ToTensor()(nd.array(FIMG)), ref["to_tensor_float"])


def test_normalize_and_cast_match_mxnet():
    ref = REF["transforms"]
    tensor = T.ToTensor()(u8(IMG))
    assert_like_mxnet(T.Normalize(0.5, 0.25)(tensor), ref["normalize_scalar"])
    assert_like_mxnet(T.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))(tensor),
                      ref["normalize_channels"], rtol=1e-5)
    assert_like_mxnet(T.Normalize((0.1, 0.2, 0.3), (1.0, 2.0, 4.0))(T.ToTensor()(u8(BATCH))),
                      ref["normalize_batch"])
    assert_like_mxnet(T.Cast()(u8(GRAY)), ref["cast_default"])
    assert_like_mxnet(T.Cast("float64")(u8(GRAY)), ref["cast_float64"])


def test_compose_matches_mxnet():
    out = T.Compose([T.Resize(4), T.ToTensor(), T.Normalize(0.5, 0.5)])(u8(IMG))
    assert_like_mxnet(out, REF["transforms"]["compose"])


@pytest.mark.parametrize("case", ["square_down", "square_up", "wh_tuple", "keep_ratio_down",
                                  "keep_ratio_up", "half", "nearest"])
def test_resize_matches_mxnet(case):
    ref = REF["resize"][case]
    size = tuple(ref["size"]) if isinstance(ref["size"], list) else ref["size"]
    resize = T.Resize(size, **ref["kwargs"])
    # uint8: OpenCV's fixed-point arithmetic reproduced, so equal bit for bit
    assert_like_mxnet(resize(u8(IMG)), ref["uint8"], where=case)
    # float images: OpenCV's float path, equal to rounding
    assert_like_mxnet(resize(nd.array(FIMG)), ref["float32"], rtol=1e-6, atol=1e-4, where=case)


def test_resize_exact_half_batch_gray_and_imresize_match_mxnet():
    ref = REF["resize"]
    assert_like_mxnet(T.Resize((4, 3))(u8(rand_uint8((6, 8, 3), 6))), ref["exact_half"]["uint8"])
    assert_like_mxnet(T.Resize((9, 4))(u8(BATCH)), ref["batch"])
    assert_like_mxnet(T.Resize(3, keep_ratio=True)(u8(GRAY)), ref["gray_keep_ratio"])
    assert_like_mxnet(image.imresize(u8(IMG), 10, 8), REF["imresize"])
    assert_like_mxnet(image.imresize(u8(IMG), 10, 8, interp=1), REF["imresize"])


def test_larger_resizes_match_mxnet_bit_for_bit():
    ref = REF["resize"]
    # the digests compare the uint8 bytes' SHA-1
    assert_like_mxnet(T.Resize(224)(u8(rand_uint8((28, 28, 1), 13))), ref["digest_28_to_224"])
    assert_like_mxnet(T.Resize((30, 20))(u8(rand_uint8((33, 47, 3), 14))),
                      ref["digest_33x47_to_20x30"])
    assert_like_mxnet(T.Resize(96)(u8(rand_uint8((3, 28, 28, 1), 15))),
                      ref["digest_batch_28_to_96"])


def test_bilinear_resize_of_a_linear_ramp_is_exact():
    # Away from the borders bilinear interpolation reproduces a linear function exactly.
    ramp = np.tile(np.arange(16, dtype=np.float32)[None, :, None] * 4.0, (3, 1, 1))
    out = T.Resize((8, 3))(nd.array(ramp)).asnumpy()[0, :, 0]
    # output pixel j samples source x = (j + 0.5) * 2 - 0.5 = 2j + 0.5
    np.testing.assert_allclose(out, (2 * np.arange(8) + 0.5) * 4.0, rtol=1e-6)


@pytest.mark.parametrize("transform", [T.ToTensor(), T.Normalize((0.2, 0.3, 0.4), 0.5),
                                       T.Cast("float64"), T.Resize((4, 6)), T.Resize(3, True),
                                       T.Compose([T.Resize(4), T.ToTensor()])],
                         ids=repr)
def test_per_row_transforms_on_a_batch_equal_the_stacked_images(transform):
    assert transform._acts_per_row
    images = u8(rand_uint8((4, 5, 7, 3), 9))
    if isinstance(transform, T.Normalize):
        images = T.ToTensor()(images)
    whole = transform(images).asnumpy()
    each = np.stack([transform(images[i]).asnumpy() for i in range(4)])
    np.testing.assert_allclose(whole, each, rtol=1e-6, atol=1e-6)


def test_random_flips_follow_the_seed_and_flip_about_half_the_time():
    img = u8(IMG)
    flipped_lr, flipped_tb = IMG[:, ::-1], IMG[::-1]
    fg_random.seed(11)
    outcomes = []
    for _ in range(40):
        out = T.RandomFlipLeftRight()(img).asnumpy()
        same, flipped = np.array_equal(out, IMG), np.array_equal(out, flipped_lr)
        assert same or flipped
        outcomes.append(flipped)
    assert 8 <= sum(outcomes) <= 32
    fg_random.seed(11)
    again = [np.array_equal(T.RandomFlipLeftRight()(img).asnumpy(), flipped_lr)
             for _ in range(40)]
    assert again == outcomes
    tb = [np.array_equal(T.RandomFlipTopBottom()(img).asnumpy(), flipped_tb) for _ in range(40)]
    assert 8 <= sum(tb) <= 32


@pytest.mark.parametrize("call, error, pattern", [
    (lambda: T.ToTensor()(nd.ones((4, 4))), ValueError, r"3 or 4 dimensions, got shape \(4, 4\)"),
    (lambda: T.ToTensor()(np.ones((4, 4, 1))), TypeError, "expected an NDArray, got ndarray"),
    (lambda: T.Normalize((0.1, 0.2), (1, 2))(nd.ones((3, 2, 2))), ValueError,
     r"mean must have 1 or 3 \(channels\) elements"),
    (lambda: T.Normalize(0.1, 1)(u8(IMG)), TypeError, "apply ToTensor first"),
    (lambda: T.Normalize(0.1, 0), ValueError, "std must not be zero"),
    (lambda: T.Resize(4, interpolation=3), ValueError, r"interpolation 3 \(bicubic\)"),
    (lambda: T.Resize((4, 5, 6)), ValueError, r"size must be an int or a \(width, height\)"),
    (lambda: T.Resize(0), ValueError, "size must be positive"),
    (lambda: T.Compose([T.ToTensor(), "resize"]), TypeError, r"transforms\[1\] is not callable"),
    (lambda: image.imresize(nd.ones((4, 4)), 2, 2), ValueError, "must have shape"),
])
def test_bad_transform_input_raises_clear_errors(call, error, pattern):
    with pytest.raises(MXNetError, match=pattern) as info:
        call()
    assert isinstance(info.value, error)


def test_image_module_imports_without_pillow_and_says_what_is_missing(tmp_path):
    try:
        import PIL  # noqa: F401
        pytest.skip("Pillow is installed here")
    except ImportError:
        pass
    with pytest.raises(ImportError, match="pip install pillow"):
        image.imread(str(tmp_path / "missing.png"))
    with pytest.raises(ImportError, match="pip install pillow"):
        image.imdecode(b"\x89PNG")


def test_center_crop_and_resize_short():
    img = u8(rand_uint8((6, 10, 3), 12))
    out = image.resize_short(img, 3)
    assert out.shape == (3, 5, 3) and out.dtype == np.uint8
    crop, box = image.center_crop(img, (4, 2))
    assert box == (3, 2, 4, 2)
    np.testing.assert_array_equal(crop.asnumpy(), img.asnumpy()[2:4, 3:7])


# --- MNIST / FashionMNIST ---------------------------------------------------------------------

@pytest.fixture
def mxnet_home(tmp_path, monkeypatch):
    """An MXNET_HOME with a small FashionMNIST (60 train, 20 test; record_mxnet.py's data)
    that the data sets use as it is."""
    root = tmp_path / "datasets" / "fashion-mnist"
    arrays = util.write_dataset(str(root), n_train=60, n_test=20, seed=3)
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    monkeypatch.setenv("FERROGRAD_TRUST_LOCAL_DATASETS", "1")
    monkeypatch.delenv("MXNET_GLUON_REPO", raising=False)
    return tmp_path, arrays


def test_fashion_mnist_items_match_mxnet(mxnet_home):
    ref = REF["fashion_mnist"]
    train, test = FashionMNIST(train=True), FashionMNIST(train=False)
    assert (len(train), len(test)) == (ref["len_train"], ref["len_test"])
    feature, label = train[0]
    assert [type(feature).__name__, type(label).__module__ + "." + type(label).__name__] == \
        ref["item_types"]
    assert_like_mxnet(train[0], ref["item0"])
    assert_like_mxnet(test[5], ref["test_item5"])
    assert_like_mxnet(next(iter(DataLoader(train.transform_first(T.ToTensor()), 4))),
                      ref["first_batch_to_tensor"])
    assert_like_mxnet(list(DataLoader(train, 7))[-1], ref["last_batch_raw"])
    with_transform = FashionMNIST(train=False, transform=lambda d, l: (d.astype("float32") / 255,
                                                                        l))
    assert_like_mxnet(with_transform[1], ref["transform_arg"])


def test_fashion_mnist_holds_exactly_the_files_pixels(mxnet_home):
    _, arrays = mxnet_home
    images, labels = arrays["test"]
    test = FashionMNIST(train=False)
    np.testing.assert_array_equal(test._data.asnumpy(), images[:, :, :, None])
    np.testing.assert_array_equal(test._label, labels.astype(np.int32))
    x, y = next(iter(DataLoader(test.transform_first(T.ToTensor()), 20)))
    np.testing.assert_allclose(x.asnumpy(), images[:, None].astype(np.float32) / 255, rtol=1e-7)
    np.testing.assert_array_equal(y.asnumpy(), labels)


@pytest.mark.parametrize("cls", [MNIST, FashionMNIST], ids=lambda c: c.__name__)
def test_files_urls_and_default_roots_are_mxnets(cls, tmp_path, monkeypatch):
    ref = REF["dataset_files"][cls.__name__]
    assert [list(cls._train_data), list(cls._train_label), list(cls._test_data),
            list(cls._test_label)] == ref["files"]
    from ferrograd.gluon.utils import _get_repo_file_url
    monkeypatch.delenv("MXNET_GLUON_REPO", raising=False)
    assert [_get_repo_file_url("gluon/dataset/" + cls._namespace, f[0])
            for f in ref["files"]] == ref["urls"]
    # root defaults to $MXNET_HOME/datasets/<name>, and MXNET_HOME to ~/.mxnet
    monkeypatch.setenv("FERROGRAD_TRUST_LOCAL_DATASETS", "1")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MXNET_HOME", raising=False)
    root = tmp_path.joinpath("home", ".mxnet", *ref["default_root_parts"])
    util.write_dataset(str(root), n_train=3, n_test=2)
    assert len(cls()) == 3 and len(cls(train=False)) == 2
    monkeypatch.setenv("MXNET_HOME", str(tmp_path / "elsewhere"))
    util.write_dataset(str(tmp_path.joinpath("elsewhere", *ref["default_root_parts"])), 5, 4)
    assert len(cls()) == 5
    assert len(cls(root=str(root))) == 3


def _serve_dataset(n_train=30, n_test=10):
    """The files of a small data set as an HTTP server would serve them, and their SHA-1s."""
    import hashlib
    files, hashes = {}, {}
    for split, n, seed in (("train", n_train, 0), ("test", n_test, 1)):
        images, labels = util.fashion_like(n, seed)
        for name, array in zip(util.FILES[split], (images, labels)):
            body = util.idx_gz_bytes(array)
            files["/gluon/dataset/fashion-mnist/" + name] = body
            hashes[name] = hashlib.sha1(body).hexdigest()
    return files, hashes


@pytest.fixture
def served(tmp_path, monkeypatch):
    """FashionMNIST pointed at a local server (MXNET_GLUON_REPO) whose files' SHA-1s stand in
    for the published ones; an empty MXNET_HOME."""
    files, hashes = _serve_dataset()
    for attr in ("_train_data", "_train_label", "_test_data", "_test_label"):
        name = getattr(FashionMNIST, attr)[0]
        monkeypatch.setattr(FashionMNIST, attr, (name, hashes[name]))
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    monkeypatch.delenv("FERROGRAD_TRUST_LOCAL_DATASETS", raising=False)
    monkeypatch.setattr("ferrograd.gluon.utils._RETRY_BACKOFF_S", 0.0)
    with util.http_server(files) as server:
        monkeypatch.setenv("MXNET_GLUON_REPO", server.url + "/")
        yield server, tmp_path / "datasets" / "fashion-mnist"


def test_fashion_mnist_downloads_its_files_once_and_reuses_them(served, capsys):
    server, root = served
    train = FashionMNIST(train=True)
    assert len(train) == 30
    assert sorted(server.requests) == ["/gluon/dataset/fashion-mnist/train-images-idx3-ubyte.gz",
                                       "/gluon/dataset/fashion-mnist/train-labels-idx1-ubyte.gz"]
    out = capsys.readouterr().out
    assert "Downloading %s from %s/gluon/dataset/fashion-mnist/train-images-idx3-ubyte.gz..." % (
        root / "train-images-idx3-ubyte.gz", server.url) in out
    assert sorted(os.listdir(root)) == ["train-images-idx3-ubyte.gz",
                                        "train-labels-idx1-ubyte.gz"]
    FashionMNIST(train=True)
    assert len(server.requests) == 2  # cached files with the right SHA-1: no request
    assert len(FashionMNIST(train=False)) == 10 and len(server.requests) == 4


def test_a_local_file_with_the_wrong_hash_is_downloaded_again(served):
    server, root = served
    root.mkdir(parents=True)
    (root / "train-labels-idx1-ubyte.gz").write_bytes(b"left over from an old download")
    train = FashionMNIST(train=True)
    assert len(train) == 30
    assert "/gluon/dataset/fashion-mnist/train-labels-idx1-ubyte.gz" in server.requests


def test_a_download_with_the_wrong_hash_leaves_no_file(served, monkeypatch):
    server, root = served
    monkeypatch.setattr(FashionMNIST, "_test_label", ("t10k-labels-idx1-ubyte.gz", "0" * 40))
    with pytest.raises(ChecksumError) as info:
        FashionMNIST(train=False)
    message = str(info.value)
    assert "t10k-labels-idx1-ubyte.gz" in message and "0" * 40 in message
    assert isinstance(info.value, MXNetError) and isinstance(info.value, OSError)
    assert os.listdir(root) == ["t10k-images-idx3-ubyte.gz"]  # the label file never landed


@pytest.mark.parametrize("damage, pattern", [
    (lambda b: b"not a gzip file at all", "not a readable gzip file"),
    (lambda b: b[: len(b) // 2], "not a readable gzip file"),
    (lambda b: gzip.compress(b"\x00\x00\x08\x01" + b"\x00" * 8, mtime=0), "header says"),
    (lambda b: gzip.compress(b"\x00\x00\x08\x02\x00\x00\x00\x01\x05", mtime=0),
     "not an idx labels file"),
])
def test_a_corrupt_file_raises_a_clear_error_naming_it(mxnet_home, damage, pattern):
    home, _ = mxnet_home
    path = home / "datasets" / "fashion-mnist" / "train-labels-idx1-ubyte.gz"
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(DatasetFormatError, match=pattern) as info:
        FashionMNIST(train=True)
    assert str(path) in str(info.value) and isinstance(info.value, ValueError)


def test_images_and_labels_must_agree_in_number(mxnet_home):
    home, _ = mxnet_home
    path = home / "datasets" / "fashion-mnist" / "train-labels-idx1-ubyte.gz"
    path.write_bytes(util.idx_gz_bytes(np.zeros(59, dtype=np.uint8)))
    with pytest.raises(DatasetFormatError, match="holds 60 images but .* holds 59 labels"):
        FashionMNIST(train=True)


def test_dataset_module_layout_mirrors_mxnet():
    assert datasets.FashionMNIST is FashionMNIST and issubclass(FashionMNIST, MNIST)
    from ferrograd.gluon import data
    assert data.vision.FashionMNIST is FashionMNIST
    assert data.vision.transforms.Compose is T.Compose


# --- CIFAR10 ----------------------------------------------------------------------------------

def _cifar_items_match_mxnet(train, test):
    ref = REF["cifar10"]
    assert (len(train), len(test)) == (ref["len_train"], ref["len_test"])
    feature, label = train[0]
    assert [type(feature).__name__, type(label).__module__ + "." + type(label).__name__] == \
        ref["item_types"]
    assert_like_mxnet(train[0], ref["item0"])
    assert_like_mxnet(train[17], ref["train_item17"])
    assert_like_mxnet(test[3], ref["test_item3"])
    assert_like_mxnet(next(iter(DataLoader(train, 6))), ref["first_batch"])


def test_cifar10_files_are_mxnets():
    from ferrograd.gluon.data.vision import CIFAR10
    assert [list(CIFAR10._archive_file)] + [list(f) for f in CIFAR10._train_data
                                            + CIFAR10._test_data] == REF["cifar10"]["files"]


@pytest.mark.parametrize("folder", ["", "cifar-10-batches-bin"], ids=["flat", "in_a_folder"])
def test_cifar10_downloads_and_extracts_its_archive(folder, tmp_path, monkeypatch):
    import hashlib
    from ferrograd.gluon.data.vision import CIFAR10
    batches = util.cifar_batches(10, seed=21)  # record_mxnet.py's data
    archive = util.cifar_archive(batches, folder)
    monkeypatch.setattr(CIFAR10, "_archive_file",
                        ("cifar-10-binary.tar.gz", hashlib.sha1(archive).hexdigest()))
    monkeypatch.setattr(CIFAR10, "_train_data", [(n, hashlib.sha1(batches[n]).hexdigest())
                                                 for n in util.CIFAR_BATCHES[:5]])
    monkeypatch.setattr(CIFAR10, "_test_data", [("test_batch.bin", hashlib.sha1(
        batches["test_batch.bin"]).hexdigest())])
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    monkeypatch.delenv("FERROGRAD_TRUST_LOCAL_DATASETS", raising=False)
    with util.http_server({"/gluon/dataset/cifar10/cifar-10-binary.tar.gz": archive}) as server:
        monkeypatch.setenv("MXNET_GLUON_REPO", server.url)
        train, test = CIFAR10(train=True), CIFAR10(train=False)
        assert len(server.requests) == 1  # the batch files were there for the test split
    _cifar_items_match_mxnet(train, test)
    root = tmp_path / "datasets" / "cifar10"
    assert sorted(os.listdir(root)) == sorted(util.CIFAR_BATCHES + ["cifar-10-binary.tar.gz"])
    records = np.frombuffer(batches["data_batch_2.bin"], dtype=np.uint8).reshape(10, 3073)
    image, label = train[13]
    np.testing.assert_array_equal(image.asnumpy(), records[3, 1:].reshape(3, 32, 32)
                                  .transpose(1, 2, 0))
    assert label == records[3, 0]


def test_cifar10_from_prepared_batch_files_and_broken_ones(tmp_path, monkeypatch):
    from ferrograd.gluon.data.vision import CIFAR10
    root = tmp_path / "datasets" / "cifar10"
    root.mkdir(parents=True)
    for name, body in util.cifar_batches(10, seed=21).items():
        (root / name).write_bytes(body)
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    monkeypatch.setenv("FERROGRAD_TRUST_LOCAL_DATASETS", "1")
    _cifar_items_match_mxnet(CIFAR10(train=True), CIFAR10(train=False))
    (root / "test_batch.bin").write_bytes(b"\x01" * 3000)
    with pytest.raises(DatasetFormatError, match="3000 bytes is not a whole number of CIFAR "
                                                 "records of 3073 bytes"):
        CIFAR10(train=False)


def test_cifar10_a_corrupt_archive_is_a_clear_error(tmp_path, monkeypatch):
    from ferrograd.gluon.data.vision import CIFAR10
    root = tmp_path / "datasets" / "cifar10"
    root.mkdir(parents=True)
    (root / "cifar-10-binary.tar.gz").write_bytes(b"this is no tar file")
    monkeypatch.setenv("MXNET_HOME", str(tmp_path))
    monkeypatch.setenv("FERROGRAD_TRUST_LOCAL_DATASETS", "1")
    with pytest.raises(DatasetFormatError, match="cifar-10-binary.tar.gz: cannot read the "
                                                 "archive"):
        CIFAR10()
    # an archive without the batch files says which are missing
    (root / "cifar-10-binary.tar.gz").write_bytes(util.cifar_archive({"readme.txt": b"hi"}))
    with pytest.raises(DatasetFormatError, match="does not hold data_batch_1.bin"):
        CIFAR10()
