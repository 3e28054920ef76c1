"""Real servers for the delivery tests: an SMTP server (aiosmtpd) that keeps what it
receives, and an HTTP server standing in for the SMS provider's API that records each
request and answers as that API does. Neither replaces any of Garita's own code."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler: stores each message; answers ``reply`` (250 unless a test
    makes the server refuse for a while, as a full mailbox or a greylist does)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.reply = "250 Message accepted"

    async def handle_DATA(self, server, session, envelope) -> str:
        if not self.reply.startswith("250"):
            return self.reply
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        return self.reply


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class Provider:
    """What the fake provider received, and the status it answers with next."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 201


@contextmanager
def sms_api() -> Iterator[tuple[Provider, str]]:
    provider = Provider()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            provider.requests.append({"path": self.path, "auth": self.headers["Authorization"],
                                      "form": {k: v[0] for k, v in parse_qs(body).items()}})
            answer = ({"sid": f"SM{len(provider.requests):032d}", "status": "queued"}
                      if provider.status == 201 else {"code": 21211, "message": "refused"})
            data = json.dumps(answer).encode()
            self.send_response(provider.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
