"""gluon.utils' split_data / split_and_load / clip_global_norm, and mxnet.contrib.text, against
what MXNet 1.9.1 returns (tests/fixtures/gluon_data/mxnet_reference.json); and that the
modules D2L's helper imports at its top import cleanly."""

import importlib
import subprocess
import sys
import warnings

import numpy as np
import pytest

import ferrograd
from ferrograd import MXNetError, NDArray, nd
from ferrograd.contrib import text
from ferrograd.gluon import utils

from gluon_data_util import assert_like_mxnet, rand_float, reference

REF = reference()


def test_split_data_and_split_and_load_match_mxnet():
    ref = REF["split"]
    data = nd.arange(42).reshape((7, 6))
    assert_like_mxnet(utils.split_data(data, 3, even_split=False), ref["uneven_axis0"])
    assert_like_mxnet(utils.split_data(data, 3, batch_axis=1), ref["even_axis1"])
    assert_like_mxnet(utils.split_data(data, 4, batch_axis=1, even_split=False),
                      ref["uneven_axis1"])
    assert_like_mxnet(utils.split_and_load(data, [ferrograd.cpu()]), ref["load_one"])
    assert_like_mxnet(utils.split_and_load(np.arange(8.0).reshape(4, 2),
                                           [ferrograd.cpu(), ferrograd.cpu()]),
                      ref["load_two_numpy"])


def test_split_errors():
    data = nd.arange(42).reshape((7, 6))
    with pytest.raises(ValueError) as info:
        utils.split_data(data, 3)
    assert str(info.value) == REF["split"]["even_error"]
    assert isinstance(info.value, MXNetError)
    with pytest.raises(ValueError, match="num_slice must be a positive integer"):
        utils.split_data(data, 0)
    with pytest.raises(ValueError, match="batch_axis 2 is out of range"):
        utils.split_data(data, 2, batch_axis=2)
    with pytest.raises(ValueError, match="ctx_list must be a non-empty list"):
        utils.split_and_load(data, [])


def test_split_slices_are_differentiable_like_any_slice():
    from ferrograd import autograd
    x = nd.arange(12).reshape((6, 2))
    x.attach_grad()
    with autograd.record():
        parts = utils.split_and_load(x, [ferrograd.cpu()] * 3)
        loss = sum((p * (i + 1)).sum() for i, p in enumerate(parts))
    loss.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), np.repeat([1.0, 2.0, 3.0], 4).reshape(6, 2))


@pytest.mark.parametrize("case", ["clipped", "unclipped"])
def test_clip_global_norm_matches_mxnet(case):
    ref = REF["clip_global_norm"][case]
    arrays = [nd.array(rand_float((3, 4), 7) - 0.5), nd.array(rand_float((5,), 8) * 3)]
    total = utils.clip_global_norm(arrays, ref["max_norm"])
    assert_like_mxnet(total, ref["total"], rtol=1e-6)
    assert_like_mxnet(arrays, ref["arrays"], rtol=1e-6)
    # the rescaled arrays' joint norm is max_norm when clipped
    joint = np.sqrt(sum(float((a * a).sum().asscalar()) for a in arrays))
    expected = min(ref["max_norm"], ref["total"]["value"])
    assert joint == pytest.approx(expected, rel=1e-5)


def test_clip_global_norm_without_the_finiteness_check_returns_an_ndarray():
    ref = REF["clip_global_norm"]["no_check"]
    arrays = [nd.array(rand_float((3, 4), 7) - 0.5), nd.array(rand_float((5,), 8) * 3)]
    total = utils.clip_global_norm(arrays, 1.0, check_isfinite=False)
    assert_like_mxnet(total, ref["total"], rtol=1e-6)
    assert_like_mxnet(arrays, ref["arrays"], rtol=1e-6)


def test_clip_global_norm_warns_on_inf_as_mxnet():
    ref = REF["clip_global_norm"]["inf"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        total = utils.clip_global_norm([nd.array([1.0, float("inf")])], 1.0)
    assert np.isinf(total)
    assert [str(w.message) for w in caught] == ref["warnings"]
    with pytest.raises(ValueError, match="non-empty list"):
        utils.clip_global_norm([], 1.0)


def test_clip_global_norm_float64():
    a = nd.array(np.array([3.0, 4.0]), dtype="float64")
    assert utils.clip_global_norm([a], 1.0) == pytest.approx(5.0)
    assert a.dtype == np.float64
    np.testing.assert_allclose(a.asnumpy(), [0.6, 0.8], rtol=1e-7)


# --- contrib.text -----------------------------------------------------------------------------

SOURCE = " Life is great ! \n life is good . \n"


def test_count_tokens_and_vocabulary_match_mxnet():
    ref = REF["text"]
    counter = text.utils.count_tokens_from_str(SOURCE, token_delim=" ", seq_delim="\n")
    lower = text.utils.count_tokens_from_str(SOURCE, token_delim=" ", seq_delim="\n",
                                             to_lower=True)
    assert sorted(map(list, counter.items())) == ref["counter"]
    assert sorted(map(list, lower.items())) == ref["counter_lower"]
    vocab = text.vocab.Vocabulary(lower, most_freq_count=None, min_freq=1,
                                  unknown_token="<unk>", reserved_tokens=["<pad>"])
    assert vocab.idx_to_token == ref["idx_to_token"]
    assert sorted(map(list, vocab.token_to_idx.items())) == ref["token_to_idx"]
    assert len(vocab) == ref["len"]
    assert vocab.to_indices(["life", "great", "zebra"]) == ref["to_indices"]
    assert vocab.to_indices("good") == ref["to_index_one"]
    assert vocab.to_tokens([0, 1, 3]) == ref["to_tokens"]
    assert vocab.unknown_token == ref["unknown_token"]
    assert vocab.reserved_tokens == ref["reserved_tokens"]
    assert text.vocab.Vocabulary(counter, most_freq_count=3).idx_to_token == ref["most_freq_3"]
    assert text.vocab.Vocabulary(counter, min_freq=2).idx_to_token == ref["min_freq_2"]


def test_count_tokens_updates_a_counter_and_splits_on_regexes():
    counter = text.utils.count_tokens_from_str("a*b*a", token_delim=r"\*", seq_delim="\n")
    same = text.utils.count_tokens_from_str("b\nc", counter_to_update=counter)
    assert same is counter and dict(counter) == {"a": 2, "b": 2, "c": 1}


def test_vocabulary_errors():
    from collections import Counter
    with pytest.raises(ValueError, match="cannot contain unknown_token"):
        text.vocab.Vocabulary(Counter("ab"), reserved_tokens=["<unk>"])
    with pytest.raises(ValueError, match="duplicates"):
        text.vocab.Vocabulary(Counter("ab"), reserved_tokens=["x", "x"])
    with pytest.raises(ValueError, match="min_freq must be positive"):
        text.vocab.Vocabulary(Counter("ab"), min_freq=0)
    with pytest.raises(TypeError, match="collections.Counter"):
        text.vocab.Vocabulary({"a": 1})
    with pytest.raises(ValueError, match="token index 3 is invalid"):
        text.vocab.Vocabulary(Counter("ab")).to_tokens(3)


@pytest.mark.parametrize("call", [lambda: text.embedding.create("glove"),
                                  lambda: text.embedding.GloVe(),
                                  lambda: text.embedding.get_pretrained_file_names()])
def test_pretrained_embeddings_say_they_are_not_implemented(call):
    with pytest.raises(NotImplementedError, match="mxnet.contrib.text.embedding.* not "
                                                  "implemented in ferrograd"):
        call()


# --- imports --------------------------------------------------------------------------------

def test_the_d2l_helper_imports_resolve():
    """What the MXNet edition's d2l/utils.py imports at its top, minus the gluon core (nn,
    loss), which another module provides."""
    for name in ("ferrograd.image", "ferrograd.contrib", "ferrograd.contrib.text",
                 "ferrograd.contrib.text.vocab", "ferrograd.contrib.text.utils",
                 "ferrograd.contrib.text.embedding", "ferrograd.gluon.data",
                 "ferrograd.gluon.data.vision", "ferrograd.gluon.data.vision.transforms",
                 "ferrograd.gluon.utils"):
        assert importlib.import_module(name)
    from ferrograd.gluon import data as gdata, utils as gutils  # noqa: F401
    assert isinstance(gdata.vision.transforms.ToTensor()(nd.ones((2, 2, 1), dtype="uint8")),
                      NDArray)


def test_image_and_contrib_import_without_pillow():
    # A fresh interpreter where importing PIL fails, whatever is installed here.
    code = ("import sys; sys.modules['PIL'] = None\n"
            "import ferrograd.image, ferrograd.contrib.text\n"
            "try:\n    ferrograd.image.imdecode(b'x')\n"
            "except ImportError as e:\n    print('ImportError:', e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "ImportError: mxnet.image needs Pillow to decode images: pip install pillow" in out.stdout


def test_the_mxnet_edition_d2l_header_runs_under_the_runner(tmp_path):
    """The imports at the top of the MXNet edition's d2l package, and a use of each data-side
    name, in a chapter run by ``python -m ferrograd run``."""
    chapter = tmp_path / "header.md"
    chapter.write_text('''
```{.python .input}
from mxnet import autograd, gluon, image, init, nd
from mxnet.contrib import text
from mxnet.gluon import data as gdata, loss as gloss, nn, utils as gutils
from mxnet.gluon.data.vision import transforms
import mxnet as mx
```

```{.python .input}
x = image.imresize(nd.full((4, 6, 3), 200, dtype='uint8'), 3, 2)
print(x.shape, x.dtype, x.asnumpy().max())
vocab = text.vocab.Vocabulary(text.utils.count_tokens_from_str('a b b c c c'))
print(vocab.idx_to_token)
print(gutils.split_and_load(nd.arange(6), [mx.cpu(), mx.cpu()]))
batch = next(iter(gdata.DataLoader(gdata.ArrayDataset(nd.ones((5, 2, 2, 1), dtype='uint8'),
                                                      [1, 2, 3, 4, 5]).transform_first(
    transforms.ToTensor()), 4)))
print([b.shape for b in batch], batch[1].dtype)
print(gdata.vision.FashionMNIST.__module__, mx.gluon.data.vision.transforms.Resize(3))
```
''')
    out = subprocess.run([sys.executable, "-m", "ferrograd", "run", str(chapter)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "(2, 3, 3) <class 'numpy.uint8'> 200",
        "['<unk>', 'c', 'b', 'a']",
        "[",
        "[0. 1. 2.]",
        "<NDArray 3 @cpu(0)>, ",
        "[3. 4. 5.]",
        "<NDArray 3 @cpu(0)>]",
        "[(4, 1, 2, 2), (4,)] <class 'numpy.int64'>",
        "ferrograd.gluon.data.vision.datasets Resize(size=3, keep_ratio=False, interpolation=1)",
    ]
