"""The language server: thin pygls handlers over the pipeline and the pure modules beside them."""

from gpiot.lsp.server import GpiotServer, create_server

__all__ = ["GpiotServer", "create_server"]
