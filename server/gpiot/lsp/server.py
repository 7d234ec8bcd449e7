"""`gpiot serve`: the GPIoT language server (pygls 2).

Handlers are thin: they read the document, call the pure functions of `gpiot.lsp` and the pipeline,
and turn the results into LSP types. Model work runs on worker threads, never on the event loop;
its progress, edits and messages are carried back to the loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from gpiot import __version__
from gpiot.cancel import CancelToken
from gpiot.errors import Cancelled, GpiotError
from gpiot.lsp.diagnostics import MAX_DIAGNOSTIC_BYTES, generated_file_problems, problem_line
from gpiot.lsp.edits import EditSupport, replace_text_edit
from gpiot.lsp.hover import hover_markdown
from gpiot.lsp.models import BodyCache, ModelHost, runtime_key
from gpiot.lsp.symbols import FunctionSite, function_at, functions
from gpiot.lsp.writer import Buffer, EditorWriter
from gpiot.model.status import model_status
from gpiot.pipeline import stages
from gpiot.pipeline.events import (
    CodeReady,
    Event,
    FileWritten,
    ProblemFound,
    StageStarted,
    stage_percent,
    stage_text,
)
from gpiot.pipeline.fill import StubSite, add_imports, splice, split_generated
from gpiot.pipeline.manifest import Manifest, sha256_text
from gpiot.pipeline.run import run_app
from gpiot.pipeline.statement import StatementError, statement_block_at
from gpiot.pipeline.workspace import Workspace
from gpiot.retrieval.hook import Retriever
from gpiot.retrieval.search import open_retriever
from gpiot.settings import from_env
from gpiot.validate import syntax_problems

log = logging.getLogger(__name__)

CONFIG_SECTION = "gpiot"
CMD_DECOMPOSE = "gpiot.decompose"
CMD_GENERATE = "gpiot.generate"
CMD_MODEL_STATUS = "gpiot.modelStatus"
CMD_ADD_SUPPORT = "gpiot.addSupport"  # after an accepted inline completion: its imports/helpers
DECOMPOSE_TITLE = "Decompose IoT app"
DIAGNOSTIC_SOURCE = "gpiot"
EDIT_TIMEOUT_S = 120.0
T = TypeVar("T")


@dataclass
class JobContext:
    """What a job's worker thread gets: its cancel token, progress reports, and the editor."""

    token: CancelToken
    report: Callable[[str, int | None], None]
    bridge: ServerBridge
    events: list[str] = field(default_factory=list)


class ServerBridge:
    """The editor as the pipeline thread sees it: each call runs on the server's event loop."""

    def __init__(self, server: GpiotServer, loop: asyncio.AbstractEventLoop) -> None:
        self.server = server
        self.loop = loop

    def _on_loop(self, fn: Callable[[], T]) -> T:
        async def call() -> T:
            return fn()

        return asyncio.run_coroutine_threadsafe(call(), self.loop).result(EDIT_TIMEOUT_S)

    def buffer(self, uri: str) -> Buffer | None:
        def read() -> Buffer | None:
            doc = self.server.workspace.text_documents.get(uri)
            return Buffer(doc.source, doc.version) if doc is not None else None

        return self._on_loop(read)

    def apply(self, label: str, edit: lsp.WorkspaceEdit) -> bool:
        params = lsp.ApplyWorkspaceEditParams(edit=edit, label=label)
        future = asyncio.run_coroutine_threadsafe(
            self.server.workspace_apply_edit_async(params), self.loop
        )
        result = future.result(EDIT_TIMEOUT_S)
        if not result.applied:
            log.warning("edit %s not applied: %s", label, result.failure_reason)
        return bool(result.applied)

    def show(self, uri: str) -> None:
        params = lsp.ShowDocumentParams(uri=uri, take_focus=False)
        self.loop.call_soon_threadsafe(self.server.window_show_document, params)


class _Progress:
    """One job's progress: work-done progress with a token, else lines in the log."""

    def __init__(self, server: GpiotServer, title: str, loop: asyncio.AbstractEventLoop) -> None:
        self.server = server
        self.title = title
        self.loop = loop
        self.token: str | None = None

    def __call__(self, message: str, percentage: int | None) -> None:
        """Report from any thread."""
        if self.token is None:
            self.server.log(f"{self.title}: {message}")
            return
        value = lsp.WorkDoneProgressReport(message=message, percentage=percentage)
        self.loop.call_soon_threadsafe(self.server.work_done_progress.report, self.token, value)

    def end(self, message: str) -> None:
        if self.token is not None:
            self.server.work_done_progress.end(self.token, lsp.WorkDoneProgressEnd(message=message))
            self.server.work_done_progress.tokens.pop(self.token, None)
            self.token = None


class GpiotServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("gpiot", __version__)
        self.settings, errors = from_env()
        self.pending_messages: list[str] = errors
        self.support = EditSupport(False, False, False, False, False)
        self.models = ModelHost()
        self.bodies = BodyCache(self.models, lambda: self.settings, self.retriever, self.log)
        self.job_lock: asyncio.Lock | None = None
        self.jobs: dict[str, CancelToken] = {}
        self.loop: asyncio.AbstractEventLoop | None = None  # set once the server runs
        self._retriever: tuple[tuple[str, str], Retriever] | None = None
        self._retriever_lock = threading.Lock()

    # -- messages ------------------------------------------------------------------------------

    def log(self, message: str) -> None:
        """A log message in the editor's output (safe from any thread)."""
        params = lsp.LogMessageParams(type=lsp.MessageType.Log, message=f"[gpiot] {message}")
        if self.loop is not None and self.loop.is_running():
            self.loop.call_soon_threadsafe(self.window_log_message, params)

    def tell(self, message: str, kind: lsp.MessageType = lsp.MessageType.Info) -> None:
        self.window_show_message(lsp.ShowMessageParams(type=kind, message=f"GPIoT: {message}"))

    # -- settings ------------------------------------------------------------------------------

    def apply_settings(self, values: Any) -> None:
        if isinstance(values, dict) and isinstance(values.get(CONFIG_SECTION), dict):
            values = values[CONFIG_SECTION]
        if not isinstance(values, dict):
            return
        before = runtime_key(self.settings)
        base, _ = from_env()
        self.settings, errors = base.with_values(values)
        for error in errors:
            self.tell(f"invalid setting: {error}", lsp.MessageType.Warning)
        if runtime_key(self.settings) != before:
            self.bodies.invalidate()
            self.log("model settings changed; the model reloads on next use")

    def retriever(self) -> Retriever:
        """The knowledge retriever for the current settings, opened once (call off the loop).

        When the store or embedder is unavailable the pipeline runs without retrieval and the
        user is told why, once per setting.
        """
        key = (self.settings.knowledge_store, self.settings.knowledge_api_key)
        with self._retriever_lock:
            if self._retriever is None or self._retriever[0] != key:
                retriever, why = open_retriever(self.settings)
                self._retriever = (key, retriever)
                if why is not None:
                    self.log(f"running without retrieval: {why}")
                    if self.loop is not None:
                        message = f"running without the knowledge base: {why}"
                        self.loop.call_soon_threadsafe(self.tell, message, lsp.MessageType.Warning)
            return self._retriever[1]

    # -- documents -----------------------------------------------------------------------------

    def workspace_for(self, uri: str) -> tuple[Workspace, str]:
        """The workspace folder holding ``uri`` (else the file's folder) and the relative path."""
        path_text = to_fs_path(uri) if uri.startswith("file:") else None
        if not path_text:
            raise GpiotError(f"{uri} is not a file on disk", "save the file first")
        path = Path(path_text).resolve()
        roots = [
            Path(p).resolve()
            for folder in self.workspace.folders.values()
            if (p := to_fs_path(folder.uri))
        ]
        if self.workspace.root_path:
            roots.append(Path(self.workspace.root_path).resolve())
        root = next((r for r in roots if path.is_relative_to(r)), path.parent)
        workspace = Workspace(root)
        return workspace, workspace.relative(path)

    def read_text(self, workspace: Workspace) -> Callable[[str], str | None]:
        def read(rel: str) -> str | None:
            try:
                absolute = workspace.resolve(rel)
            except GpiotError:
                return None
            doc = self.workspace.text_documents.get(absolute.as_uri())
            if doc is not None:
                return str(doc.source)
            data = workspace.read_bytes(rel)
            return data.decode("utf-8", "replace") if data is not None else None

        return read

    def generated_entry(self, uri: str) -> tuple[Workspace, str, Manifest] | None:
        try:
            workspace, rel = self.workspace_for(uri)
        except GpiotError:
            return None
        manifest = Manifest.load(workspace)
        return (workspace, rel, manifest) if manifest.lookup(rel) else None

    def publish_diagnostics(self, uri: str) -> None:
        doc = self.workspace.text_documents.get(uri)
        found = self.generated_entry(uri) if doc is not None else None
        if doc is None or found is None:
            return
        _, rel, manifest = found
        known = manifest.lookup(rel)
        assert known is not None
        entry = known[1]
        source = doc.source
        diagnostics: list[lsp.Diagnostic] = []
        if len(source) <= MAX_DIAGNOSTIC_BYTES:
            starts = {f.name: f.start_line for f in functions(source)}
            lines = source.splitlines()
            for problem in generated_file_problems(source, entry):
                line = problem_line(problem, starts, entry.function)
                width = len(lines[line]) if line < len(lines) else 0
                diagnostics.append(
                    lsp.Diagnostic(
                        range=lsp.Range(lsp.Position(line, 0), lsp.Position(line, width)),
                        message=problem.message,
                        severity=lsp.DiagnosticSeverity.Error
                        if problem.kind == "syntax"
                        else lsp.DiagnosticSeverity.Warning,
                        source=DIAGNOSTIC_SOURCE,
                        code=problem.kind,
                        data={"function": entry.function},
                    )
                )
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=doc.version)
        )

    def speculate(self, uri: str) -> None:
        """Queue background bodies for the stubs of an open file (when the setting allows it)."""
        doc = self.workspace.text_documents.get(uri)
        if doc is None or not self.settings.speculative or len(doc.source) > MAX_DIAGNOSTIC_BYTES:
            return
        specs = [f.spec for f in functions(doc.source) if f.stub and f.spec is not None]
        if specs and self.bodies.speculate(specs):
            self.log(f"generating {len(specs)} stub bodies in the background for {uri}")

    # -- jobs ----------------------------------------------------------------------------------

    @contextmanager
    def _job_token(self, key: str) -> Iterator[CancelToken]:
        token = CancelToken()
        self.jobs[key] = token
        try:
            yield token
        finally:
            self.jobs.pop(key, None)

    async def run_job(
        self, title: str, key: str, work: Callable[[JobContext], str]
    ) -> dict[str, Any]:
        """Run ``work`` on a thread with cancellable progress; report the outcome to the user."""
        loop = asyncio.get_running_loop()
        if self.job_lock is None:
            self.job_lock = asyncio.Lock()
        if key in self.jobs:
            self.tell(f"{title} is already running for this file")
            return {"ok": False, "message": "already running"}
        with self._job_token(key) as token:
            progress = await self._begin_progress(title, token)
            if self.job_lock.locked():
                progress("waiting for the running job to finish", None)
            async with self.job_lock:
                self.bodies.cancel_speculation()
                ctx = JobContext(token, progress, ServerBridge(self, loop))
                future = loop.run_in_executor(None, work, ctx)
                ok, message = False, ""
                try:
                    message = await asyncio.shield(future)
                    ok = True
                except asyncio.CancelledError:
                    token.cancel("the editor cancelled the request")
                    await asyncio.wait([future])
                    raise
                except Cancelled as exc:
                    message = f"{title} cancelled ({exc.message}); files written so far are kept"
                except GpiotError as exc:
                    message = f"{title} failed: {exc}"
                    self.tell(message, lsp.MessageType.Error)
                except Exception as exc:  # never let a bug take the server down
                    log.exception("%s failed", title)
                    message = f"{title} failed with an internal error: {exc!r} (see the log)"
                    self.tell(message, lsp.MessageType.Error)
                finally:
                    progress.end(message)
                if ok or token.cancelled:
                    self.tell(message)
                return {"ok": ok, "message": message, "events": ctx.events}

    async def _begin_progress(self, title: str, token: CancelToken) -> _Progress:
        """Work-done progress when the client supports it (else log lines); cancel → ``token``."""
        progress = _Progress(self, title, asyncio.get_running_loop())
        if not self.support.work_done_progress:
            return progress
        progress_token = f"gpiot-{uuid.uuid4()}"
        try:
            await self.work_done_progress.create_async(progress_token)
        except Exception as exc:  # the client refused: go on without a progress bar
            self.log(f"no progress bar ({exc})")
            return progress
        cancelled = self.work_done_progress.tokens[progress_token]
        cancelled.add_done_callback(
            lambda f: token.cancel("cancelled in the editor") if f.cancelled() else None
        )
        self.work_done_progress.begin(
            progress_token,
            lsp.WorkDoneProgressBegin(title=f"GPIoT: {title}", cancellable=True, percentage=0),
        )
        progress.token = progress_token
        return progress

    # -- the two model actions -----------------------------------------------------------------

    def decompose_job(self, uri: str, line: int) -> Callable[[JobContext], str]:
        doc = self.workspace.get_text_document(uri)
        block = statement_block_at(doc.source, line)
        if block is None:
            raise GpiotError(
                f"no problem statement at line {line + 1}",
                "put the cursor in a comment block or module docstring describing the app",
            )
        workspace, rel = self.workspace_for(uri)
        settings = self.settings

        def work(ctx: JobContext) -> str:
            runtime = self.models.get(settings, lambda m: ctx.report(m, None))

            def on_event(event: Event) -> None:
                match event:
                    case StageStarted():
                        ctx.report(stage_text(event), stage_percent(event))
                    case CodeReady(function=f, validated=ok):
                        ctx.events.append(f"code {f}: {'validated' if ok else 'stub'}")
                    case FileWritten(path=p, action=a):
                        ctx.events.append(f"{a} {p}")
                    case ProblemFound(message=m, path=p):
                        self.log(f"{p or rel}: {m}")

            result = run_app(
                runtime,
                settings,
                workspace,
                rel,
                block.text,
                code=settings.generate_code,
                retriever=self.retriever(),
                make_writer=lambda ws, manifest, source: EditorWriter(
                    ws, manifest, source, self.support, ctx.bridge
                ),
                cancel=ctx.token,
                on_event=on_event,
            )
            done = sum(o.status == "validated" for o in result.outcomes)
            if not settings.generate_code and settings.speculative:
                self.bodies.speculate([o.spec for o in result.outcomes if o.status == "stub"])
            return (
                f"{len(result.outcomes)} sub-tasks in {result.folder}/ "
                f"({done} validated, {len(result.outcomes) - done} stubs) in {result.seconds:.0f} s"
            )

        return work

    def generate_job(self, uri: str, line: int) -> Callable[[JobContext], str]:
        doc = self.workspace.get_text_document(uri)
        site = function_at(doc.source, line)
        if site is None or site.spec is None:
            raise GpiotError(
                f"no function with a spec at line {line + 1}",
                "generate inside a sub-task function whose docstring holds its spec",
            )
        spec, name, before = site.spec, site.name, _function_text(doc.source, site)
        workspace, rel = self.workspace_for(uri)
        settings = self.settings

        def work(ctx: JobContext) -> str:
            runtime = self.models.get(settings, lambda m: ctx.report(m, None))
            ctx.report(f"code (CG + validation): {name}", 10)
            result = stages.generate_code(
                runtime, spec, None, settings, self.retriever(), ctx.token
            )
            if result.code is None:
                problems = "; ".join(p.render() for p in result.report.problems[:3])
                raise GpiotError(
                    f"no implementation of {name} passed validation: {problems}",
                    "refine the spec in its docstring (units, shapes) and try again",
                )
            buffer = ctx.bridge.buffer(uri)
            text = buffer.text if buffer is not None else workspace.resolve(rel).read_text()
            now = {f.name: f for f in functions(text)}.get(name)
            if now is None or _function_text(text, now) != before:
                raise GpiotError(
                    f"{name} changed while its code was generated; nothing was replaced",
                    "run the action again",
                )
            new_text = splice(text, _stub_site(now), result.code)
            edit = replace_text_edit(
                uri,
                text,
                new_text,
                buffer.version if buffer else None,
                self.support.document_changes,
            )
            if buffer is None:
                workspace.write_text_atomic(rel, new_text)
            elif not ctx.bridge.apply(f"GPIoT: generate {name}", edit):
                raise GpiotError(f"the editor did not apply the new {name}", "try again")
            _record_generated(workspace, rel, text, new_text)
            return f"{name}: validated implementation in {result.attempts} attempt(s)"

        return work


def _command(title: str, name: str, *arguments: object) -> lsp.Command:
    return lsp.Command(title=title, command=name, arguments=list(arguments))


def _function_text(text: str, site: FunctionSite) -> str:
    return text.encode()[site.start_byte : site.end_byte].decode()


def _stub_site(site: FunctionSite) -> StubSite:
    assert site.spec is not None
    return StubSite(site.name, site.spec, site.start_byte, site.end_byte, site.start_line + 1)


def _record_generated(workspace: Workspace, rel: str, old_text: str, new_text: str) -> None:
    """Keep the manifest's hash current for a generated file the user had not edited."""
    manifest = Manifest.load(workspace)
    known = manifest.lookup(rel)
    if known is None or known[1].sha256 != sha256_text(old_text) or manifest.protect_existing:
        return
    app, entry = known
    entry.sha256 = sha256_text(new_text)
    if not any(f.stub for f in functions(new_text)):
        entry.status, entry.problems = "validated", []
    manifest.record_file(app.source, entry)
    manifest.save(workspace)


def _inline_items(
    uri: str, site: FunctionSite, code: str, validated: bool
) -> lsp.InlineCompletionList | None:
    try:
        parts = split_generated(code, site.name)
    except GpiotError:
        return None
    body = parts.body if validated else "    # GPIoT: not validated\n" + parts.body
    command = None
    if parts.imports or parts.helpers:
        command = _command(
            "GPIoT: add imports", CMD_ADD_SUPPORT, uri, site.name, parts.imports, parts.helpers
        )
    start = lsp.Position(site.body_start_line, 0)
    end = lsp.Position(site.end_line + 1, 0)
    item = lsp.InlineCompletionItem(insert_text=body, range=lsp.Range(start, end), command=command)
    return lsp.InlineCompletionList(items=[item])


def create_server() -> GpiotServer:
    """A server with every feature registered."""
    server = GpiotServer()

    @server.feature(lsp.INITIALIZE)
    def initialize(ls: GpiotServer, params: lsp.InitializeParams) -> None:
        ls.support = EditSupport.of(params.capabilities)
        if params.initialization_options is not None:
            ls.apply_settings(params.initialization_options)

    @server.feature(lsp.INITIALIZED)
    async def initialized(ls: GpiotServer, params: lsp.InitializedParams) -> None:
        ls.loop = asyncio.get_running_loop()
        for message in ls.pending_messages:
            ls.tell(message, lsp.MessageType.Warning)
        ls.pending_messages = []
        await pull_configuration(ls)

    async def pull_configuration(ls: GpiotServer) -> None:
        if not ls.support.configuration:
            return
        try:
            items = [lsp.ConfigurationItem(section=CONFIG_SECTION)]
            values = await ls.workspace_configuration_async(lsp.ConfigurationParams(items=items))
        except Exception as exc:
            ls.log(f"could not read the configuration: {exc}")
            return
        if values and isinstance(values[0], dict):
            ls.apply_settings(values[0])

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: GpiotServer, params: lsp.DidChangeConfigurationParams
    ) -> None:
        if ls.support.configuration:
            await pull_configuration(ls)
        else:
            ls.apply_settings(params.settings)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: GpiotServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.publish_diagnostics(params.text_document.uri)
        ls.speculate(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: GpiotServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.publish_diagnostics(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: GpiotServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.publish_diagnostics(params.text_document.uri)
        ls.speculate(params.text_document.uri)

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(
            code_action_kinds=[lsp.CodeActionKind.RefactorRewrite, lsp.CodeActionKind.QuickFix]
        ),
    )
    def code_action(ls: GpiotServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction] | None:
        uri = params.text_document.uri
        doc = ls.workspace.get_text_document(uri)
        if len(doc.source) > MAX_DIAGNOSTIC_BYTES:
            return None
        line = params.range.start.line
        actions: list[lsp.CodeAction] = []
        for diagnostic in params.context.diagnostics:
            if diagnostic.source != DIAGNOSTIC_SOURCE:
                continue
            function = (diagnostic.data or {}).get("function")
            site = next((f for f in functions(doc.source) if f.name == function), None)
            if site is not None:
                actions.append(
                    lsp.CodeAction(
                        title=f"Regenerate {site.name} from its spec",
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[diagnostic],
                        command=_command("Regenerate", CMD_GENERATE, uri, site.start_line),
                    )
                )
        block = statement_block_at(doc.source, line)
        if block is not None:
            actions.append(
                lsp.CodeAction(
                    title=DECOMPOSE_TITLE,
                    kind=lsp.CodeActionKind.RefactorRewrite,
                    command=_command(DECOMPOSE_TITLE, CMD_DECOMPOSE, uri, block.start_line),
                )
            )
        site = function_at(doc.source, line)
        if site is not None and site.spec is not None:
            title = "Generate implementation" if site.stub else "Regenerate implementation"
            actions.append(
                lsp.CodeAction(
                    title=title,
                    kind=lsp.CodeActionKind.RefactorRewrite,
                    command=_command(title, CMD_GENERATE, uri, site.start_line),
                )
            )
        return actions or None

    @server.command(CMD_DECOMPOSE)
    async def decompose(ls: GpiotServer, uri: str, line: int) -> dict[str, Any]:
        try:
            work = ls.decompose_job(uri, int(line))
        except (GpiotError, StatementError) as exc:
            ls.tell(str(exc), lsp.MessageType.Error)
            return {"ok": False, "message": str(exc)}
        return await ls.run_job(DECOMPOSE_TITLE, f"decompose {uri}", work)

    @server.command(CMD_GENERATE)
    async def generate(ls: GpiotServer, uri: str, line: int) -> dict[str, Any]:
        try:
            work = ls.generate_job(uri, int(line))
        except GpiotError as exc:
            ls.tell(str(exc), lsp.MessageType.Error)
            return {"ok": False, "message": str(exc)}
        return await ls.run_job("Generate implementation", f"generate {uri}", work)

    @server.command(CMD_MODEL_STATUS)
    async def show_model_status(ls: GpiotServer) -> dict[str, Any]:
        settings = ls.settings
        status = await asyncio.to_thread(model_status, settings, verify=False, load=False)
        text = "\n".join(f"{k}: {v}" for k, v in status.rows())
        ls.tell(text, lsp.MessageType.Info if status.ok else lsp.MessageType.Error)
        return status.to_dict()

    @server.command(CMD_ADD_SUPPORT)
    async def add_support(
        ls: GpiotServer, uri: str, function: str, imports: list[str], helpers: list[str]
    ) -> bool:
        doc = ls.workspace.get_text_document(uri)
        text = doc.source
        site = next((f for f in functions(text) if f.name == function), None)
        if helpers and site is not None:
            data = text.encode()
            block = "\n\n\n".join(helpers).encode() + b"\n\n\n"
            text = (data[: site.start_byte] + block + data[site.start_byte :]).decode()
        text = add_imports(text, imports)
        if text == doc.source:
            return True
        edit = replace_text_edit(uri, doc.source, text, doc.version, ls.support.document_changes)
        result = await ls.workspace_apply_edit_async(
            lsp.ApplyWorkspaceEditParams(edit=edit, label="GPIoT: imports")
        )
        return bool(result.applied)

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: GpiotServer, params: lsp.HoverParams) -> lsp.Hover | None:
        uri = params.text_document.uri
        doc = ls.workspace.get_text_document(uri)
        if len(doc.source) > MAX_DIAGNOSTIC_BYTES:
            return None
        word = doc.word_at_position(params.position)
        if not word:
            return None
        try:
            workspace, rel = ls.workspace_for(uri)
        except GpiotError:
            return None
        manifest = Manifest.load(workspace)
        text = hover_markdown(manifest, rel, doc.source, word, ls.read_text(workspace))
        if text is None:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text))

    @server.feature(lsp.TEXT_DOCUMENT_INLINE_COMPLETION, lsp.InlineCompletionOptions())
    async def inline_completion(
        ls: GpiotServer, params: lsp.InlineCompletionParams
    ) -> lsp.InlineCompletionList | None:
        uri = params.text_document.uri
        doc = ls.workspace.get_text_document(uri)
        if len(doc.source) > MAX_DIAGNOSTIC_BYTES:
            return None
        site = function_at(doc.source, params.position.line)
        if site is None or not site.stub or site.spec is None:
            return None
        if params.position.line < site.body_start_line:
            return None
        future, token = ls.bodies.request(site.spec)
        try:
            result = await asyncio.wrap_future(future)
        except asyncio.CancelledError:
            token.cancel("the editor cancelled the completion")
            raise
        except (Cancelled, concurrent.futures.CancelledError):
            return None
        except GpiotError as exc:
            ls.log(f"inline completion for {site.name}: {exc}")
            return None
        code = result.code or result.best_attempt
        if not code:
            return None
        if result.code is None and (broken := syntax_problems(code)):
            # accepting it would break the user's file; the stub's diagnostics keep the problems
            ls.log(
                f"inline completion for {site.name}: no attempt parses "
                f"({broken[0].render()}), so none is offered"
            )
            return None
        return _inline_items(uri, site, code, result.code is not None)

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: GpiotServer, params: None) -> None:
        for token in ls.jobs.values():
            token.cancel("the server is shutting down")
        ls.bodies.close()
        ls.models.close()

    return server
