"""Attachments made as the upload page makes them: bytes stored, then the row saved."""

import io

from contracts.models import ContractAttachment
from decisions.models import DecisionAttachment
from tests.attachments import files
from ui.attachments import check_upload, save_upload


class _Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name = name


def attach(
    record,
    *,
    title="Equality impact assessment",
    name="eqia.pdf",
    data=files.PDF,
    user=None,
    **fields,
):
    """A file attached to ``record`` (a Decision or a Contract), with its history."""
    if hasattr(record, "decision_type"):
        attachment = DecisionAttachment(decision=record, title=title, **fields)
    else:
        attachment = ContractAttachment(contract=record, title=title, **fields)
    upload = _Upload(name, data)
    return save_upload(attachment, upload, check_upload(name, upload), user=user)
