"""Shared fixtures: a seeded NumPy generator per test, and a guard that every test leaves
autograd's recording/training flags as it found them (scopes must restore state, errors
included)."""

import os
import zlib

import numpy as np
import pytest

from ferrograd import autograd


@pytest.fixture
def rng(request):
    """A NumPy generator seeded from the test's id: reproducible, different per test."""
    return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))


@pytest.fixture(autouse=True)
def _autograd_state_restored():
    before = (autograd.is_recording(), autograd.is_training())
    assert before == (False, False), "a previous test leaked autograd state %r" % (before,)
    yield
    after = (autograd.is_recording(), autograd.is_training())
    # Restore first so one leak does not fail every later test, then report it.
    autograd.set_recording(False)
    autograd.set_training(False)
    assert after == before, "autograd state leaked: %r -> %r" % (before, after)


def no_panic(fn, *args, **kwargs):
    """Calls fn; re-raises its exception unless it is a Rust panic (PanicException, a
    BaseException that `except Exception` would miss), which fails the test instead."""
    try:
        return fn(*args, **kwargs)
    except BaseException as e:  # noqa: B036
        if type(e).__name__ == "PanicException":
            pytest.fail("a Rust panic reached Python: %r" % (e,))
        raise


@pytest.fixture
def call():
    """`call(fn, *args)`: runs fn, failing the test if a Rust panic escapes."""
    return no_panic


def in_ci():
    """Whether the suite runs in CI (``CI=true``, as GitHub Actions and most CI systems set)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def require(available, what):
    """Skips the calling test when ``available`` is false, naming ``what`` is missing; in CI
    a missing requirement fails the test instead, so it cannot pass there unnoticed."""
    if available:
        return
    if in_ci():
        pytest.fail("%s is missing; CI must provide it (a skip here would hide the test)" % what)
    pytest.skip("%s is not available" % what)
