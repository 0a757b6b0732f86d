"""A counting SMTP server for the smtp backend test, built on Debian's python3-aiosmtpd: it
accepts every message, except that the (N+1)-th MAIL FROM on one connection is answered with
a Yahoo-style 421 (and the connection is then dropped), and it records per connection the
recipient domain, messages accepted, 421s given, whether TLS was on, and when it opened and
closed."""
import socket
import ssl
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

THROTTLE_REPLY = "421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to user complaints"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.connections = []  # dicts, in order of opening
        self.open = set()
        self.first_throttle = None


class CountingSMTP(SMTP):
    def __init__(self, stats, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stats = stats
        self.record = None

    def connection_made(self, transport):
        if self._original_transport is None and self.record is None:  # not the TLS re-entry
            with self.stats.lock:
                self.record = {"domain": None, "accepted": 0, "throttled": 0, "tls": False, "recipients": [],
                               "opened": time.monotonic(), "closed": None}
                self.stats.connections.append(self.record)
                self.stats.open.add(id(self))
        super().connection_made(transport)

    def mark_closed(self):
        with self.stats.lock:
            if self.record and self.record["closed"] is None:
                self.record["closed"] = time.monotonic()
                self.stats.open.discard(id(self))

    # The session ends at QUIT: the client opens its next connection only after the 221, but over
    # TLS the server notices the closed socket later, so connection_lost alone would make two
    # sessions that followed each other look concurrent.
    async def smtp_QUIT(self, arg):
        if not arg:
            self.mark_closed()
        await super().smtp_QUIT(arg)

    def connection_lost(self, error):
        self.mark_closed()
        super().connection_lost(error)


class Handler:
    def __init__(self, stats, throttle_after):
        self.stats = stats
        self.throttle_after = throttle_after

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        record = server.record
        if record["accepted"] >= self.throttle_after:
            with self.stats.lock:
                record["throttled"] += 1
                if self.stats.first_throttle is None:
                    self.stats.first_throttle = time.monotonic()
            return THROTTLE_REPLY
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        record = server.record
        domain = address.rsplit("@", 1)[1]
        with self.stats.lock:
            if record["domain"] is None:
                record["domain"] = domain
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.stats.lock:
            server.record["accepted"] += 1
            server.record["recipients"].append(len(envelope.rcpt_tos))
            server.record["tls"] = session.ssl is not None
        return "250 2.0.0 queued"


class Sink:
    def __init__(self, throttle_after, certificate=None, key=None):
        self.stats = Stats()
        self.port = free_port()
        tls = None
        if certificate:
            tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls.load_cert_chain(certificate, key)
        handler = Handler(self.stats, throttle_after)
        stats = self.stats

        class _Controller(Controller):
            def factory(self):
                return CountingSMTP(stats, self.handler, **self.SMTP_kwargs)

        kwargs = {"tls_context": tls} if tls else {}
        self.controller = _Controller(handler, hostname="127.0.0.1", port=self.port, **kwargs)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
