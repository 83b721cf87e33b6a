"""A JSON Schema format checker for the open-data files' schemas (OCDS, 360Giving).

jsonschema checks the "date-time" format only with an optional package
(rfc3339-validator) that is not installed, and both standards' schemas rely on it (the
360Giving schema accepts a date or a date-time, exactly one of them). So it is checked
here: an RFC 3339 date-time, as the exports write it (upper-case T and Z), that is a
real moment.
"""

import re
from datetime import datetime

import jsonschema

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _is_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    if not RFC3339.match(value):
        return False
    datetime.fromisoformat(value.replace("Z", "+00:00"))
    return True
