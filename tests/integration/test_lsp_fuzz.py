"""Fuzz the protocol surface: random documents, edits, positions and ranges against the real
server process never crash it and never produce an error or an unparsable response.

The server runs with a model path that does not exist, so nothing here can start the model.
"""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

T = TypeVar("T")
TIMEOUT_S = 30


class LiveServer:
    """`gpiot serve` with a pygls client on an event loop of its own thread."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = LanguageClient("fuzz", "1")
        self.version = 0
        self.call(self.client.start_io(sys.executable, "-m", "gpiot.cli", "serve"))
        options = {"model": str(root / "missing.gguf"), "speculative": False}
        self.call(
            self.client.initialize_async(
                lsp.InitializeParams(
                    capabilities=lsp.ClientCapabilities(),
                    root_uri=root.as_uri(),
                    initialization_options=options,
                )
            )
        )
        self.client.initialized(lsp.InitializedParams())

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(TIMEOUT_S)

    def alive(self) -> bool:
        server = self.client._server  # the subprocess
        return server is not None and server.returncode is None

    def close(self) -> None:
        self.call(self.client.shutdown_async(None))
        self.client.exit(None)
        self.call(self.client.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(tmp_path_factory.mktemp("fuzz"))
    yield server
    server.close()


PYTHONISH = st.sampled_from(
    [
        "# Detect heartbeats in an ECG at 360 Hz and report the heart rate per minute.\n",
        '"""Count steps from a 50 Hz wrist accelerometer and report cadence."""\n',
        "def f(a, b):\n",
        '    """Target: x\n\n    Input Specification:\n    - a (float): y\n    """\n',
        "    raise NotImplementedError\n",
        "    pass\n",
        "import numpy as np\n",
        "\n",
        "x = f(1, 2)  # comment\n",
        "class C:\n    def g(self): ...\n",
        "é—😀\t\r\n",
    ]
)
DOCUMENTS = st.one_of(
    st.text(max_size=400),
    st.lists(PYTHONISH, max_size=12).map("".join),
    st.lists(st.one_of(PYTHONISH, st.text(max_size=30)), max_size=12).map("".join),
)
POSITIONS = st.builds(lsp.Position, st.integers(0, 40), st.integers(0, 120))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    text=DOCUMENTS,
    edit=DOCUMENTS,
    start=POSITIONS,
    end=POSITIONS,
    where=POSITIONS,
    name=st.sampled_from(["a.py", "sub/b.py", "steps_subtasks/01_x.py"]),
)
def test_random_documents_positions_and_ranges_never_break_the_server(
    live: LiveServer,
    text: str,
    edit: str,
    start: lsp.Position,
    end: lsp.Position,
    where: lsp.Position,
    name: str,
) -> None:
    client = live.client
    uri = (live.root / name).as_uri()
    live.version += 1
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(lsp.TextDocumentItem(uri, "python", live.version, text))
    )
    live.version += 1
    change = lsp.TextDocumentContentChangePartial(range=lsp.Range(start, end), text=edit)
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            lsp.VersionedTextDocumentIdentifier(version=live.version, uri=uri), [change]
        )
    )
    document = lsp.TextDocumentIdentifier(uri)
    actions = live.call(
        client.text_document_code_action_async(
            lsp.CodeActionParams(document, lsp.Range(start, end), lsp.CodeActionContext([]))
        )
    )
    assert actions is None or all(a.title for a in actions)
    hover = live.call(client.text_document_hover_async(lsp.HoverParams(document, where)))
    assert hover is None or isinstance(hover.contents, lsp.MarkupContent)
    inline = live.call(
        client.text_document_inline_completion_async(
            lsp.InlineCompletionParams(
                context=lsp.InlineCompletionContext(lsp.InlineCompletionTriggerKind.Automatic),
                text_document=document,
                position=where,
            )
        )
    )
    assert inline is None or isinstance(inline, lsp.InlineCompletionList | list)
    client.text_document_did_close(lsp.DidCloseTextDocumentParams(document))
    assert live.alive()
