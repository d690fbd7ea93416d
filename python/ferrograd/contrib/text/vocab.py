"""Text token indexer (MXNet 1.x's ``contrib.text.vocab``)."""

import collections

from ...base import ArgumentTypeError, InvalidArgumentError

__all__ = ["Vocabulary"]

UNKNOWN_IDX = 0  # the unknown token is always indexed first


class Vocabulary:
    """Indexing for text tokens.

    Build indices for the unknown token, reserved tokens, and input counter keys. Indexed
    tokens can be used by token embeddings.

    Parameters
    ----------
    counter : collections.Counter or None, default None
        Counts text token frequencies in the text data. Its keys will be indexed according to
        frequency thresholds such as `most_freq_count` and `min_freq`.
    most_freq_count : None or int, default None
        The maximum possible number of the most frequent tokens in the keys of `counter` that
        can be indexed. Ties are broken by the tokens' order (``sorted``). None means no
        limit.
    min_freq : int, default 1
        The minimum frequency required for a token in the keys of `counter` to be indexed.
    unknown_token : hashable object, default '<unk>'
        The representation for any unknown token; its index is 0.
    reserved_tokens : list of strs or None, default None
        A list of reserved tokens that will always be indexed, right after the unknown token.

    Properties
    ----------
    token_to_idx : dict mapping str to int
        A dict mapping each token to its index integer.
    idx_to_token : list of strs
        A list of indexed tokens where the list indices and the token indices are aligned.
    unknown_token : hashable object
        The representation for any unknown token.
    reserved_tokens : list of strs or None
        A list of reserved tokens.
    """

    def __init__(self, counter=None, most_freq_count=None, min_freq=1, unknown_token="<unk>",
                 reserved_tokens=None):
        if not min_freq > 0:
            raise InvalidArgumentError("Vocabulary: min_freq must be positive, got %r"
                                       % (min_freq,))
        if reserved_tokens is not None:
            if unknown_token in reserved_tokens:
                raise InvalidArgumentError("Vocabulary: reserved_tokens cannot contain "
                                           "unknown_token %r" % (unknown_token,))
            if len(set(reserved_tokens)) != len(reserved_tokens):
                raise InvalidArgumentError("Vocabulary: reserved_tokens cannot contain "
                                           "duplicates, got %r" % (reserved_tokens,))
        if counter is not None and not isinstance(counter, collections.Counter):
            raise ArgumentTypeError("Vocabulary: counter must be a collections.Counter, got %s"
                                    % type(counter).__name__)
        self._unknown_token = unknown_token
        self._reserved_tokens = None if reserved_tokens is None else list(reserved_tokens)
        self._idx_to_token = [unknown_token] + (self._reserved_tokens or [])
        self._token_to_idx = {t: i for i, t in enumerate(self._idx_to_token)}
        if counter is not None:
            self._index_counter_keys(counter, most_freq_count, min_freq)

    def _index_counter_keys(self, counter, most_freq_count, min_freq):
        special = len(self._idx_to_token)
        cap = special + (len(counter) if most_freq_count is None else most_freq_count)
        # Most frequent first; equal counts in the tokens' sorted order.
        by_freq = sorted(sorted(counter.items(), key=lambda kv: kv[0]),
                         key=lambda kv: kv[1], reverse=True)
        for token, freq in by_freq:
            if freq < min_freq or len(self._idx_to_token) == cap:
                break
            if token not in self._token_to_idx:
                self._token_to_idx[token] = len(self._idx_to_token)
                self._idx_to_token.append(token)

    def __len__(self):
        return len(self._idx_to_token)

    def __contains__(self, token):
        return token in self._token_to_idx

    @property
    def token_to_idx(self):
        """dict mapping str to int: A dict mapping each token to its index integer."""
        return self._token_to_idx

    @property
    def idx_to_token(self):
        """list of strs: A list of indexed tokens where the list indices and the token indices
        are aligned."""
        return self._idx_to_token

    @property
    def unknown_token(self):
        return self._unknown_token

    @property
    def reserved_tokens(self):
        return self._reserved_tokens

    def to_indices(self, tokens):
        """Converts tokens to indices according to the vocabulary.

        Parameters
        ----------
        tokens : str or list of strs
            A source token or tokens to be converted.

        Returns
        -------
        int or list of ints
            A token index or a list of token indices; unknown tokens map to 0.
        """
        if not isinstance(tokens, list):
            return self._token_to_idx.get(tokens, UNKNOWN_IDX)
        return [self._token_to_idx.get(t, UNKNOWN_IDX) for t in tokens]

    def to_tokens(self, indices):
        """Converts token indices to tokens according to the vocabulary.

        Parameters
        ----------
        indices : int or list of ints
            A source token index or token indices to be converted.

        Returns
        -------
        str or list of strs
            A token or a list of tokens according to the vocabulary.
        """
        single = not isinstance(indices, list)
        tokens = []
        for idx in [indices] if single else indices:
            if isinstance(idx, bool) or not isinstance(idx, int) \
                    or not 0 <= idx < len(self._idx_to_token):
                raise InvalidArgumentError("Vocabulary.to_tokens: token index %r is invalid "
                                           "for a vocabulary of %d tokens"
                                           % (idx, len(self._idx_to_token)))
            tokens.append(self._idx_to_token[idx])
        return tokens[0] if single else tokens
