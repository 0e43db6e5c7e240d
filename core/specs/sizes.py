"""Lengths the declarations share: a name fits a String(255) column; the rest bounds
the Text columns so that one value cannot fill a page, a cell or the memory of a form."""

from __future__ import annotations

from typing import Final

NAME_LENGTH: Final = 255
LONG_TEXT_LENGTH: Final = 20_000
# Management reviews record whole meetings: their minutes run longer.
MINUTES_LENGTH: Final = 50_000
