"""A live server a test can stop and start again on the same address.

Playwright's offline emulation may not reach a service worker's own fetches
(microsoft/playwright#2311), so an offline test also takes the server away:
then nothing at all answers, as on a train in a tunnel. Same address after the
restart, so the service worker, its caches and the cookies still apply.
"""

import socket
import threading
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application
from django.db import connections


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the name wsgiref gives it)
        pass


class ThreadedWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class ClosingConnectionsApp:
    """Each request's thread closes its database connection, so the test database can be dropped."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        result = self.application(environ, start_response)
        try:
            yield from result
        finally:
            if hasattr(result, "close"):
                result.close()  # Django's request_finished
            connections.close_all()


class StoppableServer:
    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.application = ClosingConnectionsApp(StaticFilesHandler(get_wsgi_application()))
        self.server = None
        self.thread = None

    def start(self) -> "StoppableServer":
        self.server = make_server(
            "127.0.0.1",
            self.port,
            self.application,
            server_class=ThreadedWSGIServer,
            handler_class=QuietHandler,
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)
            self.server = None

    def is_up(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False
