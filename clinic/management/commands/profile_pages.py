"""Where an uncached page's time goes: requests through the whole app (every middleware,
the view, the templates), in this process, without a server, under the settings of the
environment it runs in (production's, for figures that count; see docs/profile-notes.md).

A development tool: pyinstrument comes from requirements-dev.txt.
"""

import io
import sys
import time

from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Profile GET requests to the given paths (e.g. /conditions/arthritis/ '/book/?date=…')."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--requests", type=int, default=300, help="per path and round")

    def handle(self, *args, paths: list[str], requests: int, **options) -> None:
        try:
            from pyinstrument import Profiler
        except ImportError as missing:
            raise CommandError("pip install -r requirements-dev.txt (pyinstrument)") from missing
        app = WSGIHandler()
        for address in paths:
            path, _, query = address.partition("?")
            for _ in range(30):  # warm up: templates, cached fragments, the connection
                size = len(_get(app, path, query))
            cpu = min(_cpu_ms_per_request(app, path, query, requests) for _ in range(3))
            self.stdout.write(f"{address}: {cpu:.2f} ms CPU per request, {size} bytes")
            profiler = Profiler(interval=0.0002)
            with profiler:
                for _ in range(requests):
                    _get(app, path, query)
            self.stdout.write(profiler.output_text(color=False, short_mode=False))


def _cpu_ms_per_request(app, path: str, query: str, requests: int) -> float:
    started = time.process_time()
    for _ in range(requests):
        _get(app, path, query)
    return (time.process_time() - started) / requests * 1000


def _get(app, path: str, query: str) -> bytes:
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "br, gzip",
        "HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    status = []
    body = b"".join(app(environ, lambda line, headers, exc_info=None: status.append(line)))
    if not status[0].startswith("200"):
        raise CommandError(f"{path}: {status[0]}")
    return body
