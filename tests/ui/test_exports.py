"""Every CSV and XLSX export goes through ui.exports, which writes no live formula."""

import csv
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from tests.contracts.factories import AuthorityFactory, ProviderFactory, kent_contract
from tests.decisions.factories import DecisionFactory
from tests.grants.factories import AllocationFactory, OutboundGrantFactory, ProgrammeFactory
from tests.test_smoke import _url_for, all_routes, sample_objects  # noqa: F401 (fixture)
from ui import exports

pytestmark = pytest.mark.django_db

MARKERS = ["=1+1", "@SUM(A1)", "-2+3", "+cmd"]
FORMULA = re.compile(r"^[=+\-@\t\r]")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Money or a negative number written as text in XLSX (codes such as "01234" are text).
NUMBER_AS_TEXT = re.compile(r"^-?\d+\.\d+$|^-\d+$")
# Markup in a cell: a tag such as <strong class="govuk-tag"> or </abbr>.
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
EXPORT_LINK = re.compile(r'href="([^"]*[?&](?:amp;)?_export=(\w+)[^"]*)"')


@pytest.mark.parametrize(
    "text, cell",
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=1", "''=1"),  # already quoted: one more, so reading back is exact
        ("'plain", "'plain"),
        ("Kent", "Kent"),
        ("", ""),
    ],
)
def test_a_text_cell_that_starts_like_a_formula_is_quoted_and_reads_back(text, cell):
    assert exports.neutralise(text) == cell
    assert exports.restore(cell) == text


def test_numbers_stay_numbers_and_dates_dates():
    from datetime import date

    assert exports.csv_cell(Decimal("-12.50")) == "-12.50"
    assert exports.csv_cell("-12.50") == "-12.50"  # a plain number in text is no formula
    assert exports.csv_cell(date(2024, 4, 1)) == "2024-04-01"
    assert exports.xlsx_cell(Decimal("-12.50")) == Decimal("-12.50")
    assert exports.xlsx_cell(date(2024, 4, 1)) == date(2024, 4, 1)
    assert exports.xlsx_cell("-2+3") == "'-2+3"


@pytest.fixture
def marked_records(sample_objects):  # noqa: F811 (the smoke walk's fixture)
    """Records of every exported kind named like formulas."""
    for i, marker in enumerate(MARKERS):
        authority = AuthorityFactory(name=f"{marker} Council {i}")
        provider = ProviderFactory(name=f"{marker} provider")
        kent_contract(reference=f"{marker}-{i}", title=marker, provider=provider)
        DecisionFactory(title=marker, decision_maker=marker)
        AllocationFactory(
            programme=ProgrammeFactory(name=f"{marker} programme {i}"),
            authority=authority,
            conditions=marker,
        )
        OutboundGrantFactory(title=marker, recipient_name=marker)
    return sample_objects


def _cells_of(response) -> tuple[str, list]:
    body = response.getvalue()
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        return "xlsx", [cell for row in sheet.iter_rows() for cell in row]
    return "csv", [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row]


def _problems(kind: str, cells, where: str) -> list[str]:
    found = []
    for cell in cells:
        text = cell.value if kind == "xlsx" else cell
        if isinstance(text, str) and TAG.search(text):
            found.append(f"{where}: markup in a cell {text[:80]!r}")
        if (
            kind == "xlsx"
            and isinstance(cell.value, Decimal | float)
            and cell.number_format
            in (
                "General",
                "@",
            )
        ):
            found.append(f"{where}: amount {cell.value!r} without a number format")
        if kind == "xlsx":
            if cell.data_type == "f":
                found.append(f"{where}: formula cell {cell.coordinate} {cell.value!r}")
            elif isinstance(cell.value, str) and FORMULA.match(cell.value):
                found.append(f"{where}: text {cell.value!r} starts like a formula")
            elif isinstance(cell.value, str) and NUMBER_AS_TEXT.match(cell.value):
                found.append(f"{where}: number stored as text {cell.value!r}")
        else:
            if FORMULA.match(cell) and not NUMBER.match(cell):
                found.append(f"{where}: cell {cell!r} starts like a formula")
            if re.match(r"^'-?\d+(\.\d+)?$", cell):
                found.append(f"{where}: number stored as quoted text {cell!r}")
    return found


def _export_responses(client, sample):
    """Every export from the resolver: downloads that are CSV or XLSX themselves, and
    every ``_export`` link on every page."""
    for name, route in all_routes():
        url = _url_for(name, route, sample)
        response = client.get(url)
        if response.status_code != 200:
            continue
        kind = response.get("Content-Type", "")
        if "csv" in kind or "spreadsheetml" in kind:
            yield url, response
        elif "html" in kind:
            links = {
                m[0].replace("&amp;", "&") for m in EXPORT_LINK.findall(response.content.decode())
            }
            for link in sorted(links):
                full = link if link.startswith("/") else url + link
                yield full, client.get(full)


def test_no_export_writes_a_formula_or_a_number_as_text(commissioner_client, marked_records):
    # The commissioner reads every register (the clerk's exports are the same views).
    client = commissioner_client
    problems, quoted, exported = [], 0, set()
    for where, response in _export_responses(client, marked_records):
        assert response.status_code == 200, where
        kind, cells = _cells_of(response)
        exported.add(where.split("?")[0] + f" {kind}")
        problems += _problems(kind, cells, where)
        values = [c.value if kind == "xlsx" else c for c in cells]
        quoted += sum(
            1 for v in values if isinstance(v, str) and v.startswith(("'=", "'@", "'+", "'-"))
        )
    assert problems == []
    assert quoted > 0  # the markers reached the exports, quoted
    assert len(exported) >= 10, exported


def test_the_export_commands_write_no_formula(marked_records, tmp_path):
    for command in ("export_contracts", "export_grants"):
        out = tmp_path / f"{command}.csv"
        call_command(command, output=str(out))
        cells = [c for row in csv.reader(io.StringIO(out.read_text())) for c in row]
        assert _problems("csv", cells, command) == []
        assert any(c.startswith("'=1+1") for c in cells), command


def test_an_exported_contract_named_like_a_formula_imports_back_unchanged(commissioner_client):
    from contracts import csv_format
    from contracts.models import Contract

    kent_contract(reference="=1+1", title="@SUM(A1)")
    text = csv_format.export(Contract.objects.with_related())
    assert "'=1+1" in text and "'@SUM(A1)" in text
    rows = csv_format.parse(text)
    assert [(r.reference, r.title) for r in rows] == [("=1+1", "@SUM(A1)")]


def test_a_register_xlsx_holds_amounts_as_numbers_and_dates_as_dates(commissioner_client):
    from datetime import datetime

    kent_contract(reference="NEG-1")
    xlsx = commissioner_client.get(reverse("contracts:list"), {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active
    header, row = list(sheet.values)
    values = dict(zip(header, row, strict=True))
    assert isinstance(values["Annual value"], int | float)
    assert isinstance(values["Current end"], datetime)
    formats = dict(zip(header, (cell.number_format for cell in list(sheet.rows)[1]), strict=True))
    assert formats["Annual value"] == exports.MONEY_FORMAT
    assert formats["Current end"] == exports.DATE_FORMAT


def test_a_cell_that_held_markup_is_flagged_by_the_export_walk():
    # The walk's own check must be able to fail: a status rendered as a GOV.UK tag.
    cells = ['<strong class="govuk-tag">Expired</strong>', "Expired", "a < b"]
    assert _problems("csv", cells, "x") == [
        "x: markup in a cell '<strong class=\"govuk-tag\">Expired</strong>'"
    ]


def test_exports_stream_and_read_the_contracts_in_chunks(commissioner_client, monkeypatch):
    """CSV is a StreamingHttpResponse and XLSX a FileResponse from a temporary file;
    the import-format export reads its queryset with .iterator(), never all at once."""
    from django.db.models import QuerySet
    from django.http import FileResponse, StreamingHttpResponse

    for n in range(3):
        kent_contract(reference=f"STREAM-{n}")
    chunked = []
    real_iterator = QuerySet.iterator

    def iterator(self, chunk_size=None):
        chunked.append(chunk_size)
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", iterator)
    response = commissioner_client.get(reverse("contracts:export"))
    assert isinstance(response, StreamingHttpResponse)
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == 4 and chunked == [exports.CHUNK_SIZE]
    xlsx = commissioner_client.get(reverse("contracts:list"), {"_export": "xlsx"})
    assert isinstance(xlsx, FileResponse)
    csv_page = commissioner_client.get(reverse("contracts:list"), {"_export": "csv"})
    assert isinstance(csv_page, StreamingHttpResponse)


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_a_register_export_never_loads_every_contract_at_once(commissioner_client, export_format):
    """django-tables2 iterates its queryset, which would fill the result cache with every
    contract (1.2 GB at 100,000); ui.exports.table_rows reads it in chunks instead."""
    from unittest import mock

    from django.db.models import QuerySet

    from contracts.models import Contract

    for n in range(3):
        kent_contract(reference=f"CHUNK-{n}")
    real_fetch_all = QuerySet._fetch_all

    def fetch_all(self):
        if self.model is Contract and self._result_cache is None and not self.query.is_sliced:
            raise AssertionError("the export evaluated a whole contracts queryset")
        return real_fetch_all(self)

    with mock.patch.object(QuerySet, "_fetch_all", fetch_all):
        response = commissioner_client.get(reverse("contracts:list"), {"_export": export_format})
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    if export_format == "csv":
        assert body.decode().count("CHUNK-") == 3
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(body)).active
        assert sum("CHUNK-" in str(c.value) for row in sheet.iter_rows() for c in row) == 3


@pytest.mark.parametrize(
    "content, filename, inline, disposition",
    [
        (b"%PDF", "24-00056-report.pdf", False, 'attachment; filename="24-00056-report.pdf"'),
        ("BEGIN:VCALENDAR", "plan.ics", True, 'inline; filename="plan.ics"'),
        # A quote in a name cannot end the header's value early.
        (b"x", 'a"b.csv', False, 'attachment; filename="a\\"b.csv"'),
        # A name that is not ASCII goes in filename* (RFC 6266, RFC 5987).
        (b"x", "Café plan.pdf", False, "attachment; filename*=utf-8''Caf%C3%A9%20plan.pdf"),
    ],
)
def test_every_download_names_its_file_safely(content, filename, inline, disposition):
    response = exports.download(content, filename, "application/octet-stream", inline=inline)
    assert response["Content-Disposition"] == disposition
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_download_streams_an_open_file_and_an_iterator():
    file_response = exports.download(io.BytesIO(b"abc"), "a.bin", "application/octet-stream")
    assert isinstance(file_response, FileResponse)
    assert b"".join(file_response.streaming_content) == b"abc"
    chunks = exports.download(iter([b"a", b"b"]), "a.csv", "text/csv")
    assert isinstance(chunks, StreamingHttpResponse)
    assert b"".join(chunks.streaming_content) == b"ab"
