"""``mxnet.contrib.text``: token counting and vocabularies for text data (MXNet 1.x).

``utils.count_tokens_from_str`` and ``vocab.Vocabulary`` are implemented; pretrained token
embeddings (``embedding.create('glove', ...)``, ``GloVe``, ``FastText``) are not, and say so.
"""

from . import utils, vocab, embedding

__all__ = ["utils", "vocab", "embedding"]
