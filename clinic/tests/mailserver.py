"""A real mail server for tests, on a local port in a thread: it speaks just enough SMTP
for Django's SMTP backend, keeps what it receives, and can be slow or frozen before it
greets, as a mail server under attack is.

Python 3.11 has no smtpd; this is smaller than a dependency.
"""

import email
import socketserver
import threading
import time
from contextlib import contextmanager
from email.message import Message


class MailServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, greeting_delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Session)
        self.greeting_delay = greeting_delay
        self.thawed = threading.Event()  # frozen() clears it: nobody is greeted until set
        self.thawed.set()
        self.connected = threading.Event()  # a client is waiting for the greeting
        self.received: list[Message] = []
        self._lock = threading.Lock()

    @property
    def port(self) -> int:
        return self.server_address[1]

    def env(self) -> dict[str, str]:
        """The settings that point the project's processes at this server."""
        return {
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_TIMEOUT": "30",
        }

    def freeze(self) -> None:
        self.thawed.clear()

    def recipients(self) -> list[str]:
        with self._lock:
            return sorted(message["To"] for message in self.received)

    def wait_for(self, count: int, timeout: float = 60) -> list[str]:
        """The recipients once `count` e-mails have arrived (or the timeout passed)."""
        deadline = time.monotonic() + timeout
        while len(self.recipients()) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.recipients()

    def keep(self, raw: bytes) -> None:
        with self._lock:
            self.received.append(email.message_from_bytes(raw))


class _Session(socketserver.StreamRequestHandler):
    server: MailServer

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        self.server.connected.set()
        time.sleep(self.server.greeting_delay)
        self.server.thawed.wait()
        self.reply("220 mail.test ESMTP")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ")[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 mail.test")
            elif verb == "DATA":
                self.reply("354 end with .")
                self.server.keep(self._message())
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply("250 OK")

    def _message(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


@contextmanager
def mail_server(greeting_delay: float = 0.0):
    """A running MailServer, shut down afterwards."""
    server = MailServer(greeting_delay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.thawed.set()
        server.shutdown()
        server.server_close()
