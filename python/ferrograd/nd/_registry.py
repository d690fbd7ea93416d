"""The engine's registry of ``nd`` functions: each is declared once in Rust (name, aliases,
signature, docstring, whether NDArray has it as a method) and exported from here."""

from .. import _core


def export(namespace, scope):
    """Puts every function of ``namespace`` ("nd", "linalg") and its aliases into ``scope``;
    returns the names added."""
    names = []
    for ns, name, func, aliases, _fluent in _core._registry:
        if ns == namespace:
            for n in (name,) + tuple(aliases):
                scope[n] = func
                names.append(n)
    return names
