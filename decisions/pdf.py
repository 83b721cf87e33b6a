"""The clerks' PDFs, rendered by WeasyPrint as tagged PDF/UA documents.

Fonts come from the machine through fontconfig (DejaVu Sans, with Liberation Sans
as a fallback) and WeasyPrint embeds the glyphs it uses. WeasyPrint reads nothing else:
its URL fetcher serves only the app's own static files (``html_to_pdf``).

Every PDF has one stylesheet, ``decisions/static/decisions/pdf.css``, which each thread
parses once (``_stylesheet``), and each thread keeps its fonts (``_font_config``).
"""

import mimetypes
import threading
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from contracts.asof import contracts_as_of
from contracts.figures import figures_for
from contracts.timeline import AS_AT, timeline_svg

STYLESHEET = Path(__file__).parent / "static" / "decisions" / "pdf.css"

REPORT = "report"
RECORD = "record"
NOTICE = "notice"
TEMPLATES = {
    REPORT: "decisions/pdf/report.html",
    RECORD: "decisions/pdf/record.html",
    NOTICE: "decisions/pdf/notice.html",
}
# A report's title follows its heading (decisions.figures.report_heading).
TITLES = {
    RECORD: "Record of Decision",
    NOTICE: "Forward plan notice",
}
PDF_VARIANT = "pdf/ua-1"


def static_file_for(url: str, *, base_url: str) -> Path | None:
    """The file on disk behind one of the app's own static URLs, or None.

    Only ``<base_url><STATIC_URL>...`` counts. The file is looked up where Django serves
    it from: STATIC_ROOT after collectstatic (hashed names too), else the staticfiles
    finders (development and tests), both of which refuse a path outside their roots.
    """
    prefix = urljoin(base_url, settings.STATIC_URL)
    parts = urlsplit(url)
    if not url.startswith(prefix) or parts.query or parts.fragment:
        return None
    name = unquote(url.removeprefix(prefix))
    if not name or any(part in ("", ".", "..") for part in name.split("/")) or "\\" in name:
        return None
    candidates = [Path(settings.STATIC_ROOT) / name] if settings.STATIC_ROOT else []
    found = finders.find(name)
    if found:
        candidates.append(Path(found))
    for path in candidates:
        if path.is_file():
            return path
    return None


def _static_files_fetcher(base_url: str):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesFetcher(URLFetcher):
        """WeasyPrint's fetcher, reduced to reading the app's own static files from disk.

        Every other URL (http, https, file, data, another host) is refused without being
        opened, so nothing that reaches a PDF's HTML can make the server fetch it.
        """

        def fetch(self, url, headers=None):
            path = static_file_for(url, base_url=base_url)
            if path is None:
                raise ValueError(f"PDFs load only the app's static files, not {url[:200]!r}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticFilesFetcher()


_fonts = threading.local()
_stylesheets = threading.local()


def _font_config():
    """One WeasyPrint FontConfiguration per thread, reused for every PDF it makes.

    WeasyPrint's default is a new one per document: a Pango font map and a fontconfig
    configuration built in C, of which about 0.3 MB a PDF stayed behind, so a worker's
    memory crept up without levelling off. Reused, it levels off after a dozen PDFs
    (README, "Memory of a worker"). Per thread, as Pango's font maps are not thread-safe.
    """
    if not hasattr(_fonts, "config"):
        from weasyprint.text.fonts import FontConfiguration

        _fonts.config = FontConfiguration()
    return _fonts.config


def _stylesheet():
    """The PDFs' stylesheet, parsed once per thread.

    Parsed from a <style> in each template, it was parsed again for every PDF. It has
    no @font-face, so it needs no font configuration; it is per thread, like the fonts,
    because WeasyPrint does not say its parsed stylesheets may be shared by threads.
    """
    if not hasattr(_stylesheets, "css"):
        import weasyprint

        _stylesheets.css = weasyprint.CSS(string=STYLESHEET.read_text(encoding="utf-8"))
    return _stylesheets.css


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which pages never need.
    import weasyprint

    return weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=_static_files_fetcher(base_url)
    ).write_pdf(stylesheets=[_stylesheet()], pdf_variant=PDF_VARIANT, font_config=_font_config())


def contract_timelines(decision, as_of: date) -> list[dict]:
    """Timeline SVGs of the contracts the decision awards or extends, each as it stood
    on ``as_of`` (the document's date, contracts.asof), marked "As at" that date: a
    document never says "Today"."""

    # Each contract once, in the links' order; their histories are read all at once,
    # so the PDF runs the same queries however many contracts it shows.
    contracts = {
        link.contract_id: link.contract
        for link in decision.contract_links.all()
        if link.kind in ("award", "extend")
    }
    timelines = []
    for contract in contracts_as_of(contracts.values(), as_of).values():
        svg = timeline_svg(contract, figures_for(contract, today=as_of), as_of, marker=AS_AT)
        timelines.append({"contract": contract, "svg": svg})
    return timelines


def render_decision_pdf(document: str, context: dict, *, base_url: str) -> bytes:
    title = context["report_heading"] if document == REPORT else TITLES[document]
    context = {**context, "document_title": title}
    html = render_to_string(TEMPLATES[document], context)
    return html_to_pdf(html, base_url=base_url)


def render_forward_plan_pdf(context: dict, *, base_url: str) -> bytes:
    html = render_to_string("decisions/pdf/forward_plan.html", context)
    return html_to_pdf(html, base_url=base_url)
