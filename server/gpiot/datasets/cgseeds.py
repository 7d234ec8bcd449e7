"""CG seeds: documented reference functions with executable checks, read from Python files.

A seed file (``knowledge/datasets/seeds/cg/*.py``) is ordinary, linted Python: imports, optional
``MODALITY`` / ``SUBSET`` / ``GENERIC`` constants, then pairs of functions ``f`` and ``check_f``.
``f``'s docstring is the answer's docstring *and* the source of the spec::

    Summary sentence.

    Method: the named method with its parameter values.

    Parameters
    - ecg (np.ndarray): 1-D ECG in mV, shape (n_samples,).

    Returns
    - r_peaks (np.ndarray): sample indices of the R-peaks, shape (n_beats,).

The spec's target is the summary plus the method; its inputs and outputs are the two lists. The
answer module is the imports ``f`` uses followed by ``f`` with a one-line ``def`` (the CG grammar's
form). ``check_f`` calls ``f`` on a synthetic input and asserts on the result.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from gpiot.errors import GpiotError
from gpiot.pipeline.render import docstring as render_docstring
from gpiot.pipeline.spec import Param, Spec, SpecFormatError

_INDENT = "    "
_SECTION = re.compile(r"^(Parameters|Returns)\s*:?\s*$")


class SeedError(GpiotError):
    """A seed file does not follow the seed format."""


@dataclass(frozen=True)
class CgSeed:
    """One reference function, split into the parts that augmentation rewrites."""

    id: str  # "<file stem>.<function>"
    file: str  # path relative to knowledge/datasets, e.g. "seeds/cg/ecg.py"
    modality: str
    subset: str  # D1 (IoT reference implementation) or D2 (module description)
    generic: bool  # modality-agnostic method (may be re-targeted to another modality)
    name: str
    params: tuple[tuple[str, str], ...]  # (name, type hint as written)
    returns: str  # return annotation ("" when none)
    doc: str  # the docstring text
    body: str  # the function body after the docstring, indented by 4 spaces
    imports: tuple[str, ...]  # import lines the function needs
    check: str  # source of the check function
    check_name: str
    preamble: tuple[str, ...]  # every import of the seed file (the check may use any)
    apis: tuple[str, ...]  # qualified library functions the body calls, e.g. scipy.signal.butter

    @property
    def def_line(self) -> str:
        params = ", ".join(f"{n}: {h}" if h else n for n, h in self.params)
        ret = f" -> {self.returns}" if self.returns else ""
        return f"def {self.name}({params}){ret}:"

    @property
    def module(self) -> str:
        """The answer module: imports, then the function."""
        head = "\n".join(self.imports)
        function = "\n".join([self.def_line, render_docstring(self.doc, _INDENT), self.body])
        return f"{head}\n\n\n{function}\n" if head else f"{function}\n"

    @property
    def spec(self) -> Spec:
        return spec_from_docstring(self.name, self.doc)


def _paragraphs(text: str) -> list[list[str]]:
    out: list[list[str]] = [[]]
    for line in text.strip().splitlines():
        if line.strip():
            out[-1].append(line.strip())
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def _items(lines: list[str]) -> list[str]:
    items: list[str] = []
    for line in lines:
        if line.startswith("- "):
            items.append(line)
        elif items:
            items[-1] += " " + line
        else:
            raise SpecFormatError(f"parameter list line without `- `: {line!r}")
    return items


def doc_sections(doc: str) -> dict[str, list[str]]:
    """Split a seed docstring into summary, method, parameters and returns (lines)."""
    sections: dict[str, list[str]] = {"summary": [], "method": [], "Parameters": [], "Returns": []}
    current = "summary"
    for paragraph in _paragraphs(doc):
        first = paragraph[0]
        head = _SECTION.match(first)
        if head:
            current = head.group(1)
            sections[current] += paragraph[1:]
        elif first.startswith("Method:"):
            current = "method"
            sections["method"] += [first.removeprefix("Method:").strip(), *paragraph[1:]]
        elif current in ("summary", "method"):
            sections[current] += paragraph
        else:
            sections[current] += paragraph
    return sections


def spec_from_docstring(function: str, doc: str) -> Spec:
    """The spec a seed's docstring states (see the module docstring for the format)."""
    sections = doc_sections(doc)
    method = " ".join(sections["method"])
    target = " ".join(sections["summary"]) + (f" Method: {method}" if method else "")
    return Spec(
        function=function,
        target=" ".join(target.split()),
        inputs=tuple(Param.parse(i) for i in _items(sections["Parameters"])),
        outputs=tuple(Param.parse(i) for i in _items(sections["Returns"])),
    )


def rename_identifiers(source: str, mapping: Mapping[str, str]) -> str:
    """Rename NAME tokens (not strings, not attributes after a dot) by ``mapping``."""
    if not mapping:
        return source
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    out: list[tokenize.TokenInfo] = []
    for i, tok in enumerate(tokens):
        after_dot = i > 0 and tokens[i - 1].type == tokenize.OP and tokens[i - 1].string == "."
        if tok.type == tokenize.NAME and tok.string in mapping and not after_dot:
            tok = tok._replace(string=mapping[tok.string])
        out.append(tok)
    return tokenize.untokenize(out)


def _import_bindings(tree: ast.Module) -> dict[str, tuple[str, str]]:
    """Name bound at module level → (import line, qualified module or object)."""
    bound: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                line = f"import {alias.name}" + (f" as {alias.asname}" if alias.asname else "")
                bound[alias.asname or alias.name.split(".")[0]] = (line, alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module != "__future__":
            for alias in node.names:
                line = f"from {node.module} import {alias.name}"
                line += f" as {alias.asname}" if alias.asname else ""
                bound[alias.asname or alias.name] = (line, f"{node.module}.{alias.name}")
    return bound


def _qualified(node: ast.expr, bound: Mapping[str, tuple[str, str]]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name) and node.id in bound:
        return ".".join([bound[node.id][1], *reversed(parts)])
    return None


def _used_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _called_apis(func: ast.FunctionDef, bound: Mapping[str, tuple[str, str]]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Call):
            name = _qualified(node.func, bound)
            if name and name.split(".")[0] in ("numpy", "scipy"):
                found[name] = None
    return tuple(found)


def _constant(tree: ast.Module, name: str, default: object) -> object:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    return default


def _params(func: ast.FunctionDef, where: str) -> tuple[tuple[str, str], ...]:
    args = func.args
    if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs or args.defaults:
        raise SeedError(f"{where}: seed functions take plain positional parameters, no defaults")
    return tuple((a.arg, ast.unparse(a.annotation) if a.annotation else "") for a in args.args)


def load_seed_file(path: Path, root: Path) -> list[CgSeed]:
    """Every seed function of one file, in file order."""
    rel = path.relative_to(root).as_posix()
    return load_seed_source(path.read_text(encoding="utf-8"), rel, path.stem)


def load_seed_source(source: str, rel: str, stem: str) -> list[CgSeed]:
    """Every seed function of a seed module's source text (``rel`` names it in messages)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise SeedError(f"{rel}: {exc.msg} (line {exc.lineno})") from exc
    lines = source.splitlines()
    bound = _import_bindings(tree)
    preamble = tuple(dict.fromkeys(line for line, _ in bound.values()))
    modality = str(_constant(tree, "MODALITY", stem))
    subset = str(_constant(tree, "SUBSET", "D1"))
    generic = bool(_constant(tree, "GENERIC", False))
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    seeds: list[CgSeed] = []
    for name, func in functions.items():
        if name.startswith(("check_", "_")):
            continue
        where = f"{rel}::{name}"
        check = functions.get(f"check_{name}")
        if check is None:
            raise SeedError(f"{where}: no check_{name} function")
        doc = ast.get_docstring(func, clean=True)
        if not doc or len(func.body) < 2:
            raise SeedError(f"{where}: needs a docstring and a body")
        body = "\n".join(lines[func.body[1].lineno - 1 : func.end_lineno])
        used = _used_names(func)
        imports = tuple(dict.fromkeys(bound[n][0] for n in bound if n in used))
        seeds.append(
            CgSeed(
                id=f"{stem}.{name}",
                file=rel,
                modality=modality,
                subset=subset,
                generic=generic,
                name=name,
                params=_params(func, where),
                returns=ast.unparse(func.returns) if func.returns else "",
                doc=doc,
                body=body,
                imports=tuple(sorted(imports, key=_import_order)),
                check="\n".join(lines[check.lineno - 1 : check.end_lineno]),
                check_name=check.name,
                preamble=preamble,
                apis=_called_apis(func, bound),
            )
        )
    return seeds


def _import_order(line: str) -> tuple[int, str]:
    """Standard library first, then third party, like ruff's isort."""
    module = line.split()[1].split(".")[0]
    return (1 if module in ("numpy", "scipy") else 0, line)


def load_cg_seeds(folder: Path, root: Path) -> list[CgSeed]:
    files = sorted(folder.glob("*.py"))
    if not files:
        raise SeedError(f"no CG seed files in {folder}")
    seeds = [s for f in files for s in load_seed_file(f, root)]
    ids = [s.id for s in seeds]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise SeedError(f"duplicate CG seed ids: {', '.join(dupes)}")
    return seeds


def with_renames(seed: CgSeed, names: Mapping[str, str], doc: str | None = None) -> CgSeed:
    """A copy whose identifiers (function, parameters, locals) are renamed in body and check."""
    params = tuple((names.get(n, n), h) for n, h in seed.params)
    return replace(
        seed,
        name=names.get(seed.name, seed.name),
        params=params,
        doc=seed.doc if doc is None else doc,
        body=rename_identifiers(seed.body + "\n", names).rstrip("\n"),
        check=rename_identifiers(seed.check + "\n", names).rstrip("\n"),
        check_name=names.get(seed.check_name, seed.check_name),
    )


def all_identifiers(sources: Iterable[str]) -> set[str]:
    names: set[str] = set()
    for source in sources:
        for tok in tokenize.generate_tokens(io.StringIO(source + "\n").readline):
            if tok.type == tokenize.NAME:
                names.add(tok.string)
    return names
