"""Issued documents for tests that need one without rendering it (the smoke walk)."""

import io

from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfWriter

from decisions.issuing import sha256
from decisions.models import IssuedDocument


def tiny_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def stored_document(decision, *, user, kind=IssuedDocument.Kind.REPORT, version=1):
    """An issued version holding a one-page blank PDF."""
    data = tiny_pdf()
    document = IssuedDocument(
        kind=kind,
        decision=decision,
        version=version,
        issued_by=user,
        as_of=timezone.localdate(),
        reason="" if version == 1 else "Corrected",
        sha256=sha256(data),
    )
    document.file.save(f"sample-{kind}-v{version}.pdf", ContentFile(data), save=False)
    document.save()
    return document
