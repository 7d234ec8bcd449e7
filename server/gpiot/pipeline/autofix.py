"""Deterministic fixes applied to generated code before it is validated.

The base model often calls a well-known function without importing it (`find_peaks`, `butter`,
`np`). Such a name is imported from the first scientific module that defines it; anything else
is left to validation and the model's repair.
"""

from __future__ import annotations

import importlib
import inspect
import re

from gpiot.validate.static import undefined_names

_ALIASES = {
    "np": "import numpy as np",
    "numpy": "import numpy",
    "scipy": "import scipy",
    "signal": "from scipy import signal",
    "stats": "from scipy import stats",
    "interpolate": "from scipy import interpolate",
    "math": "import math",
}
_MODULES = (
    "scipy.signal",
    "scipy.fft",
    "scipy.interpolate",
    "scipy.stats",
    "scipy.ndimage",
    "math",
)
_BAD_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\(\) (?:got an unexpected keyword|takes|missing)")


def _find(name: str) -> tuple[str, object] | None:
    for module in _MODULES:
        value = getattr(importlib.import_module(module), name, None)
        if value is not None:
            return module, value
    return None


def _import_for(name: str) -> str | None:
    if name in _ALIASES:
        return _ALIASES[name]
    found = _find(name)
    return f"from {found[0]} import {name}" if found else None


def signature_hints(feedback: str) -> str:
    """The real signatures of library functions that a failed call used wrongly."""
    hints: list[str] = []
    for name in dict.fromkeys(_BAD_CALL.findall(feedback)):
        found = _find(name)
        if found is None:
            continue
        try:
            hints.append(f"- {found[0]}.{name}{inspect.signature(found[1])}")  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
    return "Correct signatures:\n" + "\n".join(hints) if hints else ""


def add_missing_imports(code: str) -> str:
    """Import undefined names that a scientific module defines; return the code unchanged else."""
    names = undefined_names(code)
    imports = sorted({line for name in names if (line := _import_for(name))})
    if not imports:
        return code
    return "\n".join(imports) + "\n" + code
