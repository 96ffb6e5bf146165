"""Raw Kafka frames over the front door's TLS, for tests that must send what no client would."""

import socket
import ssl
import struct


def frame(api_key: int, version: int, corr: int, body: bytes, flexible: bool = False) -> bytes:
    """A request frame: size, header (v1, or v2 with empty tagged fields when `flexible`), body."""
    client = b"hostile"
    header = struct.pack(">hhih", api_key, version, corr, len(client)) + client
    if flexible:
        header += b"\x00"
    msg = header + body
    return struct.pack(">i", len(msg)) + msg


def read_frame(sock) -> bytes:
    size = struct.unpack(">i", recv_exact(sock, 4))[0]
    return recv_exact(sock, size)


def recv_exact(sock, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def tls(host: str, port: int, ca: str, timeout: float = 10):
    ctx = ssl.create_default_context(cafile=ca)
    raw = socket.create_connection((host, port), timeout=timeout)
    return ctx.wrap_socket(raw, server_hostname=host)


def login(host: str, port: int, ca: str, key: str, secret: str):
    """A TLS connection logged in with SASL/PLAIN (SaslHandshake v1, SaslAuthenticate v0)."""
    s = tls(host, port, ca)
    s.sendall(frame(17, 1, 1, struct.pack(">h", 5) + b"PLAIN"))
    read_frame(s)
    token = b"\0" + key.encode() + b"\0" + secret.encode()
    s.sendall(frame(36, 0, 2, struct.pack(">i", len(token)) + token))
    answer = read_frame(s)
    if struct.unpack(">h", answer[4:6])[0] != 0:
        raise PermissionError("login refused")
    return s


def closed_by_peer(sock, timeout: float = 10) -> bool:
    """Whether the peer closes the connection (reading to the end) within `timeout`."""
    sock.settimeout(timeout)
    try:
        while True:
            if not sock.recv(65536):
                return True
    except (ConnectionResetError, ssl.SSLError, ConnectionError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
