"""What an uploaded file is, read from its content and never from its name alone, and
whether its name agrees: pure functions over a file object (ui.attachments stores it).

Only the standard library reads the files: the accepted formats are told apart by a
few magic bytes (PDF, PNG, JPEG: ISO 32000-1 §7.5.2, PNG spec §5.2, JPEG/JFIF SOI), by
the names inside a zip (DOCX, XLSX: ECMA-376 Part 2, the package's main part) or its
``mimetype`` entry (ODT, ODS: OASIS ODF 1.2 Part 3 §3.3), and CSV by decoding and
parsing it (RFC 4180), all of which ``zipfile``, ``codecs`` and ``csv`` do. Nothing is
rendered or executed.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError

# Per file; the upload view takes no more (ui.uploads.upload_limit) and the form says so.
MAX_BYTES = 20 * 1024 * 1024
MAX_MEGABYTES = MAX_BYTES // (1024 * 1024)


@dataclass(frozen=True)
class FileType:
    key: str
    short_name: str  # in lists: "Appendix A – Budget (PDF, 120 KB)"
    described: str  # in errors: "report.docx is not a Word document"
    content_type: str
    extensions: tuple[str, ...]


FILE_TYPES: dict[str, FileType] = {
    t.key: t
    for t in (
        FileType("pdf", "PDF", "a PDF", "application/pdf", (".pdf",)),
        FileType(
            "docx",
            "Word",
            "a Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            (".docx",),
        ),
        FileType(
            "xlsx",
            "Excel",
            "an Excel workbook",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            (".xlsx",),
        ),
        FileType(
            "odt",
            "ODT",
            "an OpenDocument text",
            "application/vnd.oasis.opendocument.text",
            (".odt",),
        ),
        FileType(
            "ods",
            "ODS",
            "an OpenDocument spreadsheet",
            "application/vnd.oasis.opendocument.spreadsheet",
            (".ods",),
        ),
        FileType("csv", "CSV", "a CSV file", "text/csv", (".csv",)),
        FileType("png", "PNG", "a PNG image", "image/png", (".png",)),
        FileType("jpeg", "JPEG", "a JPEG image", "image/jpeg", (".jpg", ".jpeg")),
    )
}
ACCEPTED_TEXT = "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), CSV, PNG or JPEG"
ACCEPT_ATTRIBUTE = ",".join(ext for t in FILE_TYPES.values() for ext in t.extensions)

# Formats a clerk may well try that are not accepted, named so the error says what it is.
_REFUSED_SIGNATURES = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc or .xls)"),
    (b"{\\rtf", "a Rich Text file"),
    (b"GIF8", "a GIF image"),
    (b"MZ", "a program"),
)
_ZIP_SIGNATURE = b"PK\x03\x04"
# The ODF ``mimetype`` entry is the media type in ASCII, a few dozen bytes.
_ODF_MIMETYPE_MAX = 100


def _zip_type(file) -> str | None:
    """DOCX, XLSX, ODT or ODS from the entries of a zip, else None.

    Office Open XML (ECMA-376 Part 2, Open Packaging Conventions): the main part of a
    Word document is ``word/document.xml``, of a workbook ``xl/workbook.xml``.
    OpenDocument (OASIS ODF 1.2 Part 3, §3.3): the first entry is ``mimetype``, holding
    the document's media type. Only the directory and that small entry are read; no
    other entry is decompressed.
    """
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as entry:
                    media_type = entry.read(_ODF_MIMETYPE_MAX).decode("ascii", "replace")
                for key in ("odt", "ods"):
                    if media_type.strip() == FILE_TYPES[key].content_type:
                        return key
                return None
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, KeyError):
        return None
    return None


def _is_csv(file) -> bool:
    """UTF-8 text (a byte-order mark allowed) without NUL bytes, that ``csv`` parses
    into at least one row (RFC 4180: records of fields, quotes balanced)."""
    file.seek(0)
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    rows = 0
    try:
        for row in csv.reader(text, strict=True):
            if any("\x00" in field for field in row):
                return False
            rows += 1
    except (UnicodeDecodeError, csv.Error):
        return False
    finally:
        text.detach()  # leave ``file`` open for the caller
    return rows > 0


def identify(file) -> str | None:
    """The key in FILE_TYPES of what ``file`` (a seekable binary file) holds, by its
    content, or None when it is none of the accepted types.

    Signatures: PDF starts ``%PDF-`` (ISO 32000-1 §7.5.2); PNG with its 8-byte
    signature (ISO/IEC 15948 §5.2); JPEG with the SOI marker FF D8 then a marker FF
    (ITU T.81 Annex B.1.1.2); DOCX, XLSX, ODT and ODS are zips told apart by
    :func:`_zip_type`; CSV is what is left if :func:`_is_csv` parses it.
    """
    file.seek(0)
    head = file.read(16)
    if not head:
        return None
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(_ZIP_SIGNATURE):
        file.seek(0)
        return _zip_type(file)
    if b"\x00" in head:
        return None
    return "csv" if _is_csv(file) else None


def _content_described(file, key: str | None) -> str:
    if key is not None:
        return FILE_TYPES[key].described
    file.seek(0)
    head = file.read(16)
    for signature, what in _REFUSED_SIGNATURES:
        if head.startswith(signature):
            return what
    if head.startswith(_ZIP_SIGNATURE):
        return "a zip file of another kind"
    return "not one of the accepted types"


def type_for_name(name: str) -> FileType | None:
    lower = name.lower()
    return next(
        (t for t in FILE_TYPES.values() if any(lower.endswith(ext) for ext in t.extensions)),
        None,
    )


def check_upload(name: str, file) -> FileType:
    """The type of an uploaded file, when its content is an accepted type and its name's
    extension agrees; else ValidationError naming the file and why.

    For example, a PDF named report.docx is refused with "report.docx is not a Word
    document: its content is a PDF."

    Both must agree: a name alone is a claim anyone can make (a program renamed .pdf),
    and content alone would let "budget.pdf" download as a spreadsheet. The size limit
    is the form's and the view's (MAX_BYTES).
    """
    claimed = type_for_name(name)
    if claimed is None:
        raise ValidationError(
            f"{name} is not a type of file that can be attached. Attach a {ACCEPTED_TEXT} file.",
            code="extension",
        )
    file.seek(0)
    if not file.read(1):
        raise ValidationError(f"{name} is empty.", code="empty")
    key = identify(file)
    file.seek(0)
    if key != claimed.key:
        content = _content_described(file, key)
        file.seek(0)
        raise ValidationError(
            f"{name} is not {claimed.described}: its content is {content}.",
            code="content",
        )
    return claimed


def size_label(size: int) -> str:
    """120 KB, 3.4 MB: as a report lists its appendices."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"
