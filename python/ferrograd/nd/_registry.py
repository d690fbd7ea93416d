"""The engine's registry of ``nd`` functions: each is declared once in Rust (name, aliases,
signature, docstring, whether NDArray has it as a method) and exported from here."""

from __future__ import annotations

from typing import Any

from .. import _core


def export(namespace: str, scope: dict[str, Any]) -> list[str]:
    """Puts every function of ``namespace`` ("nd", "linalg") and its aliases into ``scope``;
    returns the names added."""
    names: list[str] = []
    for ns, name, func, aliases, _fluent in _core._registry:
        if ns == namespace:
            for n in (name,) + tuple(aliases):
                scope[n] = func
                names.append(n)
    return names
