"""Reading the text of the PDFs the app makes, as a reader's tools would."""

import io
import re

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text with runs of whitespace collapsed to one space."""
    assert data.startswith(b"%PDF-"), data[:200]
    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "").strip() for page in reader.pages]


def pdf_text(data: bytes) -> str:
    return " ".join(pdf_pages(data))


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))
