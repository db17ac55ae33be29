#!/usr/bin/env python3
"""A small upstream for the end-to-end tests: answers every request with JSON that
echoes what the gateway sent (method, path, the headers it injected), so tests can
check both directions. `/slow?ms=N` waits first; `/status/N` answers with status N;
`/stream` answers with a chunked body; `/hop` with hop-by-hop headers; `/big?bytes=N` with N bytes. With NAME `blackhole` it accepts connections and
never answers. Usage: backend.py PORT [NAME]"""
import json, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

NAME = sys.argv[2] if len(sys.argv) > 2 else "backend"

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self):
        url = urlparse(self.path)
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        if url.path.startswith("/slow"):
            time.sleep(int(parse_qs(url.query).get("ms", ["1000"])[0]) / 1000)
        status = int(url.path.split("/")[-1]) if url.path.startswith("/status/") else 200
        if url.path == "/big":
            size = int(parse_qs(url.query).get("bytes", ["1048576"])[0])
            self.send_response(200)
            self.send_header("content-type", "application/octet-stream")
            self.send_header("content-length", str(size))
            self.end_headers()
            block = b"x" * 65536
            sent = 0
            while sent < size:
                piece = block[: min(len(block), size - sent)]
                self.wfile.write(piece)
                sent += len(piece)
            return
        if url.path == "/hop":
            # Hop-by-hop lines, fixed and named by Connection, that a proxy must not pass on.
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "keep-alive, X-Hop-Secret")
            self.send_header("X-Hop-Secret", "for the gateway only")
            self.send_header("Keep-Alive", "timeout=5")
            self.send_header("X-Request-Id", "made-upstream")
            self.send_header("X-Kept", "as sent")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            return
        if url.path == "/chunked-json":
            # A JSON body in pieces: an enveloped route must gather it before wrapping.
            return self.send_chunked("application/json", [b'{"pieces":', b'[1,2]', b'}'])
        if url.path == "/stream":
            return self.send_chunked("text/plain", [b"one ", b"two ", b"three"])
        payload = json.dumps({
            "service": NAME, "method": self.command, "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body_bytes": len(body),
        }).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def send_chunked(self, content_type, pieces):
        self.send_response(200)
        self.send_header("content-type", content_type)
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        for piece in pieces:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = reply

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", "0")
        self.end_headers()

if NAME == "blackhole":
    # Accepts connections and reads requests, and never answers: an upstream that hangs.
    import socket, threading
    server = socket.create_server(("127.0.0.1", int(sys.argv[1])))
    held = []
    def hold(connection):
        held.append(connection)
        while connection.recv(65536):
            pass
    while True:
        connection, _ = server.accept()
        threading.Thread(target=hold, args=(connection,), daemon=True).start()
else:
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
