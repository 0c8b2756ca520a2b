"""The demo web server serves its allow-listed files only, after normalising the path."""

import http.client
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
import serve_web  # noqa: E402


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/", "index.html"),
        ("/widget/tanya-widget.js", "widget/tanya-widget.js"),
        ("/widget/../package.json", "package.json"),
        ("/%2e%2e/etc/passwd", "etc/passwd"),
        ("/..%2f..%2fetc/passwd", "etc/passwd"),  # normalised to a path that is not in the allow-list
        ("/widget/..\\package.json", None),
        ("//widget//tanya-widget.js?v=1", "widget/tanya-widget.js"),
        ("/a%00b", None),
    ],
)
def test_paths_are_decoded_and_normalised_before_matching(url, expected):
    assert serve_web.normalise(url) == expected


@pytest.fixture(scope="module")
def server():
    serve_web.WidgetHandler.files = serve_web.allowed_files()
    httpd = serve_web.BoundedHTTPServer(("127.0.0.1", 0), serve_web.WidgetHandler, request_timeout=10, max_per_client=30)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, dict(response.getheaders()), response.read()


@pytest.mark.parametrize(
    "path",
    ["/package.json", "/widget/../package.json", "/node_modules/", "/widget/../node_modules/", "/widget/",
     "/vendor/", "/README.md", "/%2e%2e/scripts/serve_web.py", "/../../etc/passwd"],
)
def test_private_files_and_listings_are_not_served(server, path):
    status, _, body = get(server, path)
    assert status == 404 and b"node_modules" not in body and b"socket.io-client" not in body


def test_page_and_widget_are_served_with_security_headers_and_no_banner(server):
    for path in ("/", "/widget/tanya-widget.js", "/page.css", "/config.js"):
        status, headers, _ = get(server, path)
        assert status == 200, path
        assert headers["Referrer-Policy"] == "no-referrer" and "default-src 'self'" in headers["Content-Security-Policy"]
        assert "Python" not in headers.get("Server", "") and "SimpleHTTP" not in headers.get("Server", "")


@pytest.fixture
def strict_server():
    """A server with a 1 s deadline and 2 connections per client, to try slow and greedy clients on."""
    serve_web.WidgetHandler.files = serve_web.allowed_files()
    httpd = serve_web.BoundedHTTPServer(("127.0.0.1", 0), serve_web.WidgetHandler, request_timeout=1.0, max_per_client=2)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def closed_after(sock, trickle: bytes = b"", every: float = 0.2, limit: float = 10.0) -> float:
    """Seconds until the server closes `sock` while it trickles `trickle` byte by byte (or sends nothing)."""
    started = time.monotonic()
    sock.settimeout(every)
    index = 0
    while time.monotonic() - started < limit:
        try:
            if trickle:
                sock.send(trickle[index % len(trickle) : index % len(trickle) + 1])
                index += 1
            if sock.recv(4096) == b"":
                return time.monotonic() - started
        except socket.timeout:
            continue
        except OSError:  # reset by the server
            return time.monotonic() - started
    return float("inf")


def test_a_client_trickling_its_headers_is_cut_at_the_deadline(strict_server):
    with socket.create_connection(strict_server.server_address) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")
        seconds = closed_after(sock, trickle=b"X-Slow: aaaaaaaa\r\n")
    print(f"web server closed a trickling client after {seconds:.2f} s (deadline 1 s)")
    assert seconds < 2.0  # the deadline, not the per-byte socket timeout, which each byte restarts


def test_connections_beyond_the_per_client_cap_are_refused(strict_server):
    held = [socket.create_connection(strict_server.server_address) for _ in range(2)]
    try:
        time.sleep(0.2)  # both are accepted and counted
        with socket.create_connection(strict_server.server_address) as third:
            third.settimeout(2)
            third.sendall(b"GET / HTTP/1.0\r\n\r\n")
            assert third.recv(4096) == b""  # closed without an answer
    finally:
        for sock in held:
            sock.close()
    deadline = time.monotonic() + 5
    while strict_server.clients.open("127.0.0.1") and time.monotonic() < deadline:
        time.sleep(0.05)  # their threads see the close and give their places back
    status, _, _ = get(strict_server.server_address[1], "/")  # once they are gone, the client is served again
    assert status == 200
