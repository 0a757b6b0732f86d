"""Hostile servers on 127.0.0.1 for run_hostile.py: SMTP servers that drip, flood or send
control characters, and a UDP DNS responder that answers slowly or with a reply that does not
match the query. Each runs in daemon threads for the life of the test process.
"""
import socket
import socketserver
import struct
import threading
import time


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _lines(sock):
    """The client's command lines (the DATA body arrives as one chunk ending in CRLF.CRLF)."""
    buffer = b""
    in_data = False
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            return
        if not chunk:
            return
        buffer += chunk
        while True:
            if in_data:
                end = buffer.find(b"\r\n.\r\n")
                if end < 0:
                    break
                buffer = buffer[end + 5:]
                in_data = False
                yield b"<body>"
                continue
            eol = buffer.find(b"\r\n")
            if eol < 0:
                break
            line, buffer = buffer[:eol], buffer[eol + 2:]
            if line.upper() == b"DATA":
                in_data = True
            yield line


def smtp_server(mode):
    """Starts an SMTP server; returns its port. Modes:
    drip-greeting  the greeting never ends: one byte every 2 s
    drip-mail      a normal greeting and EHLO, then MAIL FROM's reply one byte every 2 s
    flood          RCPT is answered by an endless multi-line reply, as fast as TCP takes it
    control        RCPT is refused with a 550 reply of 200 lines of 1000 bytes, holding
                   terminal escape sequences (OSC title, CSI clear, C1 CSI) and a newline
                   written as bare LF inside the text; every reply differs
    """
    counter = [0]

    class Handler(socketserver.BaseRequestHandler):
        def handle(self):
            s = self.request
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            try:
                if mode == "drip-greeting":
                    s.sendall(b"220-")
                    while True:
                        time.sleep(2)
                        s.sendall(b"x")
                s.sendall(b"220 hostile ESMTP\r\n")
                for line in _lines(s):
                    verb = line[:4].upper()
                    if verb in (b"EHLO", b"HELO"):
                        s.sendall(b"250 hostile\r\n")
                    elif verb == b"MAIL":
                        if mode == "drip-mail":
                            s.sendall(b"250")
                            while True:
                                time.sleep(2)
                                s.sendall(b"x")
                        s.sendall(b"250 ok\r\n")
                    elif verb == b"RCPT":
                        if mode == "flood":
                            chunk = b"".join(b"450-" + b"F" * 1000 + b"\r\n" for _ in range(64))
                            while True:
                                s.sendall(chunk)
                        counter[0] += 1
                        evil = "\x1b]0;pwned\x07\x1b[2J\x9b31m FORGED\nLINE %d " % counter[0]
                        lines = [f"550-5.7.1 {evil}" + "Z" * 900 for _ in range(199)] + [f"550 5.7.1 end {counter[0]}"]
                        s.sendall("".join(l + "\r\n" for l in lines).encode())
                    elif verb == b"QUIT":
                        s.sendall(b"221 bye\r\n")
                        return
                    elif line == b"<body>":
                        s.sendall(b"250 queued\r\n")
                    else:
                        s.sendall(b"250 ok\r\n")
            except OSError:
                return

    server = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def _question(packet):
    """(id, question bytes) of a DNS query, or None."""
    if len(packet) < 12:
        return None
    qid = struct.unpack("!H", packet[:2])[0]
    i = 12
    while i < len(packet) and packet[i] != 0:
        i += packet[i] + 1
    end = i + 5
    if end > len(packet):
        return None
    return qid, packet[12:end]


def _reply(qid, question, rcode):
    # QR, RD, RA set; one question echoed; no records.
    header = struct.pack("!HHHHHH", qid, 0x8180 | rcode, 1, 0, 0, 0)
    return header + question


def dns_server(mode):
    """Starts a UDP DNS responder; returns its port. Modes:
    slow    every query answered correctly (NXDOMAIN) after 1.5 s
    spoof   every query answered with a wrong ID, then with the right ID but another question,
            both NXDOMAIN; never a matching reply
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))

    def answer(packet, peer):
        parsed = _question(packet)
        if not parsed:
            return
        qid, question = parsed
        if mode == "slow":
            time.sleep(1.5)
            sock.sendto(_reply(qid, question, 3), peer)
        else:
            sock.sendto(_reply(qid ^ 0x5A5A, question, 3), peer)
            other = b"\x05other\x07invalid\x00" + question[-4:]
            sock.sendto(_reply(qid, other, 3), peer)

    def serve():
        while True:
            packet, peer = sock.recvfrom(4096)
            threading.Thread(target=answer, args=(packet, peer), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return sock.getsockname()[1]
