"""The demo web server serves its allow-listed files only, after normalising the path."""

import http.client
import sys
import threading
from http.server import ThreadingHTTPServer
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
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), serve_web.WidgetHandler)
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
