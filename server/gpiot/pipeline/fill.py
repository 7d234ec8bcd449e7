"""Fill stub functions in sub-task files (``gpiot generate``, and later inline completion).

A stub is a top-level function whose body is only its docstring and ``pass``, ``...`` or
``raise NotImplementedError``, and whose docstring holds a spec. The generated function replaces
the stub in place; its imports go to the top of the module; the rest of the file is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled, GpiotError
from gpiot.pipeline import stages
from gpiot.pipeline.events import CodeReady, EventSink, FileWritten, ProblemFound, StageStarted
from gpiot.pipeline.manifest import Manifest, sha256_bytes, sha256_text
from gpiot.pipeline.render import PIPELINE_FILE
from gpiot.pipeline.spec import Spec, SpecFormatError
from gpiot.pipeline.workspace import Workspace
from gpiot.retrieval.hook import NoRetrieval, Retriever
from gpiot.runtime.engine import Runtime
from gpiot.settings import Settings
from gpiot.validate import function_docstring, is_stub_body, parse, top_level_functions
from gpiot.validate.syntax import body_start_row, node_text

_IMPORTS = ("import_statement", "import_from_statement", "future_import_statement")


@dataclass(frozen=True)
class StubSite:
    function: str
    spec: Spec
    start_byte: int
    end_byte: int
    line: int  # 1-based


@dataclass
class FillResult:
    path: str
    stubs: int = 0
    filled: int = 0
    problems: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "stubs": self.stubs,
            "filled": self.filled,
            "problems": self.problems,
        }


def find_stubs(source: str) -> list[StubSite]:
    """Stub functions whose docstring parses as a spec, in file order."""
    sites: list[StubSite] = []
    for name, node in top_level_functions(parse(source)).items():
        if not is_stub_body(node):
            continue
        doc = function_docstring(node)
        if not doc:
            continue
        try:
            spec = Spec.from_markdown(doc, name)
        except SpecFormatError:
            continue
        sites.append(StubSite(name, spec, node.start_byte, node.end_byte, node.start_point[0] + 1))
    return sorted(sites, key=lambda s: s.start_byte)


@dataclass(frozen=True)
class GeneratedParts:
    """Generated code for one function, split for splicing into an existing module."""

    function: str  # the whole ``def`` of the function
    body: str  # its statements after the docstring, indented as in the code
    imports: list[str]
    helpers: list[str]  # module-level constants or helper functions the function uses


def split_generated(code: str, function: str) -> GeneratedParts:
    """Split generated ``code`` around ``function``; a GpiotError if it does not define it."""
    tree = parse(code)
    node = top_level_functions(tree).get(function)
    if node is None:
        raise GpiotError(f"the generated code does not define {function}")
    lines = code.splitlines()
    body = "\n".join(lines[body_start_row(node) : node.end_point.row + 1]).rstrip() + "\n"
    imports: list[str] = []
    helpers: list[str] = []
    for child in tree.root_node.named_children:
        if child.type in _IMPORTS:
            imports.append(node_text(child))
        elif child.id != node.id and child.type != "comment" and not _is_docstring(child):
            helpers.append(node_text(child))
    return GeneratedParts(node_text(node), body, imports, helpers)


def splice(source: str, site: StubSite, code: str) -> str:
    """Replace the stub at ``site`` with the function from ``code``; add its missing imports."""
    parts = split_generated(code, site.function)
    replacement = "\n\n\n".join([*parts.helpers, parts.function]).encode()
    data = source.encode()
    data = data[: site.start_byte] + replacement + data[site.end_byte :]
    return add_imports(data.decode(), parts.imports)


def add_imports(source: str, imports: list[str]) -> str:
    """``source`` with those of ``imports`` it lacks inserted after its docstring and imports."""
    present = {line.strip() for line in source.splitlines()}
    missing = [i for i in dict.fromkeys(imports) if i.strip() not in present]
    if not missing:
        return source
    data = source.encode()
    at = _import_insertion_point(source)
    return (data[:at] + "\n".join(missing).encode() + b"\n" + data[at:]).decode()


def _is_docstring(node: Any) -> bool:
    return bool(
        node.type == "expression_statement"
        and node.named_child_count == 1
        and node.named_children[0].type == "string"
    )


def _import_insertion_point(source: str) -> int:
    """Byte offset after the module docstring and existing imports."""
    tree = parse(source)
    at = 0
    for node in tree.root_node.named_children:
        if (_is_docstring(node) and at == 0) or node.type in _IMPORTS:
            at = node.end_byte + 1
        elif node.type != "comment":
            break
    return min(at, len(source.encode()))


def _files(workspace: Workspace, paths: list[Path]) -> list[str]:
    found: list[str] = []
    for path in paths:
        absolute = workspace.resolve(workspace.relative(path.resolve()))
        if absolute.is_dir():
            found += [
                workspace.relative(p)
                for p in sorted(absolute.glob("*.py"))
                if p.name != PIPELINE_FILE
            ]
        elif absolute.is_file():
            found.append(workspace.relative(absolute))
        else:
            raise GpiotError(f"{path} does not exist")
    return found


def fill_stubs(
    runtime: Runtime,
    settings: Settings,
    workspace: Workspace,
    paths: list[Path],
    cancel: CancelToken,
    on_event: EventSink,
    retriever: Retriever | None = None,
) -> list[FillResult]:
    """Generate, validate and splice every stub in ``paths``; files are written one by one."""
    retriever = retriever or NoRetrieval()
    manifest = Manifest.load(workspace)
    results: list[FillResult] = []
    for rel in _files(workspace, paths):
        source = workspace.resolve(rel).read_text(encoding="utf-8")
        result = FillResult(rel, stubs=len(find_stubs(source)))
        results.append(result)
        untouched = (known := manifest.lookup(rel)) is not None and known[1].sha256 == sha256_bytes(
            source.encode()
        )
        done: set[str] = set()
        while sites := [s for s in find_stubs(source) if s.function not in done]:
            site = sites[0]
            done.add(site.function)
            on_event(StageStarted("code", result.filled + 1, result.stubs, site.function))
            try:
                generated = stages.generate_code(
                    runtime, site.spec, None, settings, retriever, cancel
                )
            except Cancelled:
                raise
            except GpiotError as exc:
                result.problems.append(f"{site.function}: {exc}")
                continue
            on_event(
                CodeReady(
                    result.filled + 1,
                    result.stubs,
                    site.function,
                    generated.code is not None,
                    generated.attempts,
                    generated.report.smoke.status if generated.report.smoke else "off",
                )
            )
            if generated.code is None:
                problems = "; ".join(p.render() for p in generated.report.problems)
                result.problems.append(f"{site.function}: {problems}")
                on_event(ProblemFound(f"{site.function} kept as a stub: {problems}", path=rel))
                continue
            source = splice(source, site, generated.code)
            workspace.write_text_atomic(rel, source)
            result.filled += 1
            on_event(FileWritten(rel, "overwrite", source))
            if untouched and known is not None:
                app, entry = known
                entry.sha256 = sha256_text(source)
                entry.status = "validated" if not find_stubs(source) else entry.status
                entry.problems = [] if entry.status == "validated" else entry.problems
                manifest.record_file(app.source, entry)
                manifest.save(workspace)
    return results
