"""A minimal client for the serf agent's RPC protocol (msgpack over TCP), enough for the benchmark:
handshake, members and event. Both agents (Go and ours) speak it, so one client measures both the
same way, over one long-lived connection per agent, which costs far less than a CLI process per poll.

Wire format (the Go agent's `client` package): every request is a msgpack header map
{"Command", "Seq"} optionally followed by a body map; every response is a header {"Seq", "Error"}
followed by a body for commands that have one. Strings and byte slices are msgpack raw (the old spec).
"""

import socket
import struct


# ---- msgpack: the subset the serf RPC uses -------------------------------------------------------

def pack(obj, out=None):
    out = bytearray() if out is None else out
    if obj is None:
        out.append(0xC0)
    elif obj is True:
        out.append(0xC3)
    elif obj is False:
        out.append(0xC2)
    elif isinstance(obj, int):
        _pack_int(obj, out)
    elif isinstance(obj, (str, bytes, bytearray)):
        raw = obj.encode("utf-8") if isinstance(obj, str) else bytes(obj)
        n = len(raw)
        if n < 32:
            out.append(0xA0 | n)
        elif n < 0x10000:
            out += struct.pack(">BH", 0xDA, n)
        else:
            out += struct.pack(">BI", 0xDB, n)
        out += raw
    elif isinstance(obj, dict):
        n = len(obj)
        out += bytes([0x80 | n]) if n < 16 else struct.pack(">BH", 0xDE, n)
        for k, v in obj.items():
            pack(k, out)
            pack(v, out)
    elif isinstance(obj, (list, tuple)):
        n = len(obj)
        out += bytes([0x90 | n]) if n < 16 else struct.pack(">BH", 0xDC, n)
        for v in obj:
            pack(v, out)
    else:
        raise TypeError(f"cannot pack {type(obj)}")
    return out


def _pack_int(v, out):
    if 0 <= v < 128:
        out.append(v)
    elif -32 <= v < 0:
        out.append(v & 0xFF)
    elif v >= 0:
        for code, fmt, limit in ((0xCC, ">BB", 1 << 8), (0xCD, ">BH", 1 << 16), (0xCE, ">BI", 1 << 32)):
            if v < limit:
                out += struct.pack(fmt, code, v)
                return
        out += struct.pack(">BQ", 0xCF, v)
    else:
        for code, fmt, limit in ((0xD0, ">Bb", 1 << 7), (0xD1, ">Bh", 1 << 15), (0xD2, ">Bi", 1 << 31)):
            if v >= -limit:
                out += struct.pack(fmt, code, v)
                return
        out += struct.pack(">Bq", 0xD3, v)


def unpack(read):
    """Reads one object; `read(n)` must return exactly n bytes. Raw/str/bin come back as bytes,
    map keys as str."""
    b = read(1)[0]
    if b <= 0x7F:
        return b
    if b >= 0xE0:
        return b - 0x100
    if 0x80 <= b <= 0x8F:
        return _map(read, b & 0x0F)
    if 0x90 <= b <= 0x9F:
        return [unpack(read) for _ in range(b & 0x0F)]
    if 0xA0 <= b <= 0xBF:
        return read(b & 0x1F)
    fixed = {
        0xCC: ">B", 0xCD: ">H", 0xCE: ">I", 0xCF: ">Q",
        0xD0: ">b", 0xD1: ">h", 0xD2: ">i", 0xD3: ">q",
        0xCA: ">f", 0xCB: ">d",
    }
    if b in fixed:
        fmt = fixed[b]
        return struct.unpack(fmt, read(struct.calcsize(fmt)))[0]
    if b == 0xC0:
        return None
    if b in (0xC2, 0xC3):
        return b == 0xC3
    lengths = {0xC4: ">B", 0xC5: ">H", 0xC6: ">I", 0xD9: ">B", 0xDA: ">H", 0xDB: ">I"}
    if b in lengths:
        fmt = lengths[b]
        return read(struct.unpack(fmt, read(struct.calcsize(fmt)))[0])
    if b in (0xDC, 0xDD):
        fmt = ">H" if b == 0xDC else ">I"
        return [unpack(read) for _ in range(struct.unpack(fmt, read(struct.calcsize(fmt)))[0])]
    if b in (0xDE, 0xDF):
        fmt = ">H" if b == 0xDE else ">I"
        return _map(read, struct.unpack(fmt, read(struct.calcsize(fmt)))[0])
    ext = {0xD4: 1, 0xD5: 2, 0xD6: 4, 0xD7: 8, 0xD8: 16}
    if b in ext:
        read(1 + ext[b])
        return None
    if b in (0xC7, 0xC8, 0xC9):
        fmt = {0xC7: ">B", 0xC8: ">H", 0xC9: ">I"}[b]
        n = struct.unpack(fmt, read(struct.calcsize(fmt)))[0]
        read(1 + n)
        return None
    raise ValueError(f"msgpack: unknown lead byte 0x{b:02x}")


def _map(read, n):
    result = {}
    for _ in range(n):
        k = unpack(read)
        if isinstance(k, bytes):
            k = k.decode("utf-8", "replace")
        result[k] = unpack(read)
    return result


# ---- the RPC client ---------------------------------------------------------------------------------

class RpcError(Exception):
    pass


class RpcClient:
    def __init__(self, host, port, timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")
        self.seq = 0
        self._request("handshake", {"Version": 1})

    def _read(self, n):
        data = self.rfile.read(n)
        if data is None or len(data) != n:
            raise RpcError("connection closed")
        return data

    def _request(self, command, body=None, has_response_body=False):
        seq = self.seq
        self.seq += 1
        out = pack({"Command": command, "Seq": seq})
        if body is not None:
            pack(body, out)
        self.sock.sendall(out)
        header = unpack(self._read)
        if not isinstance(header, dict) or header.get("Seq") != seq:
            raise RpcError(f"unexpected response header {header!r}")
        error = header.get("Error") or b""
        if error:
            raise RpcError(error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error))
        return unpack(self._read) if has_response_body else None

    def members(self):
        """[(name, status)] as the agent sees them."""
        body = self._request("members", has_response_body=True)
        return [(_text(m.get("Name")), _text(m.get("Status"))) for m in body.get("Members") or []]

    def stats(self):
        """What `serf info` shows: {section: {key: value}}, keys and values as text."""
        body = self._request("stats", has_response_body=True)
        return {_text(k): {_text(kk): _text(vv) for kk, vv in (v or {}).items()} for k, v in body.items()}

    def event(self, name, payload=b"", coalesce=False):
        """What `serf event -coalesce=false NAME PAYLOAD` sends."""
        self._request("event", {"Name": name, "Payload": payload, "Coalesce": coalesce})

    def subscribe_member_failed(self):
        """Subscribes to member-failed events (the `stream` command, as `serf monitor` uses it for
        logs); returns once the agent has acknowledged. Then read_stream delivers them."""
        self._stream_seq = self.seq
        self._request("stream", {"Type": "member-failed"})

    def read_stream(self, on_failed):
        """Calls on_failed(name) for each failed member as its record arrives, until the connection
        closes. Blocks: run it on its own thread, on a client used for nothing else."""
        self.sock.settimeout(None)
        while True:
            try:
                header = unpack(self._read)
                body = unpack(self._read)
            except (RpcError, OSError, ValueError):
                return
            if not isinstance(header, dict) or header.get("Seq") != self._stream_seq or not isinstance(body, dict):
                continue
            for m in body.get("Members") or []:
                on_failed(_text(m.get("Name")))

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass


def _text(v):
    return v.decode("utf-8", "replace") if isinstance(v, (bytes, bytearray)) else str(v)
