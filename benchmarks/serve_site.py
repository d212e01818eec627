"""Serve a built site on 127.0.0.1 under its published sub-path, from a thread.

For the benchmark's page-weight check (``benchmarks/bench.py``) and the browser tests
(``tests/browser/conftest.py``, which import it as ``benchmarks.serve_site``): what a
reader's browser would fetch, from a local copy of the published site. A developer tool,
not part of the package.
"""

from __future__ import annotations

import contextlib
import http.server
import threading
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

HOST = "127.0.0.1"


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Files of the built site under ``sub_path``; 404 for anything else. Quiet."""

    sub_path = "/"

    def translate_path(self, path):
        url_path = urlsplit(path).path
        if not url_path.startswith(self.sub_path):
            return str(Path(self.directory) / ".not-under-the-site-path")
        return super().translate_path("/" + url_path.removeprefix(self.sub_path))

    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path, sub_path: str = "/"):
    """Serve ``directory`` at ``http://127.0.0.1:<free port><sub_path>``; yield that base URL."""
    handler = partial(type("Handler", (SiteHandler,), {"sub_path": sub_path}), directory=str(directory))
    server = http.server.ThreadingHTTPServer((HOST, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}{sub_path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
