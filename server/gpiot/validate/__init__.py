"""Validation of generated modules: static checks, a sandboxed smoke run, repair feedback."""

from gpiot.validate.argsynth import NotSynthesisable, synthesise_args
from gpiot.validate.check import smoke_problem, validate_code
from gpiot.validate.conformance import conformance_problems, module_code_problems
from gpiot.validate.imports import import_problems
from gpiot.validate.problems import Problem, SmokeResult, ValidationReport
from gpiot.validate.sandbox import smoke_run
from gpiot.validate.static import static_problems, undefined_name_problems, unsafe_problems
from gpiot.validate.syntax import (
    Parameter,
    function_docstring,
    function_parameter_details,
    function_parameters,
    is_stub_body,
    parse,
    syntax_problems,
    top_level_functions,
)

__all__ = [
    "NotSynthesisable",
    "Parameter",
    "Problem",
    "SmokeResult",
    "ValidationReport",
    "conformance_problems",
    "function_docstring",
    "function_parameter_details",
    "function_parameters",
    "import_problems",
    "is_stub_body",
    "module_code_problems",
    "parse",
    "smoke_problem",
    "smoke_run",
    "static_problems",
    "syntax_problems",
    "synthesise_args",
    "top_level_functions",
    "undefined_name_problems",
    "unsafe_problems",
    "validate_code",
]
