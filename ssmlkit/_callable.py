"""Let a module be called like the function it is named after.

``ssmlkit.lint``, ``ssmlkit.split`` and ``ssmlkit.render`` are both public functions and the
modules that hold them. Once Python imports such a module it sets the package attribute to the
module, which would hide the function; making the module callable keeps ``ssmlkit.split(text)``
working whichever was loaded first, while ``import ssmlkit.split`` still gives the module.
"""

from __future__ import annotations

import types
from typing import Any

__all__ = ["make_callable"]


def make_callable(module: types.ModuleType, function: str) -> None:
    """Make calling ``module`` call its attribute ``function`` (with the same arguments)."""

    class _CallableModule(types.ModuleType):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            return getattr(self, function)(*args, **kwargs)

    _CallableModule.__name__ = f"CallableModule[{module.__name__}]"
    module.__class__ = _CallableModule
