"""gluon.utils.download and check_sha1, against a local HTTP server on 127.0.0.1 (never the
internet): checksums, retries, overwrite, reuse of a cached file, and that a failed or corrupt
download leaves no file behind."""

import hashlib
import io
import os
import sys

import pytest

from ferrograd import MXNetError
from ferrograd.gluon import utils
from ferrograd.gluon.utils import ChecksumError, DownloadError, check_sha1, download

from gluon_data_util import http_server

BODY = bytes(range(256)) * 5000  # 1.28 MB: several read chunks
SHA1 = hashlib.sha1(BODY).hexdigest()


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(utils, "_RETRY_BACKOFF_S", 0.0)
    with http_server({"/files/data.bin": BODY, "/files/other.bin": b"other"}) as s:
        yield s


def url(server, name="data.bin"):
    return "%s/files/%s" % (server.url, name)


def test_download_into_a_directory_names_the_file_after_the_url(server, tmp_path, capsys):
    path = download(url(server), path=str(tmp_path), sha1_hash=SHA1)
    assert path == str(tmp_path / "data.bin")
    assert (tmp_path / "data.bin").read_bytes() == BODY
    assert os.listdir(tmp_path) == ["data.bin"]
    assert "Downloading %s from %s..." % (path, url(server)) in capsys.readouterr().out


def test_download_to_a_file_name_and_to_the_current_directory(server, tmp_path, monkeypatch):
    target = tmp_path / "sub" / "renamed.bin"
    assert download(url(server), path=str(target)) == str(target)
    assert target.read_bytes() == BODY
    monkeypatch.chdir(tmp_path)
    assert download(url(server, "other.bin")) == "other.bin"
    assert (tmp_path / "other.bin").read_bytes() == b"other"


def test_a_cached_file_is_reused_unless_overwrite_or_a_hash_mismatch(server, tmp_path):
    target = tmp_path / "data.bin"
    target.write_bytes(b"stale")
    download(url(server), path=str(tmp_path))  # no hash: an existing file is taken as it is
    assert target.read_bytes() == b"stale" and server.requests == []
    download(url(server), path=str(tmp_path), sha1_hash=SHA1)  # wrong content: fetched again
    assert target.read_bytes() == BODY and len(server.requests) == 1
    download(url(server), path=str(tmp_path), sha1_hash=SHA1)  # right content: reused
    assert len(server.requests) == 1
    target.write_bytes(b"stale")
    download(url(server), path=str(tmp_path), overwrite=True)
    assert target.read_bytes() == BODY and len(server.requests) == 2


def test_a_checksum_mismatch_leaves_no_file_and_names_both_hashes(server, tmp_path):
    wrong = "0123456789abcdef0123456789abcdef01234567"
    with pytest.raises(ChecksumError) as info:
        download(url(server), path=str(tmp_path), sha1_hash=wrong, retries=2)
    message = str(info.value)
    assert str(tmp_path / "data.bin") in message and wrong in message and SHA1 in message
    assert isinstance(info.value, MXNetError) and isinstance(info.value, OSError)
    assert os.listdir(tmp_path) == []  # neither the file nor a temporary one
    assert len(server.requests) == 2  # retried, as MXNet does


def test_a_server_error_is_retried(server, tmp_path, capsys):
    server.failures["/files/data.bin"] = 2
    path = download(url(server), path=str(tmp_path), sha1_hash=SHA1, retries=3)
    assert open(path, "rb").read() == BODY
    assert len(server.requests) == 3
    err = capsys.readouterr().err
    assert err.count("retrying") == 2 and "HTTP Error 500" in err


def test_giving_up_after_the_retries_raises_a_clear_error(server, tmp_path):
    server.failures["/files/data.bin"] = 10
    with pytest.raises(DownloadError, match="after 4 attempts: HTTP Error 500") as info:
        download(url(server), path=str(tmp_path), retries=4)
    assert url(server) in str(info.value) and isinstance(info.value, OSError)
    assert len(server.requests) == 4 and os.listdir(tmp_path) == []


def test_retries_zero_still_makes_one_attempt_as_in_mxnet(server, tmp_path):
    server.failures["/files/data.bin"] = 1
    with pytest.raises(DownloadError, match="after 1 attempt:"):
        download(url(server), path=str(tmp_path), retries=0)
    assert len(server.requests) == 1


def test_a_truncated_transfer_is_not_kept(server, tmp_path):
    server.truncate["/files/data.bin"] = 1000
    with pytest.raises(DownloadError):
        download(url(server), path=str(tmp_path), retries=2)
    assert os.listdir(tmp_path) == [] and len(server.requests) == 2
    # ... and a later attempt that completes lands the whole file
    del server.truncate["/files/data.bin"]
    assert open(download(url(server), path=str(tmp_path)), "rb").read() == BODY


def test_a_missing_file_and_an_unreachable_server(server, tmp_path):
    with pytest.raises(DownloadError, match="HTTP Error 404"):
        download(url(server, "absent.bin"), path=str(tmp_path), retries=1)
    with pytest.raises(DownloadError, match="after 2 attempts"):
        download("http://127.0.0.1:1/nothing.bin", path=str(tmp_path), retries=2)
    assert os.listdir(tmp_path) == []


def test_progress_bar_only_on_a_terminal(server, tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    download(url(server), path=str(tmp_path / "a.bin"))
    shown = terminal.getvalue()
    assert "a.bin" in shown and "100%" in shown and "1.3 MB" in shown
    pipe = io.StringIO()
    monkeypatch.setattr(sys, "stderr", pipe)
    download(url(server), path=str(tmp_path / "b.bin"))
    assert pipe.getvalue() == ""


def test_bad_arguments(server, tmp_path):
    with pytest.raises(MXNetError, match="retries must be an integer >= 0") as info:
        download(url(server), path=str(tmp_path), retries=-1)
    assert isinstance(info.value, ValueError)
    with pytest.raises(ValueError, match="can't construct file-name"):
        download(server.url + "/files/")
    with pytest.warns(UserWarning, match="verify_ssl=False"):
        download(url(server), path=str(tmp_path), verify_ssl=False)


def test_check_sha1(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(BODY)
    assert check_sha1(str(path), SHA1)
    assert check_sha1(str(path), SHA1.upper())
    assert not check_sha1(str(path), "0" * 40)
