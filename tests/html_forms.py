"""What a browser would post back from a page's form, read from the page's HTML.

Tests that edit through a page (or the admin) GET the form, change a field and post
everything else as the page showed it, the version the form was opened with included.
"""

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._fields = []
        if self._fields is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self._fields.append((self._select, value))
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._fields is None:
            return
        if tag == "select" and self._select:
            if not self._select_chosen and not self._multiple and self._select_first is not None:
                self._fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._fields)
            self._fields = None


def form_data(html: str, *, containing: str = "version") -> dict:
    """The fields of the page's form that has a field named ``containing``, as
    test-client POST data (a list where a name repeats)."""
    parser = _FormParser()
    parser.feed(html)
    for fields in parser.forms:
        names = [name for name, _ in fields]
        if not any(n == containing or n.endswith(f"-{containing}") for n in names):
            continue
        data: dict = {}
        for name, value in fields:
            if name in data:
                data[name] = (
                    [*data[name], value]
                    if isinstance(data[name], list)
                    else [
                        data[name],
                        value,
                    ]
                )
            else:
                data[name] = value
        data.pop("csrfmiddlewaretoken", None)
        return data
    raise AssertionError(f"No form with a field {containing!r} on the page")
