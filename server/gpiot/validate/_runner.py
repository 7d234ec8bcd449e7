"""Child-process side of the smoke run; executed by path as ``python -I -B _runner.py REQUEST``.

It limits its own resources, imports numpy and :mod:`argsynth` (loaded by file path, since gpiot
may not be importable here), installs an audit hook that blocks process creation, networking,
native code and writes outside the working directory, then imports the generated module, calls
its function on synthesised arguments and writes one JSON object to the result file, which was
opened before the hook went in. Only the standard library and numpy are used.
"""

from __future__ import annotations

import faulthandler
import importlib.util
import json
import math
import os
import resource
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any, Final, NoReturn

MESSAGE_LIMIT: Final = 600
_PROCESS_EVENTS: Final = frozenset(
    {
        "os.system",
        "os.exec",
        "os.spawn",
        "os.posix_spawn",
        "os.fork",
        "os.forkpty",
        "os.startfile",
        "subprocess.Popen",
        "pty.spawn",
    }
)
_NETWORK_EVENTS: Final = frozenset(
    {
        "socket.connect",
        "socket.bind",
        "socket.sendto",
        "socket.sendmsg",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "urllib.Request",
        "http.client.connect",
        "ftplib.connect",
        "smtplib.connect",
        "telnetlib.Telnet.open",
        "webbrowser.open",
    }
)
# Events whose first argument is a path that is changed; allowed inside the working directory.
_PATH_EVENTS: Final = frozenset(
    {
        "os.remove",
        "os.rmdir",
        "os.mkdir",
        "os.chmod",
        "os.chown",
        "os.truncate",
        "os.utime",
        "os.chflags",
        "os.lchflags",
        "os.setxattr",
        "os.removexattr",
        "shutil.rmtree",
        "shutil.chown",
    }
)
_TWO_PATH_EVENTS: Final = frozenset({"os.rename", "os.link", "os.symlink"})
_BLOCKED_IMPORTS: Final = frozenset({"_posixsubprocess", "_ctypes", "ctypes", "_winapi"})
_WRITE_FLAGS: Final = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


class SandboxViolation(PermissionError):
    """Raised by the audit hook for an operation the generated code may not perform."""


def _trim(text: str, limit: int = MESSAGE_LIMIT) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class Guard:
    """The audit hook: records and refuses forbidden operations."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = os.path.realpath(workdir)
        self.blocked: list[str] = []
        self.active = False
        self._local = threading.local()  # re-entrancy flag, per thread

    def inside(self, path: object) -> bool:
        if isinstance(path, int):  # an already open file descriptor
            return True
        if not isinstance(path, str | bytes | os.PathLike):
            return False
        text = os.fsdecode(path)
        if text in ("/dev/null", "nul"):
            return True
        real = os.path.realpath(os.path.join(os.getcwd(), text))
        return real == self.workdir or real.startswith(self.workdir + os.sep)

    def reason(self, event: str, args: tuple[Any, ...]) -> str | None:
        if event in _PROCESS_EVENTS:
            what = _trim(" ".join(map(str, args[:2])), 80) if args else ""
            return f"starting a process ({event} {what})".replace(" )", ")")
        if event in _NETWORK_EVENTS:
            return f"network access ({event})"
        if event.startswith("ctypes."):
            return f"native code through ctypes ({event})"
        if event == "import" and args and args[0] in _BLOCKED_IMPORTS:
            return f"importing {args[0]}"
        if event in ("os.kill", "os.killpg", "signal.pthread_kill"):
            target = args[0] if args else None
            if target not in (os.getpid(), 0):
                return f"sending a signal to another process ({event})"
            return None
        if event in ("resource.setrlimit", "resource.prlimit", "sys.addaudithook"):
            return f"changing the sandbox ({event})"
        if event == "open" and len(args) >= 3:
            path, mode, flags = args[0], args[1], args[2]
            writing = (
                any(c in mode for c in "wax+")
                if isinstance(mode, str)
                else bool(isinstance(flags, int) and flags & _WRITE_FLAGS)
            )
            if writing and not self.inside(path):
                return f"writing to {os.fsdecode(path)!r} outside the working directory"
            return None
        if event in _PATH_EVENTS and args and not self.inside(args[0]):
            return f"changing {os.fsdecode(args[0])!r} outside the working directory ({event})"
        if event in _TWO_PATH_EVENTS and len(args) >= 2:
            for path in args[:2]:
                if not self.inside(path):
                    return f"changing {os.fsdecode(path)!r} outside the working directory ({event})"
        database = args[0] if event == "sqlite3.connect" and args else ":memory:"
        if database not in (":memory:", b":memory:") and not self.inside(database):
            return f"opening a database outside the working directory ({event})"
        return None

    def refuse(self, why: str) -> NoReturn:
        self.blocked.append(why)
        raise SandboxViolation(f"blocked by the sandbox: {why}")

    def fork_exec(self, *_args: object, **_kwargs: object) -> NoReturn:
        """Replaces ``_posixsubprocess.fork_exec``, which raises no audit event of its own."""
        self.refuse("starting a process (_posixsubprocess.fork_exec)")

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active or getattr(self._local, "busy", False):
            return
        self._local.busy = True
        try:
            why = self.reason(event, args)
        except Exception as exc:  # a malformed event: refuse rather than let it through
            why = f"{event} ({type(exc).__name__})"
        finally:
            self._local.busy = False
        if why is not None:
            self.refuse(why)


def _limit(request: dict[str, Any]) -> None:
    memory = int(request["memory_mb"]) * 1024 * 1024
    cpu = max(1, math.ceil(float(request["cpu_s"])))
    fsize = int(request.get("fsize_mb", 64)) * 1024 * 1024
    for limit, value in (
        (resource.RLIMIT_AS, memory),
        (resource.RLIMIT_CPU, cpu),
        (resource.RLIMIT_FSIZE, fsize),
        (resource.RLIMIT_CORE, 0),
    ):
        ceiling = resource.getrlimit(limit)[1]
        if ceiling != resource.RLIM_INFINITY:
            value = min(value, ceiling)
        hard = value + 1 if limit == resource.RLIMIT_CPU else value
        if ceiling != resource.RLIM_INFINITY:
            hard = min(hard, ceiling)
        resource.setrlimit(limit, (value, hard))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an oversized write fails instead of killing


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _frames(exc: BaseException, module_path: str) -> tuple[str, int | None]:
    """The last frames of the traceback that lie in the generated file, and the last line."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == module_path]
    parts = [f"line {f.lineno} in {f.name}: `{_trim(f.line or '', 100)}`" for f in frames[-3:]]
    return "; ".join(parts), (frames[-1].lineno if frames else None)


def _describe(value: Any) -> str:
    shape = getattr(value, "shape", None)
    if shape is not None and hasattr(value, "dtype"):
        return f"<{type(value).__name__} shape={tuple(shape)} dtype={value.dtype}>"
    if isinstance(value, list | tuple) and len(value) > 4:
        return f"<{type(value).__name__} of {len(value)}>"
    return _trim(repr(value), 60)


def _nan_only(value: Any) -> bool:
    import numpy as np

    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.ndarray) and value.size and value.dtype.kind in "fc":
        return bool(np.isnan(value).all())
    return False


def _sequence_type(type_text: str) -> bool:
    lowered = type_text.lower()
    return any(word in lowered for word in ("tuple", "list", "sequence", "iterable", "any"))


def check_output(value: Any, outputs: list[dict[str, str]]) -> str | None:
    """Why the return value does not match the spec's outputs, or None if it does."""
    names = [o["name"] for o in outputs]
    listing = ", ".join(f"{o['name']} ({o['type']})" for o in outputs)
    if not outputs:
        return None
    if len(outputs) == 1:
        if value is None:
            return f"returned None; the spec's output {listing} must be returned"
        if isinstance(value, tuple) and not _sequence_type(outputs[0]["type"]):
            return (
                f"returned a tuple of {len(value)} values, but the spec has one output: {listing}"
            )
        if _nan_only(value):
            return f"output {names[0]} contains only NaN values"
        return None
    if isinstance(value, dict):
        missing = [n for n in names if n not in value]
        if missing:
            return f"returned a dict without {', '.join(missing)}; return a tuple ({listing})"
        items = [value[n] for n in names]
    elif isinstance(value, tuple | list):
        if len(value) != len(outputs):
            return (
                f"returned {len(value)} values, but the spec has {len(outputs)} outputs; "
                f"return the tuple ({listing}) in that order"
            )
        items = list(value)
    else:
        return (
            f"returned a single {type(value).__name__}, but the spec has {len(outputs)} outputs; "
            f"return the tuple ({listing})"
        )
    if all(item is None for item in items):
        return f"every output is None; the spec's outputs are ({listing})"
    for name, item in zip(names, items, strict=True):
        if _nan_only(item):
            return f"output {name} contains only NaN values"
    return None


def _failure(
    kind: str, status: str, message: str, exc: BaseException | None, module_path: str
) -> dict[str, Any]:
    where, line = _frames(exc, module_path) if exc is not None else ("", None)
    if exc is not None:
        message = f"{message}: {type(exc).__name__}: {_trim(str(exc), 300)}".rstrip(": ")
    if where:
        message += f" (at {where})"
    return {"status": status, "kind": kind, "detail": _trim(message), "line": line}


def run(request: dict[str, Any], guard: Guard, argsynth: ModuleType) -> dict[str, Any]:
    module_path = str(request["module"])
    spec_data: dict[str, Any] = request["spec"]
    function_name = str(spec_data["function"])
    try:
        module = _load("generated_module", Path(module_path))
    except MemoryError as exc:
        return _failure(
            "memory", "memory", "ran out of memory importing the module", exc, module_path
        )
    except BaseException as exc:
        return _failure("runtime", "failed", "importing the module failed", exc, module_path)
    function = getattr(module, function_name, None)
    if not callable(function):
        return {
            "status": "failed",
            "kind": "runtime",
            "detail": f"the module has no callable `{function_name}`",
            "line": None,
        }
    try:
        args = argsynth.synthesise_args(argsynth.spec_from_dict(spec_data))
    except argsynth.NotSynthesisable as exc:
        return {"status": "skipped", "kind": None, "detail": str(exc.reason), "line": None}
    except Exception as exc:
        reason = f"could not synthesise arguments ({type(exc).__name__}: {_trim(str(exc), 200)})"
        return {"status": "skipped", "kind": None, "detail": reason, "line": None}
    call = f"{function_name}({', '.join(f'{k}={_describe(v)}' for k, v in args.items())})"
    started = time.perf_counter()
    try:
        value = function(*args.values())
    except MemoryError as exc:
        return _failure("memory", "memory", f"ran out of memory in {call}", exc, module_path)
    except SystemExit as exc:
        return _failure(
            "runtime", "failed", f"{call} tried to exit the interpreter", exc, module_path
        )
    except BaseException as exc:
        return _failure("runtime", "failed", f"{call} raised", exc, module_path)
    finally:
        elapsed = time.perf_counter() - started
    problem = check_output(value, list(request["spec"].get("outputs", [])))
    if problem:
        return {"status": "failed", "kind": "output", "detail": f"{call} {problem}", "line": None}
    detail = f"{call} returned {_describe(value)} in {elapsed:.2f} s"
    return {"status": "passed", "kind": None, "detail": _trim(detail), "line": None}


def main() -> int:
    request: dict[str, Any] = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    _limit(request)
    faulthandler.register(signal.SIGUSR1, file=sys.stderr, all_threads=False)
    sys.dont_write_bytecode = True
    with open(request["result"], "w", encoding="utf-8") as result_file:
        import _posixsubprocess

        import numpy  # noqa: F401 - imported before the hook: it loads ctypes itself

        argsynth = _load("gpiot_argsynth", Path(__file__).with_name("argsynth.py"))
        guard = Guard(Path(request["workdir"]))
        _posixsubprocess.fork_exec = guard.fork_exec
        if "subprocess" in sys.modules:
            sys.modules["subprocess"]._fork_exec = guard.fork_exec  # type: ignore[attr-defined]
        sys.addaudithook(guard)
        guard.active = True
        try:
            outcome = run(request, guard, argsynth)
        except MemoryError:
            outcome = {"status": "memory", "kind": "memory", "detail": "ran out of memory"}
        if guard.blocked:
            reasons = "; ".join(dict.fromkeys(guard.blocked))
            outcome = {
                "status": "failed",
                "kind": "unsafe",
                "detail": _trim(f"blocked by the sandbox: {reasons}"),
                "line": outcome.get("line"),
            }
        result_file.write(json.dumps(outcome))
    return 0


if __name__ == "__main__":
    sys.exit(main())
