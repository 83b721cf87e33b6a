"""What a file is, read from its content, and whether its name agrees (ui.attachments).

A table of cases, no database: each accepted type by content, renamed files, formats
that look alike (zips of another kind, old Office files), text that is not CSV.
"""

import io

import pytest
from django.core.exceptions import ValidationError

from tests.attachments import files
from ui.file_types import check_upload, identify, size_label


@pytest.mark.parametrize(
    "data, expected",
    [
        (files.PDF, "pdf"),
        (files.DOCX, "docx"),
        (files.XLSX, "xlsx"),
        (files.ODT, "odt"),
        (files.ODS, "ods"),
        (files.CSV, "csv"),
        (b"\xef\xbb\xbfname,amount\n1,2\n", "csv"),  # Excel's "CSV UTF-8" has a BOM
        (files.PNG, "png"),
        (files.JPEG, "jpeg"),
        (b"", None),
        (files.OTHER_ZIP, None),  # a zip, but neither Office Open XML nor OpenDocument
        (files.OLD_WORD, None),
        (b"PK\x03\x04 not really a zip", None),
        (b"name,amount\n\x001,2\n", None),  # NUL: binary, not text
        (b"caf\xe9,1\n", None),  # Latin-1, not UTF-8
        (b'name,"unclosed\n', None),  # csv cannot parse an open quote
        (b"MZ\x90\x00program", None),
        (
            files._zip({"mimetype": b"application/vnd.oasis.opendocument.presentation"}),
            None,
        ),
    ],
)
def test_a_file_is_identified_by_its_content(data, expected):
    assert identify(io.BytesIO(data)) == expected


@pytest.mark.parametrize("key", files.ACCEPTED)
def test_each_accepted_type_passes_under_its_own_name(key):
    name, data, content_type = files.ACCEPTED[key]
    assert check_upload(name, io.BytesIO(data)).content_type == content_type


def test_a_jpeg_may_be_named_jpeg_as_well_as_jpg():
    assert check_upload("SITE.JPEG", io.BytesIO(files.JPEG)).key == "jpeg"


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("report.docx", files.PDF, "report.docx is not a Word document: its content is a PDF."),
        ("budget.pdf", files.XLSX, "budget.pdf is not a PDF: its content is an Excel workbook."),
        ("photo.png", files.JPEG, "photo.png is not a PNG image: its content is a JPEG image."),
        (
            "data.csv",
            files.ODS,
            "data.csv is not a CSV file: its content is an OpenDocument spreadsheet.",
        ),
        (
            "notes.docx",
            files.OLD_WORD,
            "notes.docx is not a Word document: its content is an old Office file (.doc or .xls).",
        ),
        ("setup.pdf", b"MZ\x90\x00program", "setup.pdf is not a PDF: its content is a program."),
        (
            "archive.xlsx",
            files.OTHER_ZIP,
            "archive.xlsx is not an Excel workbook: its content is a zip file of another kind.",
        ),
        (
            "list.csv",
            b"\x00\x01\x02",
            "list.csv is not a CSV file: its content is not one of the accepted types.",
        ),
        ("empty.pdf", b"", "empty.pdf is empty."),
        ("notes.doc", files.OLD_WORD, "notes.doc is not a type of file that can be attached."),
        ("report", files.PDF, "report is not a type of file that can be attached."),
        ("report.pdf.exe", files.PDF, "report.pdf.exe is not a type of file that can be attached."),
    ],
)
def test_a_file_whose_name_and_content_disagree_is_refused_saying_why(name, data, message):
    with pytest.raises(ValidationError) as refused:
        check_upload(name, io.BytesIO(data))
    assert refused.value.messages[0].startswith(message)


@pytest.mark.parametrize(
    "size, label",
    [(512, "512 bytes"), (1024, "1 KB"), (122_880, "120 KB"), (3_565_158, "3.4 MB")],
)
def test_sizes_read_as_a_report_lists_them(size, label):
    assert size_label(size) == label
