"""Servers for the tests and the scale check, on this machine: free ports, and a real
SMTP server (aiosmtpd, in a thread) that keeps what it receives and can be told to
refuse for a while."""

import asyncio
import email
import socket
import threading
import time

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    def __init__(self, delay=0.0):
        self.delay = delay  # seconds per message, to make a run last
        self.received = []  # (recipient, Message-ID, subject)
        self.refused = 0
        self._refusal = None
        self._refuse_until = 0.0
        self._lock = threading.Lock()

    def refuse(self, reply="451 4.3.0 Try again later", seconds=None):
        """Refuse every recipient with ``reply``, for ``seconds`` or until ``accept``."""
        self._refusal = reply
        self._refuse_until = time.monotonic() + seconds if seconds else float("inf")

    def accept(self):
        self._refusal = None

    def refusing(self):
        return self._refusal is not None and time.monotonic() < self._refuse_until

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith(".invalid"):  # as any mail server answers (RFC 6761)
            return "550 5.1.2 Bad destination mailbox address"
        if self.refusing():
            with self._lock:
                self.refused += 1
            return self._refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)  # a server taking its time over each message
        message = email.message_from_bytes(envelope.content)
        with self._lock:
            for recipient in envelope.rcpt_tos:
                self.received.append((recipient, message["Message-ID"], message["Subject"]))
        return "250 Message accepted for delivery"


def start_smtp(delay=0.0, port=None):
    """A started server on 127.0.0.1; stop it with ``server.stop()``."""
    handler = RecordingHandler(delay)
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    controller.handler = handler
    return controller
