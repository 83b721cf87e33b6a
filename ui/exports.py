"""The one way to write a CSV or XLSX file: every export and export command goes through here.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula, so a record named ``=HYPERLINK(...)``
would run on the reader's machine. Following OWASP's advice on CSV injection, a text cell
that begins with one of those characters gets a single quote in front, which spreadsheets
show as text. Numbers are not text: a ``Decimal``, ``int`` or ``float`` is written as a
number (a negative amount stays a number), and dates as dates in XLSX.

CSV is streamed row by row (a ``StreamingHttpResponse``) and XLSX is written by
openpyxl's write-only workbook to a temporary file, then sent with ``FileResponse``, so
memory stays flat however many rows there are, as long as the rows come from
:func:`iterate` (a queryset read in chunks) rather than a list. Streaming is enough for
the sizes here (100,000 contracts in well under a minute), so exports do not run as
background tasks.
"""

import csv
import datetime
import html
import re
import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeData

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A cell that is already quoted ("'=1") gets a second quote, so that reading back takes
# exactly one off and a value that truly began with a quote survives a round trip.
_NEEDS_QUOTE = re.compile(r"^'*[=+\-@\t\r]")
_QUOTED = re.compile(r"^'+[=+\-@\t\r]")
# Plain numbers in text ("-12.50") are left alone in CSV: a spreadsheet reads them as
# numbers, not formulas, and quoting them would turn an amount into text.
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


CENT = Decimal("0.01")
# Records read from the database at a time by an export (with their prefetched rows).
CHUNK_SIZE = 2000


def iterate(records: Iterable, chunk_size: int = CHUNK_SIZE) -> Iterable:
    """A queryset read in chunks (prefetching per chunk), so an export never holds every
    record; anything else as it is."""
    if isinstance(records, QuerySet):
        return records.iterator(chunk_size=chunk_size)
    return records


def money(value) -> Decimal | None:
    """An amount for an export: a number to the penny (a negative one stays a number)."""
    return None if value is None else Decimal(value).quantize(CENT)


def neutralise(text: str) -> str:
    """``"=1+1"`` → ``"'=1+1"``; other text as it is."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def restore(text: str) -> str:
    """The inverse of :func:`neutralise`, for imports that read our own exports."""
    return text[1:] if _QUOTED.match(text) else text


def plain_text(value: Any) -> str:
    """A cell's text without HTML: a column that renders tags gives its words only."""
    text = str(value)
    if isinstance(value, SafeData):
        text = html.unescape(strip_tags(text))
    return text


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = plain_text(value)
    return text if _PLAIN_NUMBER.match(text) else neutralise(text)


# Number formats for XLSX cells: money to two places with a thousands separator (and
# a minus sign), dates as day month year. Excel shows a bare number as "General".
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "d mmm yyyy"
DATETIME_FORMAT = "d mmm yyyy hh:mm"


def xlsx_cell(value: Any) -> Any:
    """A cell's value for openpyxl: numbers as numbers, dates as dates, text plain."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Decimal | int | float):
        return value
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: write the local wall-clock time.
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return neutralise(plain_text(value))


class _Echo:
    """A file-like object whose write() hands back the line, for csv.writer to stream."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo(), lineterminator="\n")
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    return "".join(csv_lines(rows))


def write_csv(rows: Iterable[Iterable[Any]], file) -> int:
    """Write ``rows`` to an open text file; the number of lines written."""
    count = 0
    for line in csv_lines(rows):
        file.write(line)
        count += 1
    return count


def download(
    content, filename: str, content_type: str, *, inline: bool = False
) -> HttpResponse | StreamingHttpResponse:
    """The one way to send a file: ``content`` is bytes or text (sent whole), an open
    binary file (streamed, then closed) or an iterator of byte chunks (streamed).

    The name goes in Content-Disposition as RFC 6266 asks (Django's
    ``content_disposition_header``: quoted, with a UTF-8 ``filename*`` where needed),
    so a name with quotes or non-ASCII letters cannot break the header. ``inline``
    lets the browser or a calendar program open it in place (a feed, a calendar);
    otherwise it is saved. The browser is told not to guess another type (nosniff).
    Spreadsheet cells get their formula guard before they reach here (:func:`csv_lines`,
    :func:`xlsx_cell`).
    """
    if isinstance(content, (bytes, str)):
        response = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(rows: Iterable[Iterable[Any]], filename: str) -> StreamingHttpResponse:
    lines = (line.encode("utf-8") for line in csv_lines(rows))
    return download(lines, filename, CONTENT_TYPES[CSV])


def _formatted(sheet, value: Any) -> Any:
    """A write-only cell with the number format of a money amount or a date; anything
    else as it is. An amount is a ``Decimal`` (exports pass money through
    :func:`money`); an ``int`` is a count and keeps Excel's General format."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, Decimal):
        number_format = MONEY_FORMAT
    elif isinstance(value, datetime.datetime):
        number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        number_format = DATE_FORMAT
    else:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    return cell


def xlsx_response(rows: Iterable[Iterable[Any]], filename: str, title: str = "Export"):
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or "Export")
    for row in rows:
        sheet.append([_formatted(sheet, xlsx_cell(v)) for v in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(file)
    file.seek(0)
    return download(file, filename, CONTENT_TYPES[XLSX])


def response(rows: Iterable[Iterable[Any]], export_format: str, name: str, title: str = ""):
    """The export of ``rows`` as ``name.csv`` or ``name.xlsx``."""
    filename = f"{name}.{export_format}"
    if export_format == XLSX:
        return xlsx_response(rows, filename, title or name)
    return csv_response(rows, filename)


def requested_format(request, offered: Iterable[str] = FORMATS) -> str | None:
    """The ``?_export=`` format if it is one of those offered, else None (show the page)."""
    value = request.GET.get("_export")
    return value if value in offered else None


def table_rows(table, exclude_columns=()) -> Iterator[list[Any]]:
    """A django-tables2 table's header and rows from each column's export value, its
    records read in chunks (:func:`iterate`): django-tables2 iterates the queryset
    itself, whose result cache would hold every record (1.2 GB for 100,000 contracts)."""
    if isinstance(table.data.data, QuerySet):
        table.data.data = iterate(table.data.data)
    return table.as_values(exclude_columns=exclude_columns)
