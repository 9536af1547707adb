"""A TLS server on loopback for the custom-CA tests (not a test itself).

    tls_server.py CERT KEY git ROOT        git's smart HTTP (git http-backend CGI) for the
                                           bare repositories under ROOT, pushes allowed
    tls_server.py CERT KEY proxy PORT      a TLS front for a plain-HTTP service on 127.0.0.1:PORT

Listens on 127.0.0.1 (an ephemeral port, printed on stdout once it listens) and logs each
connection's TLS outcome on stderr, so a test can tell "refused the certificate" apart from
"never connected".
"""
import http.server
import os
import socket
import socketserver
import ssl
import subprocess
import sys
import threading

cert, key, mode, arg = sys.argv[1:5]
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)


def log(text):
    print(text, file=sys.stderr, flush=True)


class GitHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def cgi(self):
        path, _, query = self.path.partition("?")
        data = self.body()
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": arg,
            "GIT_HTTP_EXPORT_ALL": "1",
            "REMOTE_USER": "m2g-test",  # lets git http-backend accept pushes
            "REMOTE_ADDR": "127.0.0.1",
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(data)),
            "GIT_HTTP_MAX_REQUEST_BUFFER": "100M",
        }
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        out = subprocess.run(["git", "http-backend"], input=data, env=env, capture_output=True).stdout
        head, _, payload = out.partition(b"\r\n\r\n")
        if not _:
            head, _, payload = out.partition(b"\n\n")
        status = 200
        headers = []
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = cgi
    do_POST = cgi

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

    def get_request(self):
        sock, address = self.socket.accept()
        try:
            return context.wrap_socket(sock, server_side=True), address
        except (ssl.SSLError, OSError) as e:
            log("tls handshake failed: %s" % e)
            sock.close()
            raise


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def proxy(listener):
    while True:
        sock, _ = listener.accept()
        try:
            tls = context.wrap_socket(sock, server_side=True)
        except (ssl.SSLError, OSError) as e:
            log("tls handshake failed: %s" % e)
            sock.close()
            continue
        log("tls handshake ok")
        backend = socket.create_connection(("127.0.0.1", int(arg)))
        threading.Thread(target=pipe, args=(tls, backend), daemon=True).start()
        threading.Thread(target=pipe, args=(backend, tls), daemon=True).start()


if mode == "git":
    server = Server(("127.0.0.1", 0), GitHandler)
    print(server.server_address[1], flush=True)
    server.serve_forever()
else:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)
    proxy(listener)
