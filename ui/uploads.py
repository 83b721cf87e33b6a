"""Uploads are refused at their view's limit before they are read in full.

``FILE_UPLOAD_MAX_MEMORY_SIZE`` only says when Django moves an upload from memory to a
temporary file; nothing stopped a 50 MB post being read to the end before the form looked
at its size. Here a request whose ``Content-Length`` is over the limit is answered 413
without reading the body, and an upload handler stops reading once a file passes the limit
(a body sent without a length, or with a false one).

The limit is the view's, from :func:`upload_limit`; a view without one takes no file over
``DEFAULT_UPLOAD_LIMIT`` (it has no file field, so any file is junk).
"""

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadhandler import FileUploadHandler
from django.shortcuts import render

DEFAULT_UPLOAD_LIMIT = 256 * 1024
# The form's other fields and the multipart boundaries, on top of the file itself.
FORM_OVERHEAD = 64 * 1024


class UploadTooBig(SuspiciousOperation):
    pass


def upload_limit(max_bytes: int):
    """Mark a view as taking uploads of up to ``max_bytes`` (the form says so too)."""

    def mark(view):
        view.upload_limit = max_bytes
        return view

    return mark


class LimitedUploadHandler(FileUploadHandler):
    """Counts the bytes of each file and stops at the limit."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + FORM_OVERHEAD:
            raise UploadTooBig(f"Upload of {content_length} bytes, over {self.limit}.")

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise UploadTooBig(f"Upload over {self.limit} bytes.")
        return raw_data  # the next handlers (memory, then temporary file) keep it

    def file_complete(self, file_size):
        return None


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def too_big(request, limit: int):
    megabytes = f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
    return render(request, "413.html", {"limit": megabytes}, status=413)


class UploadLimitMiddleware:
    """Put before CsrfViewMiddleware, which reads the body of every POST."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        limit = getattr(view_func, "upload_limit", DEFAULT_UPLOAD_LIMIT)
        if _content_length(request) > max(limit, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) + (
            FORM_OVERHEAD
        ):
            return too_big(request, limit)
        if request.content_type != "multipart/form-data":
            return None  # DATA_UPLOAD_MAX_MEMORY_SIZE bounds the rest
        request.upload_handlers.insert(0, LimitedUploadHandler(request, limit))
        try:
            request.POST  # noqa: B018 (parse now, so that the limit answers, not CSRF)
        except UploadTooBig:
            return too_big(request, limit)
        return None
