"""API reference entries from the installed scientific packages' own numpydoc docstrings.

One ``ApiEntry`` per public function or class: qualified name, ``inspect.signature``, summary,
Parameters, Returns and a trimmed Examples section. The docstring parser is pure
(``parse_docstring``); ``collect_api`` imports the modules and walks their public names.
"""

from __future__ import annotations

import importlib
import inspect
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Whole modules (every public function and class) and single names from scikit-learn.
API_MODULES: tuple[str, ...] = (
    "scipy.signal",
    "scipy.signal.windows",
    "scipy.fft",
    "numpy.fft",
    "scipy.interpolate",
    "scipy.stats",
    "scipy.ndimage",
    "sklearn.preprocessing",
    "sklearn.decomposition",
    "sklearn.model_selection",
    "sklearn.pipeline",
)
API_NAMES: tuple[str, ...] = (
    "numpy.convolve",
    "numpy.correlate",
    "numpy.diff",
    "numpy.gradient",
    "numpy.interp",
    "numpy.percentile",
    "numpy.median",
    "numpy.unwrap",
    "numpy.angle",
    "numpy.lib.stride_tricks.sliding_window_view",
    "scipy.integrate.cumulative_trapezoid",
    "scipy.integrate.trapezoid",
    "scipy.spatial.transform.Rotation",
    "sklearn.ensemble.RandomForestClassifier",
    "sklearn.ensemble.RandomForestRegressor",
    "sklearn.ensemble.GradientBoostingClassifier",
    "sklearn.ensemble.IsolationForest",
    "sklearn.svm.SVC",
    "sklearn.svm.OneClassSVM",
    "sklearn.neighbors.KNeighborsClassifier",
    "sklearn.neighbors.LocalOutlierFactor",
    "sklearn.linear_model.LogisticRegression",
    "sklearn.linear_model.LinearRegression",
    "sklearn.linear_model.Ridge",
    "sklearn.tree.DecisionTreeClassifier",
    "sklearn.cluster.KMeans",
    "sklearn.cluster.DBSCAN",
    "sklearn.covariance.EllipticEnvelope",
    "sklearn.mixture.GaussianMixture",
    "sklearn.metrics.accuracy_score",
    "sklearn.metrics.f1_score",
    "sklearn.metrics.precision_score",
    "sklearn.metrics.recall_score",
    "sklearn.metrics.confusion_matrix",
    "sklearn.metrics.classification_report",
    "sklearn.metrics.roc_auc_score",
    "sklearn.metrics.mean_absolute_error",
    "sklearn.metrics.mean_squared_error",
)

SECTION_NAMES = frozenset(
    {
        "parameters",
        "returns",
        "yields",
        "receives",
        "other parameters",
        "raises",
        "warns",
        "warnings",
        "see also",
        "notes",
        "references",
        "examples",
        "attributes",
        "methods",
    }
)
MAX_EXAMPLE_LINES = 8
MAX_EXAMPLE_CHARS = 500
MAX_PARAMETERS = 12
_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")
_DIRECTIVE = re.compile(r"^\s*\.\. \w[\w-]*::")
# Example lines that teach nothing about the call: plotting, the numpy import, bare names.
_NOISE = re.compile(
    r"\s*(import matplotlib|from matplotlib|import numpy as np\s*$"
    r"|plt\.|fig\b|ax\d*\.|_ = |[\w.]+\s*$)"
)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str  # first sentence only

    def render(self) -> str:
        kind = f" ({self.type})" if self.type else ""
        return f"{self.name}{kind}: {self.description}" if self.description else self.name + kind


@dataclass(frozen=True)
class ApiEntry:
    name: str  # qualified, e.g. "scipy.signal.find_peaks"
    kind: str  # "function" or "class"
    signature: str  # e.g. "find_peaks(x, height=None, ...)"
    summary: str
    description: str = ""  # the extended summary's first paragraph
    parameters: tuple[Param, ...] = ()
    returns: tuple[Param, ...] = ()
    examples: str = ""
    methods: tuple[str, ...] = field(default=())  # public methods of a class

    @property
    def module(self) -> str:
        return self.name.rsplit(".", 1)[0]


@dataclass(frozen=True)
class Docstring:
    summary: str
    description: str
    sections: dict[str, str]


def parse_docstring(doc: str) -> Docstring:
    """Split a numpydoc docstring into its summary, extended summary and named sections."""
    lines = inspect.cleandoc(doc).splitlines()
    head: list[str] = []
    sections: dict[str, list[str]] = {}
    current: list[str] = head
    i = 0
    while i < len(lines):
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        title = line.strip().lower()
        if title in SECTION_NAMES and _UNDERLINE.match(nxt):
            current = sections.setdefault(title, [])
            i += 2
            continue
        current.append(line)
        i += 1
    paragraphs = [p.strip() for p in "\n".join(head).split("\n\n") if p.strip()]
    paragraphs = [p for p in paragraphs if not _DIRECTIVE.match(p)]
    summary = " ".join(paragraphs[0].split()) if paragraphs else ""
    description = " ".join(paragraphs[1].split()) if len(paragraphs) > 1 else ""
    return Docstring(
        summary, description, {k: "\n".join(v).strip("\n") for k, v in sections.items()}
    )


def first_sentence(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    match = re.search(r"(?<=[a-z0-9)`'\]])\.(\s|$)", text)
    sentence = text[: match.start() + 1] if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def parse_params(section: str) -> tuple[Param, ...]:
    """``name : type`` lines at the section's base indent, each followed by indented prose."""
    params: list[Param] = []
    name, kind = "", ""
    body: list[str] = []
    for line in section.splitlines():
        if line and not line[0].isspace():
            if name:
                params.append(Param(name, kind, first_sentence(" ".join(body))))
            head, _, rest = line.partition(" : ") if " : " in line else (line.rstrip(":"), "", "")
            name, kind, body = head.strip(), " ".join(rest.split()), []
        elif line.strip() and not _DIRECTIVE.match(line):
            body.append(line.strip())
    if name:
        params.append(Param(name, kind, first_sentence(" ".join(body))))
    return tuple(p for p in params if p.name and not p.name.startswith(".."))


def trim_examples(section: str) -> str:
    """The first few code lines of an Examples section: no output, no plotting."""
    kept: list[str] = []
    for line in section.splitlines():
        stripped = line.strip()
        if not stripped.startswith((">>>", "...")):
            continue
        code = stripped[4:] if len(stripped) > 3 else ""
        if not code.strip() or _NOISE.match(code):
            continue
        kept.append(code.rstrip())
        if len(kept) >= MAX_EXAMPLE_LINES:
            break
    text = "\n".join(kept)
    return text if len(text) <= MAX_EXAMPLE_CHARS else text[:MAX_EXAMPLE_CHARS].rsplit("\n", 1)[0]


def signature_of(name: str, obj: Any) -> str:
    short = name.rsplit(".", 1)[-1]
    try:
        sig = str(inspect.signature(obj))
    except (TypeError, ValueError):
        sig = "(...)"
    return f"{short}{sig}"


def _public_methods(cls: type) -> tuple[str, ...]:
    names = [
        n
        for n, member in vars(cls).items()
        if not n.startswith("_") and callable(member) and n not in ("set_output",)
    ]
    for base in cls.__mro__[1:]:
        if base.__module__.startswith("sklearn.base"):
            names += [
                n for n in ("fit", "predict", "transform", "fit_transform") if hasattr(cls, n)
            ]
    return tuple(dict.fromkeys(n for n in names if not n.startswith("set_")))[:10]


def entry_from_object(name: str, obj: Any) -> ApiEntry | None:
    """An entry for a public function or class with a docstring; None for anything else."""
    if inspect.isclass(obj):
        kind = "class"
    elif inspect.isroutine(obj) or (callable(obj) and hasattr(obj, "__wrapped__")):
        kind = "function"
    else:
        return None
    doc = inspect.getdoc(obj) or ""
    if not doc.strip():
        return None
    parsed = parse_docstring(doc)
    if not parsed.summary or "deprecated" in parsed.summary.lower()[:80]:
        return None
    return ApiEntry(
        name=name,
        kind=kind,
        signature=signature_of(name, obj),
        summary=first_sentence(parsed.summary, 240),
        description=first_sentence(parsed.description, 300),
        parameters=parse_params(parsed.sections.get("parameters", ""))[:MAX_PARAMETERS],
        returns=parse_params(parsed.sections.get("returns", ""))[:4],
        examples=trim_examples(parsed.sections.get("examples", "")),
        methods=_public_methods(obj) if kind == "class" else (),
    )


def _public_names(module: Any) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    return sorted(n for n in names if not n.startswith("_"))


def _resolve(qualified: str) -> Any:
    module_name, _, attr = qualified.rpartition(".")
    module = importlib.import_module(module_name)
    return getattr(module, attr)


def collect_api(
    modules: Iterable[str] = API_MODULES, names: Iterable[str] = API_NAMES
) -> tuple[list[ApiEntry], list[str]]:
    """(entries, problems): every public function/class of ``modules`` plus the single ``names``.

    A module or name that is not installed is reported in ``problems`` and skipped. An object
    reached under two names (``scipy.signal.windows.hann`` and ``scipy.signal.get_window``'s
    neighbours) is kept once, under the first module listed.
    """
    entries: list[ApiEntry] = []
    problems: list[str] = []
    seen_objects: set[int] = set()
    seen_names: set[str] = set()

    def add(name: str, obj: Any) -> None:
        if id(obj) in seen_objects or name in seen_names:
            return
        entry = entry_from_object(name, obj)
        if entry is not None:
            seen_objects.add(id(obj))
            seen_names.add(name)
            entries.append(entry)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for module_name in modules:
            try:
                module = importlib.import_module(module_name)
            except ImportError as exc:
                problems.append(f"{module_name}: not installed ({exc})")
                continue
            for attr in _public_names(module):
                try:
                    obj = getattr(module, attr)
                except (AttributeError, ImportError):  # e.g. sklearn's experimental names
                    continue
                if inspect.ismodule(obj):
                    continue
                add(f"{module_name}.{attr}", obj)
        for qualified in names:
            try:
                obj = _resolve(qualified)
            except (ImportError, AttributeError) as exc:
                problems.append(f"{qualified}: not available ({exc})")
                continue
            add(qualified, obj)
    return entries, problems
