"""Static checks: undefined names (pyflakes), operations the generated code must not use, and
library calls whose arguments the library's real signature rejects."""

from __future__ import annotations

import ast
import functools
import importlib
import inspect
import re
from dataclasses import dataclass
from typing import Final

from pyflakes import checker as pyflakes_checker
from pyflakes import messages as pyflakes_messages

from gpiot.validate.problems import Problem

_UNDEFINED: Final = (
    pyflakes_messages.UndefinedName,
    pyflakes_messages.UndefinedLocal,
    pyflakes_messages.UndefinedExport,
)
_IMPORT_HINTS: Final = {
    "np": "import numpy as np",
    "numpy": "import numpy",
    "scipy": "import scipy",
    "signal": "from scipy import signal",
    "math": "import math",
    "pd": "import pandas as pd",
    "plt": "import matplotlib.pyplot as plt",
}

_PROCESS = "starts a process"
_NETWORK = "uses the network"
_DELETE = "deletes files"
_DYNAMIC = "runs dynamic code"
_NATIVE = "calls native code"
_EXIT = "exits the interpreter"
_SIGNAL = "sends signals to processes"

# Qualified names (after resolving import aliases) and why each is forbidden.
_FORBIDDEN_NAMES: Final = {
    "os.system": _PROCESS,
    "os.popen": _PROCESS,
    "os.fork": _PROCESS,
    "os.forkpty": _PROCESS,
    "os.startfile": _PROCESS,
    "pty.spawn": _PROCESS,
    "os.remove": _DELETE,
    "os.unlink": _DELETE,
    "os.rmdir": _DELETE,
    "os.removedirs": _DELETE,
    "shutil.rmtree": _DELETE,
    "os.kill": _SIGNAL,
    "os.killpg": _SIGNAL,
    "sys.exit": _EXIT,
    "os._exit": _EXIT,
    "exit": _EXIT,
    "quit": _EXIT,
    "eval": _DYNAMIC,
    "exec": _DYNAMIC,
    "compile": _DYNAMIC,
    "__import__": _DYNAMIC,
    "__builtins__": _DYNAMIC,
}
_FORBIDDEN_PREFIXES: Final = {"os.exec": _PROCESS, "os.spawn": _PROCESS, "os.posix_spawn": _PROCESS}
# Modules that may not be imported or used at all.
_FORBIDDEN_MODULES: Final = {
    "subprocess": _PROCESS,
    "_posixsubprocess": _PROCESS,
    "pty": _PROCESS,
    "socket": _NETWORK,
    "urllib.request": _NETWORK,
    "http.client": _NETWORK,
    "requests": _NETWORK,
    "urllib3": _NETWORK,
    "httpx": _NETWORK,
    "aiohttp": _NETWORK,
    "ftplib": _NETWORK,
    "smtplib": _NETWORK,
    "telnetlib": _NETWORK,
    "ctypes": _NATIVE,
    "_ctypes": _NATIVE,
    "cffi": _NATIVE,
    "importlib": _DYNAMIC,
}
# Libraries whose functions' signatures the call check reads (it imports them, never user code).
_CHECKED_LIBRARIES: Final = frozenset({"numpy", "scipy", "sklearn", "pandas", "math", "statistics"})
_OPENERS: Final = frozenset({"open", "io.open", "codecs.open", "os.open"})
_PATH_MAKERS: Final = frozenset({"Path", "pathlib.Path", "PurePath", "pathlib.PurePath"})
# Methods/functions that create or change a file named by their receiver or first argument.
_WRITERS: Final = frozenset(
    {
        "write_text",
        "write_bytes",
        "touch",
        "mkdir",
        "makedirs",
        "unlink",
        "rename",
        "replace",
        "save",
        "savetxt",
        "savez",
        "savez_compressed",
        "tofile",
        "to_csv",
        "to_json",
        "to_pickle",
        "savefig",
        "copy",
        "copyfile",
        "copy2",
        "move",
        "symlink_to",
    }
)
_ABSOLUTE: Final = re.compile(r"^(/|~|\.\.(/|\\|$)|[A-Za-z]:[\\/]|\\\\)")
_WRITE_FLAGS: Final = frozenset({"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND", "O_TRUNC"})


def undefined_names(source: str) -> set[str]:
    """Names pyflakes reports as undefined (empty for code that does not parse)."""
    try:
        checker = pyflakes_checker.Checker(ast.parse(source), filename="generated.py")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    return {
        str(m.message_args[0])
        for m in checker.messages
        if isinstance(m, pyflakes_messages.UndefinedName) and m.message_args
    }


def undefined_name_problems(source: str) -> list[Problem]:
    """pyflakes' undefined-name family of messages (unused imports and the rest are ignored)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # reported by the syntax stage
    checker = pyflakes_checker.Checker(tree, filename="generated.py")
    problems: list[Problem] = []
    seen: set[tuple[str, int]] = set()
    for message in sorted(checker.messages, key=lambda m: (m.lineno, m.col)):
        if not isinstance(message, _UNDEFINED):
            continue
        text = str(message.message % message.message_args)
        line = int(message.lineno)
        if (text, line) in seen:
            continue
        seen.add((text, line))
        name = str(message.message_args[0]) if message.message_args else ""
        hint = _IMPORT_HINTS.get(name)
        if hint and isinstance(message, pyflakes_messages.UndefinedName):
            text += f" (missing `{hint}`?)"
        problems.append(Problem("undefined-name", text, line))
    return problems


def _string(node: ast.expr | None) -> str | None:
    """The value of a string constant, folding ``"a" + "b"``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _string(node.left), _string(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


@dataclass(frozen=True)
class _Finding:
    key: str
    reason: str
    line: int


class _Names:
    """What each name in a module refers to: import aliases, and names the module binds."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases: dict[str, str] = {}
        self.bound: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.aliases[alias.asname] = alias.name
                    else:
                        top = alias.name.partition(".")[0]
                        self.aliases[top] = top
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for alias in node.names:
                    if alias.name != "*":
                        self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                self.bound.add(node.id)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.bound.add(node.name)
            elif isinstance(node, ast.arg):
                self.bound.add(node.arg)

    def qualify(self, node: ast.expr) -> str | None:
        """The dotted name an expression refers to, resolving imports, or None if unknown."""
        if isinstance(node, ast.Name):
            if node.id in self.aliases:
                return self.aliases[node.id]
            return None if node.id in self.bound else node.id
        if isinstance(node, ast.Attribute):
            base = self.qualify(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Subscript):  # sys.modules["os"]
            if self.qualify(node.value) == "sys.modules":
                return _string(node.slice)
            return None
        if isinstance(node, ast.Call):
            function = self.qualify(node.func)
            if function in ("__import__", "builtins.__import__", "importlib.import_module"):
                return _string(_argument(node, 0, "name"))
            if function in ("getattr", "builtins.getattr") and len(node.args) >= 2:
                base, attr = self.qualify(node.args[0]), _string(node.args[1])
                return f"{base}.{attr}" if base and attr else None
        return None


class _UnsafeVisitor(_Names, ast.NodeVisitor):
    def __init__(self, tree: ast.Module) -> None:
        super().__init__(tree)
        self.findings: dict[str, _Finding] = {}

    def check_name(self, name: str | None, line: int) -> bool:
        if name is None:
            return False
        name = name.removeprefix("builtins.")
        reason = _FORBIDDEN_NAMES.get(name)
        key = name
        if reason is None:
            for prefix, why in _FORBIDDEN_PREFIXES.items():
                if name.startswith(prefix):
                    reason, key = why, f"{prefix}*"
                    break
        if reason is None:
            for module, why in _FORBIDDEN_MODULES.items():
                if name == module or name.startswith(module + "."):
                    reason, key = why, module
                    break
        if reason is None:
            return False
        if key not in self.findings:
            self.findings[key] = _Finding(key, reason, line)
        return True

    def report(self, key: str, reason: str, line: int) -> None:
        self.findings.setdefault(f"{key}@{line}", _Finding(key, reason, line))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.check_name(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level and not self.check_name(node.module, node.lineno):
            for alias in node.names:
                self.check_name(f"{node.module}.{alias.name}", node.lineno)

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            self.check_name(self.qualify(node), node.lineno)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not self.check_name(self.qualify(node), node.lineno):
            self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if not self.check_name(self.qualify(node), node.lineno):
            self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        self.check_name(self.qualify(node.func), node.lineno)
        self.check_name(self.qualify(node), node.lineno)
        self._check_write(node)
        self.generic_visit(node)

    def _absolute(self, node: ast.expr | None) -> str | None:
        """An absolute (or parent-relative) path literal that ``node`` builds, if any."""
        if node is None:
            return None
        text = _string(node)
        if text is None and isinstance(node, ast.JoinedStr) and node.values:
            text = _string(node.values[0]) if isinstance(node.values[0], ast.Constant) else None
        if text is not None:
            return text if _ABSOLUTE.match(text) else None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self._absolute(node.left)
        if isinstance(node, ast.Call):
            function = self.qualify(node.func)
            if function in _PATH_MAKERS or function in ("os.path.join", "os.path.expanduser"):
                return self._absolute(_argument(node, 0, ""))
        return None

    def _check_write(self, call: ast.Call) -> None:
        function = self.qualify(call.func)
        if function in _OPENERS or function == "builtins.open":
            path = self._absolute(_argument(call, 0, "file") or _argument(call, 0, "path"))
            if path is None:
                return
            if function == "os.open":
                flags = _argument(call, 1, "flags")
                names = (
                    {n.attr for n in ast.walk(flags) if isinstance(n, ast.Attribute)}
                    if flags is not None
                    else set()
                )
                writing = bool(names & _WRITE_FLAGS)
            else:
                mode = _string(_argument(call, 1, "mode"))
                writing = mode is not None and any(c in mode for c in "wax+")
            if writing:
                self.report(f"open({path!r})", "writes outside the working directory", call.lineno)
            return
        if not isinstance(call.func, ast.Attribute) or call.func.attr not in _WRITERS:
            return
        path = self._absolute(call.func.value) or self._absolute(_argument(call, 0, ""))
        if path is None and call.func.attr in ("copy", "copyfile", "copy2", "move"):
            path = self._absolute(_argument(call, 1, "dst"))
        if path is not None:
            self.report(
                f"{call.func.attr}({path!r})", "writes outside the working directory", call.lineno
            )


def unsafe_problems(source: str) -> list[Problem]:
    """Forbidden operations that can be seen without running the code, one problem each."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    visitor = _UnsafeVisitor(tree)
    visitor.visit(tree)
    findings = sorted(visitor.findings.values(), key=lambda f: f.line)
    return [Problem("unsafe", f"`{f.key}` is not allowed: it {f.reason}", f.line) for f in findings]


@functools.lru_cache(maxsize=1024)
def library_signature(qualified: str) -> inspect.Signature | None:
    """The signature of a function or class of an installed scientific library, by its dotted
    name (``scipy.signal.find_peaks``); None when it is not one or has no readable signature.

    Only the libraries in ``_CHECKED_LIBRARIES`` are imported, never the generated code."""
    parts = qualified.split(".")
    if parts[0] not in _CHECKED_LIBRARIES or len(parts) < 2:
        return None
    value: object = None
    for cut in range(len(parts) - 1, 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # not a module (an attribute path), or a module that fails to import
            continue
        for attr in parts[cut:]:
            value = getattr(value, attr, None)
        break
    if value is None or not callable(value):
        return None
    try:
        return inspect.signature(value)
    except (TypeError, ValueError):  # builtins and ufuncs without a signature
        return None


def call_problems(source: str) -> list[Problem]:
    """Calls of numpy, scipy, scikit-learn, pandas and math functions whose arguments their real
    signature rejects: an unknown keyword (``find_peaks(x, min_distance=5)``), too many
    positional arguments or a missing required one. Each problem names the real signature."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    names = _Names(tree)
    problems: list[Problem] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if any(isinstance(a, ast.Starred) for a in node.args):
            continue
        if any(k.arg is None for k in node.keywords):  # **kwargs: unknown at this point
            continue
        qualified = names.qualify(node.func)
        signature = library_signature(qualified) if qualified else None
        if signature is None:
            continue
        try:
            signature.bind(*node.args, **{str(k.arg): k.value for k in node.keywords})
        except TypeError as error:
            problems.append(
                Problem(
                    "call",
                    f"`{qualified}()`: {error}; its signature is `{qualified}{signature}`",
                    node.lineno,
                )
            )
    return sorted(problems, key=lambda p: p.line or 0)


def static_problems(source: str) -> list[Problem]:
    """Undefined names, then unsafe operations, then library calls with arguments that their
    signature rejects."""
    return undefined_name_problems(source) + unsafe_problems(source) + call_problems(source)
