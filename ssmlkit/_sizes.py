"""Byte sizes as people write them: ``2GB``, ``500 MiB``, ``1.5G``, ``1048576``.

Usage::

    parse_size("2GB")        # 2_000_000_000
    parse_size("512 MiB")    # 536_870_912
    format_size(1_536_000)   # "1.5 MB"

Decimal units (kB, MB, GB, TB: powers of 1000) and binary ones (KiB, MiB, GiB, TiB: powers of 1024);
a bare ``K``/``M``/``G``/``T`` is decimal too. Case does not matter; spaces between the number and
the unit are allowed. No imports: :mod:`ssmlkit.config` uses it on every ``ssmlkit lint``.
"""

from __future__ import annotations

__all__ = ["format_size", "parse_size"]

_UNITS = {
    "": 1,
    "b": 1,
    "k": 1000,
    "kb": 1000,
    "m": 1000**2,
    "mb": 1000**2,
    "g": 1000**3,
    "gb": 1000**3,
    "t": 1000**4,
    "tb": 1000**4,
    "kib": 1024,
    "mib": 1024**2,
    "gib": 1024**3,
    "tib": 1024**4,
}


def parse_size(value: object) -> int:
    """``value`` (an int of bytes, or a string with an optional unit) as bytes.

    Raises :class:`ValueError` saying what is accepted for anything else, or a negative size.
    """
    if isinstance(value, bool):
        raise ValueError("expected a size such as 2GB, 500MiB or a number of bytes")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("a size cannot be negative")
        return value
    if not isinstance(value, str):
        raise ValueError("expected a size such as 2GB, 500MiB or a number of bytes")
    text = value.strip().lower()
    number = text.rstrip("abcdefghijklmnopqrstuvwxyz").strip()
    unit = text[len(text.rstrip("abcdefghijklmnopqrstuvwxyz")) :].strip()
    if unit not in _UNITS or not number:
        raise ValueError(f"{value!r} is not a size; write e.g. 2GB, 500MiB or 1048576 (bytes)")
    try:
        amount = float(number)
    except ValueError:
        raise ValueError(
            f"{value!r} is not a size; write e.g. 2GB, 500MiB or 1048576 (bytes)"
        ) from None
    if amount < 0 or amount != amount or amount == float("inf"):
        raise ValueError(f"{value!r}: a size must be a finite number, not negative")
    return int(amount * _UNITS[unit])


def format_size(size: int) -> str:
    """``size`` bytes in the largest decimal unit that keeps a number of at least 1: ``1.5 MB``."""
    for unit, scale in (("TB", 1000**4), ("GB", 1000**3), ("MB", 1000**2), ("kB", 1000)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"
