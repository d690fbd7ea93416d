"""Utilities for text data (MXNet 1.x's ``contrib.text.utils``)."""

import collections
import re

__all__ = ["count_tokens_from_str"]


def count_tokens_from_str(source_str, token_delim=" ", seq_delim="\n", to_lower=False,
                          counter_to_update=None):
    """Counts tokens in the specified string.

    For token_delim='<td>' and seq_delim='<sd>', a specified string of two sequences of tokens
    may look like::

        <td>token1<td>token2<td>token3<td><sd><td>token4<td>token5<td><sd>

    ``token_delim`` and ``seq_delim`` are regular expressions (escape special characters).

    Parameters
    ----------
    source_str : str
        A source string of tokens.
    token_delim : str, default ' '
        A token delimiter.
    seq_delim : str, default '\\n'
        A sequence delimiter.
    to_lower : bool, default False
        Whether to convert the source source_str to the lower case.
    counter_to_update : collections.Counter or None, default None
        The collections.Counter instance to be updated with the token counts of `source_str`.
        If None, return a new collections.Counter instance counting tokens from `source_str`.

    Returns
    -------
    collections.Counter
        ``counter_to_update`` after being updated with the token counts of ``source_str``, or
        a new Counter when it is None.

    Examples
    --------
    >>> source_str = ' Life is great ! \\n life is good . \\n'
    >>> count_tokens_from_str(source_str, ' ', '\\n', True)
    Counter({'life': 2, 'is': 2, 'great': 1, '!': 1, 'good': 1, '.': 1})
    """
    tokens = [t for t in re.split(token_delim + "|" + seq_delim, source_str) if t]
    if to_lower:
        tokens = [t.lower() for t in tokens]
    if counter_to_update is None:
        return collections.Counter(tokens)
    counter_to_update.update(tokens)
    return counter_to_update
