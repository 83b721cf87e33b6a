"""WeasyPrint's URL fetcher serves only the app's own static files: an <img> or <link>
that reaches a PDF's HTML makes the server fetch nothing else, and the PDF still renders."""

import socket
import threading

import pytest

from decisions.pdf import html_to_pdf, static_file_for
from tests.decisions.pdfs import pdf_text

BASE_URL = "https://commissioning.example.gov.uk/"


@pytest.fixture
def listener():
    """A loopback port that records whether anything connects to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    connections = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(conn)
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], connections
    stop.set()
    thread.join()
    server.close()


@pytest.fixture
def static_stylesheet(settings, tmp_path):
    """A stylesheet among the static files whose effect shows in the PDF's text."""
    (tmp_path / "pdf-test.css").write_text('h1::after { content: " STATICSTYLESHEETLOADED"; }')
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    return f"{BASE_URL}static/pdf-test.css"


def test_the_pdf_renders_without_fetching_http_or_file_urls(listener, tmp_path):
    port, connections = listener
    secret = tmp_path / "secret.css"
    secret.write_text('h1::after { content: " FILEURLWASREAD"; }')
    html = f"""<html lang="en"><head>
      <link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">
      <link rel="stylesheet" href="{secret.as_uri()}">
      </head><body><h1>Record of Decision</h1>
      <img src="http://127.0.0.1:{port}/x.png" alt="">
      <img src="https://127.0.0.1:{port}/y.png" alt="">
      <img src="file:///etc/passwd" alt="">
      <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E" alt="">
      </body></html>"""
    text = pdf_text(html_to_pdf(html, base_url=BASE_URL))
    assert "Record of Decision" in text
    assert "FILEURLWASREAD" not in text
    assert connections == []


def test_a_static_stylesheet_still_loads(static_stylesheet):
    html = '<html lang="en"><head><link rel="stylesheet" href="/static/pdf-test.css"></head>'
    html += "<body><h1>Record of Decision</h1></body></html>"
    assert "STATICSTYLESHEETLOADED" in pdf_text(html_to_pdf(html, base_url=BASE_URL))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://other.example/static/css/app.css",  # our path on another host
        "file:///etc/passwd",
        "file:///work/static/css/app.css",
        "data:text/css,h1{}",
        f"{BASE_URL}static/../commissioning/settings.py",
        f"{BASE_URL}static/%2e%2e/commissioning/settings.py",
        f"{BASE_URL}static/css/missing.css",
        f"{BASE_URL}accounts/login/",
    ],
)
def test_the_fetcher_refuses_every_url_but_the_apps_static_files(url):
    assert static_file_for(url, base_url=BASE_URL) is None


def test_the_fetcher_finds_a_static_file():
    path = static_file_for(f"{BASE_URL}static/css/app.css", base_url=BASE_URL)
    assert path is not None
    assert path.name == "app.css"


def test_every_pdf_a_thread_makes_reuses_one_font_configuration(monkeypatch):
    # A new one per PDF left native memory behind in each worker (README).
    import threading

    import weasyprint.text.fonts

    from decisions import pdf

    made = []

    class CountedFontConfiguration(weasyprint.text.fonts.FontConfiguration):
        def __init__(self, *args, **kwargs):
            made.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(pdf, "_fonts", threading.local())
    monkeypatch.setattr(weasyprint.text.fonts, "FontConfiguration", CountedFontConfiguration)
    html = '<html lang="en"><body><h1>Record of Decision</h1></body></html>'
    texts = [pdf_text(html_to_pdf(html, base_url=BASE_URL)) for _ in range(3)]
    assert texts == ["Record of Decision Page 1 of 1"] * 3  # with the PDFs' stylesheet
    assert len(made) == 1
