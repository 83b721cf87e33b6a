"""Small files of each accepted type, made in memory, and their names."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"
CSV = "name,amount\nCommunity drug service,£1.2m\n".encode()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
OTHER_ZIP = _zip({"readme.txt": b"hello"})
OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100

# Each accepted type: (name, bytes, stored content type).
ACCEPTED = {
    "pdf": ("report.pdf", PDF, "application/pdf"),
    "docx": (
        "report.docx",
        DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": (
        "budget.xlsx",
        XLSX,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "odt": ("minutes.odt", ODT, "application/vnd.oasis.opendocument.text"),
    "ods": ("figures.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
    "csv": ("providers.csv", CSV, "text/csv"),
    "png": ("map.png", PNG, "image/png"),
    "jpeg": ("site.jpg", JPEG, "image/jpeg"),
}


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
