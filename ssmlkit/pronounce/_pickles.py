"""Read g2pM's pickled weights and tables without running arbitrary code: :func:`load_pickle`.

    >>> import io, pickle
    >>> load_pickle(io.BytesIO(pickle.dumps({"行": ["xing2", "hang2"]})))
    {'行': ['xing2', 'hang2']}

A plain :func:`pickle.load` calls whatever callable the file names (``os.system`` included), so
a tampered file in site-packages would run code as the user. :class:`RestrictedUnpickler` lets a
file build only builtin containers and numpy arrays: the four globals a pickled ``ndarray`` needs
and nothing else. Any other global fails with :class:`pickle.UnpicklingError` naming it.
"""

from __future__ import annotations

import pickle
from typing import IO, Any, Final

__all__ = ["ALLOWED_GLOBALS", "RestrictedUnpickler", "load_pickle"]

#: (module, name) pairs a file may name: how numpy 1.x and 2.x pickle an ``ndarray``.
ALLOWED_GLOBALS: Final = frozenset(
    {
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
    }
)


def _reconstruct() -> Any:
    """numpy's array reconstructor, from wherever this numpy keeps it.

    numpy 2 moved ``numpy.core`` to ``numpy._core`` and warns on the old name; the files name
    the old one, so the name is resolved here instead of by importing what the file says.
    """
    import importlib

    try:
        multiarray = importlib.import_module("numpy._core.multiarray")  # numpy >= 2
    except ImportError:  # pragma: no cover - numpy 1.x
        multiarray = importlib.import_module("numpy.core.multiarray")
    return multiarray._reconstruct


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler whose files may build builtins and numpy arrays only (see the module)."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in ALLOWED_GLOBALS:
            raise pickle.UnpicklingError(
                f"refusing to load the global {module}.{name} from a pickle: only numpy arrays "
                "and builtin containers are expected in the pronunciation data"
            )
        import numpy

        if name == "_reconstruct":
            return _reconstruct()
        return numpy.ndarray if name == "ndarray" else numpy.dtype


def load_pickle(file: IO[bytes]) -> Any:
    """Load one pickle from an open binary file through :class:`RestrictedUnpickler`."""
    return RestrictedUnpickler(file).load()
