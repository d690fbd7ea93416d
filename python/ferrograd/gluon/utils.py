"""``gluon.utils``: splitting batches across contexts, gradient clipping, and downloads with
checksums (MXNet 1.x semantics).

Downloads use only the standard library (``urllib``). A download is written to a temporary
file beside its destination and renamed into place only after it is complete and its SHA-1
matches, so an interrupted or corrupt download never leaves a file that a later call would
take for the real one.
"""

import hashlib
import http.client
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings

import numpy as np

from .. import nd
from .._core import NDArray
from ..base import InvalidArgumentError, MXNetError, ShapeError

__all__ = ["split_data", "split_and_load", "clip_global_norm", "check_sha1", "download",
           "DownloadError", "ChecksumError"]


class DownloadError(MXNetError, OSError):
    """A file could not be downloaded (network or server error, incomplete transfer)."""


class ChecksumError(DownloadError):
    """A downloaded file's SHA-1 is not the expected one."""


# ---------------------------------------------------------------------------------------------
# Splitting a batch across contexts
# ---------------------------------------------------------------------------------------------

def split_data(data, num_slice, batch_axis=0, even_split=True):
    """Splits an NDArray into ``num_slice`` slices along ``batch_axis``.

    Usually used for data parallelism where each slice is sent to one device (i.e. GPU).

    Parameters
    ----------
    data : NDArray
        A batch of data.
    num_slice : int
        Number of desired slices.
    batch_axis : int, default 0
        The axis along which to slice.
    even_split : bool, default True
        Whether to force all slices to have the same number of elements. If ``True``, an error
        will be raised when ``num_slice`` does not evenly divide ``data.shape[batch_axis]``.
        Otherwise the first ``size % num_slice`` slices hold one element more.

    Returns
    -------
    list of NDArray
        Return value is a list even if ``num_slice`` is 1.
    """
    if isinstance(num_slice, bool) or not isinstance(num_slice, (int, np.integer)) \
            or num_slice < 1:
        raise InvalidArgumentError("split_data: num_slice must be a positive integer, got %r"
                                   % (num_slice,))
    if not -data.ndim <= batch_axis < data.ndim:
        raise InvalidArgumentError("split_data: batch_axis %d is out of range for data of "
                                   "shape %s" % (batch_axis, data.shape))
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ShapeError(
            "data with shape %s cannot be evenly split into %d slices along axis %d. Use a "
            "batch size that's multiple of %d or set even_split=False to allow uneven "
            "partitioning of data." % (data.shape, num_slice, batch_axis, num_slice))
    each, extras = divmod(size, num_slice)
    bounds = np.cumsum([0] + [each + 1] * extras + [each] * (num_slice - extras)).tolist()
    if batch_axis == 0:
        return [data[bounds[i]:bounds[i + 1]] for i in range(num_slice)]
    return [nd.slice_axis(data, axis=batch_axis, begin=bounds[i], end=bounds[i + 1])
            for i in range(num_slice)]


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """Splits an NDArray into ``len(ctx_list)`` slices along ``batch_axis`` and loads each
    slice to one context in ``ctx_list``.

    Parameters
    ----------
    data : NDArray
        A batch of data (a NumPy array or list is converted with ``nd.array`` first).
    ctx_list : list of Context
        A list of Contexts.
    batch_axis : int, default 0
        The axis along which to slice.
    even_split : bool, default True
        Whether to force all slices to have the same number of elements.

    Returns
    -------
    list of NDArray
        Each corresponds to a context in ``ctx_list``.
    """
    if not isinstance(ctx_list, (list, tuple)) or not ctx_list:
        raise InvalidArgumentError("split_and_load: ctx_list must be a non-empty list of "
                                   "contexts, got %r" % (ctx_list,))
    if not isinstance(data, NDArray):
        data = nd.array(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_context(ctx_list[0])]
    slices = split_data(data, len(ctx_list), batch_axis, even_split)
    return [piece.as_in_context(ctx) for piece, ctx in zip(slices, ctx_list)]


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Rescales NDArrays so that the sum of their 2-norm is smaller than ``max_norm``.

    Each array is multiplied in place by ``min(1, max_norm / (total_norm + 1e-8))``, where
    ``total_norm`` is the 2-norm of all their elements together.

    Parameters
    ----------
    arrays : list of NDArray
    max_norm : float
    check_isfinite : bool, default True
        If True, check that the total_norm is finite (not nan or inf), and warn if it is not.
        This requires a blocking ``.asscalar()`` call.

    Returns
    -------
    NDArray or float
        Total norm. Return type is NDArray of shape (1,) if check_isfinite is False.
        Otherwise a float is returned.
    """
    if not arrays:
        raise InvalidArgumentError("clip_global_norm: arrays must be a non-empty list")
    squares = [nd.dot(a.reshape((-1,)), a.reshape((-1,))) for a in arrays]
    total = squares[0]
    for square in squares[1:]:
        total = total + square
    total_norm = nd.sqrt(total)
    if check_isfinite and not np.isfinite(total_norm.asscalar()):
        warnings.warn(UserWarning("nan or inf is detected. Clipping results will be undefined."),
                      stacklevel=2)
    scale = max_norm / (total_norm + 1e-8)
    scale = nd.minimum(scale, nd.ones((1,), dtype=scale.dtype))
    for a in arrays:
        a *= scale.astype(a.dtype, copy=False)
    if check_isfinite:
        return total_norm.asscalar()
    return total_norm


# ---------------------------------------------------------------------------------------------
# Downloads
# ---------------------------------------------------------------------------------------------

_CHUNK = 1 << 20
_SOCKET_TIMEOUT_S = 60  # a stalled connection fails (and is retried) instead of hanging
_RETRY_BACKOFF_S = 0.25  # the n-th retry waits n times this


def _sha1_of(filename):
    sha1 = hashlib.sha1()
    with open(filename, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            sha1.update(chunk)
    return sha1.hexdigest()


def check_sha1(filename, sha1_hash):
    """Check whether the sha1 hash of the file content matches the expected hash.

    Parameters
    ----------
    filename : str
        Path to the file.
    sha1_hash : str
        Expected sha1 hash in hexadecimal digits.

    Returns
    -------
    bool
        Whether the file content matches the expected hash.
    """
    return _sha1_of(filename) == sha1_hash.lower()


def _get_repo_url():
    """Return the base URL for Gluon dataset and model repository (``$MXNET_GLUON_REPO``)."""
    default_repo = "https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/"
    repo_url = os.environ.get("MXNET_GLUON_REPO", default_repo)
    if not repo_url.endswith("/"):
        repo_url += "/"
    return repo_url


def _get_repo_file_url(namespace, filename):
    """Return the URL for a file hosted in the Gluon repository."""
    return "%s%s/%s" % (_get_repo_url(), namespace, filename)


class _Progress:
    """A one-line progress bar on stderr, drawn only when stderr is a terminal."""

    def __init__(self, name, total):
        self._name = name
        self._total = total
        self._shown = -1
        self._enabled = hasattr(sys.stderr, "isatty") and sys.stderr.isatty()

    def update(self, done):
        if not self._enabled:
            return
        if self._total:
            percent = min(100, done * 100 // self._total)
            if percent == self._shown:
                return
            self._shown = percent
            bar = "#" * (percent // 4)
            sys.stderr.write("\r%s [%-25s] %3d%% of %.1f MB"
                             % (self._name, bar, percent, self._total / 1e6))
        else:
            sys.stderr.write("\r%s %.1f MB" % (self._name, done / 1e6))
        sys.stderr.flush()

    def close(self):
        if self._enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _fetch_once(url, fname, sha1_hash, ssl_context):
    """One attempt: stream ``url`` into a temporary file beside ``fname``, check its length
    and SHA-1, then rename it to ``fname``. Leaves nothing behind when it fails."""
    directory = os.path.dirname(os.path.abspath(fname))
    fd, tmp_path = tempfile.mkstemp(dir=directory, prefix=os.path.basename(fname) + ".",
                                    suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, \
                urllib.request.urlopen(url, timeout=_SOCKET_TIMEOUT_S, context=ssl_context) \
                as response:
            status = getattr(response, "status", 200)
            if status != 200:
                raise DownloadError("failed downloading %s: HTTP status %d" % (url, status))
            length = response.headers.get("Content-Length")
            expected_bytes = int(length) if length and length.isdigit() else None
            sha1 = hashlib.sha1()
            received = 0
            progress = _Progress(os.path.basename(fname), expected_bytes)
            try:
                for chunk in iter(lambda: response.read(_CHUNK), b""):
                    out.write(chunk)
                    sha1.update(chunk)
                    received += len(chunk)
                    progress.update(received)
            finally:
                progress.close()
        if expected_bytes is not None and received != expected_bytes:
            raise DownloadError("incomplete download of %s: got %d of %d bytes"
                                % (url, received, expected_bytes))
        digest = sha1.hexdigest()
        if sha1_hash and digest != sha1_hash.lower():
            raise ChecksumError(
                "File %s is downloaded but the content hash does not match: expected SHA-1 %s, "
                "got %s. The repo may be outdated or the download may be incomplete. If "
                "MXNET_GLUON_REPO is set, consider switching to the default repo."
                % (fname, sha1_hash.lower(), digest))
        os.replace(tmp_path, fname)  # atomic within one file system
    except BaseException:
        try:
            os.remove(tmp_path)
        except OSError:
            pass
        raise


def download(url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    """Download a given URL.

    Parameters
    ----------
    url : str
        URL to download.
    path : str, optional
        Destination path to store downloaded file. By default stores to the current directory
        with same name as in url. An existing directory means "that directory, with the URL's
        file name".
    overwrite : bool, optional
        Whether to overwrite destination file if already exists.
    sha1_hash : str, optional
        Expected sha1 hash in hexadecimal digits. Will ignore existing file when hash is
        specified but doesn't match, and a download whose hash does not match is discarded.
    retries : integer, default 5
        The number of times to attempt the download in case of failure or non 200 return
        codes (as in MXNet, 0 still makes one attempt).
    verify_ssl : bool, default True
        Verify SSL certificates.

    Returns
    -------
    str
        The file path of the downloaded file.

    Raises
    ------
    DownloadError
        (an MXNetError and OSError) when every attempt failed; ``ChecksumError`` when the last
        attempt's content did not match ``sha1_hash``. No file is left at the destination.
    """
    if path is None:
        fname = url.split("/")[-1]
        if not fname:
            raise InvalidArgumentError("download: can't construct file-name from this URL (%s). "
                                       "Please set the `path` option manually." % url)
    else:
        path = os.path.expanduser(path)
        fname = os.path.join(path, url.split("/")[-1]) if os.path.isdir(path) else path
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise InvalidArgumentError("download: retries must be an integer >= 0, got %r"
                                   % (retries,))
    ssl_context = None
    if not verify_ssl:
        warnings.warn("Unverified HTTPS request is being made (verify_ssl=False). "
                      "Adding certificate verification is strongly advised.")
        import ssl
        ssl_context = ssl._create_unverified_context()

    if not (overwrite or not os.path.exists(fname)
            or (sha1_hash and not check_sha1(fname, sha1_hash))):
        return fname  # already there (and, if a hash was given, intact)

    os.makedirs(os.path.dirname(os.path.abspath(fname)), exist_ok=True)
    attempts = max(1, retries)
    for attempt in range(1, attempts + 1):
        print("Downloading %s from %s..." % (fname, url))
        try:
            _fetch_once(url, fname, sha1_hash, ssl_context)
            return fname
        # URLError and HTTPError are OSErrors; a connection closed early is an HTTPException.
        except (OSError, ValueError, EOFError, http.client.HTTPException) as e:
            left = attempts - attempt
            if left == 0:
                if isinstance(e, DownloadError):
                    raise
                raise DownloadError("failed downloading %s to %s after %d attempt%s: %s"
                                    % (url, fname, attempts, "s" if attempts > 1 else "", e)) \
                    from e
            print("download failed due to %s, retrying, %d attempt%s left"
                  % (e, left, "s" if left > 1 else ""), file=sys.stderr)
            time.sleep(_RETRY_BACKOFF_S * attempt)
