"""Remove every CSS rule whose selector names a class, in place.

Used by vendor_frontend.sh to drop the footer's copyright crest: the Royal Arms is for
GOV.UK only, and its image is not vendored, so a reference left in the CSS would make
collectstatic (ManifestStaticFilesStorage) abort. At-rules left empty are dropped too.

    python3 scripts/strip_css_rules.py static/govuk/govuk-frontend.min.css \
        govuk-footer__copyright-logo
"""

import sys
from pathlib import Path


def strip_rules(css: str, marker: str) -> str:
    kept, i = [], 0
    while i < len(css):
        open_brace = css.find("{", i)
        if open_brace == -1:
            kept.append(css[i:])
            break
        # A rule's prelude starts after the previous block or statement.
        prelude_start = max(i, css.rfind("}", i, open_brace) + 1, css.rfind(";", i, open_brace) + 1)
        kept.append(css[i:prelude_start])
        prelude = css[prelude_start:open_brace]
        depth, j = 1, open_brace + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        body = css[open_brace + 1 : j - 1]
        if prelude.lstrip().startswith("@") and "{" in body:
            inner = strip_rules(body, marker)
            if inner.strip():
                kept.append(f"{prelude}{{{inner}}}")
        elif marker not in prelude:
            kept.append(css[prelude_start:j])
        i = j
    return "".join(kept)


if __name__ == "__main__":
    path, marker = Path(sys.argv[1]), sys.argv[2]
    path.write_text(strip_rules(path.read_text(encoding="utf-8"), marker), encoding="utf-8")
