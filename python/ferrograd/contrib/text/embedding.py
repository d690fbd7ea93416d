"""Pretrained token embeddings (MXNet 1.x's ``contrib.text.embedding``): not provided by
ferrograd. Every entry point raises a NotImplementedError that names it, so a chapter that
only imports ``mxnet.contrib.text`` runs, and one that loads GloVe or fastText vectors says
clearly why it stops."""

__all__ = ["create", "get_pretrained_file_names", "register", "GloVe", "FastText",
           "CustomEmbedding", "CompositeEmbedding"]


def _unavailable(name):
    raise NotImplementedError(
        "mxnet.contrib.text.embedding.%s: pretrained token embeddings are not implemented in "
        "ferrograd" % name)


def create(embedding_name, **kwargs):
    """Not implemented in ferrograd: raises NotImplementedError."""
    _unavailable("create")


def get_pretrained_file_names(embedding_name=None):
    """Not implemented in ferrograd: raises NotImplementedError."""
    _unavailable("get_pretrained_file_names")


def register(embedding_cls):
    """Not implemented in ferrograd: raises NotImplementedError."""
    _unavailable("register")


class _Unavailable:
    def __init__(self, *args, **kwargs):
        _unavailable(type(self).__name__)


class GloVe(_Unavailable):
    """Not implemented in ferrograd: constructing one raises NotImplementedError."""


class FastText(_Unavailable):
    """Not implemented in ferrograd: constructing one raises NotImplementedError."""


class CustomEmbedding(_Unavailable):
    """Not implemented in ferrograd: constructing one raises NotImplementedError."""


class CompositeEmbedding(_Unavailable):
    """Not implemented in ferrograd: constructing one raises NotImplementedError."""
