"""The clerks' PDFs, rendered by WeasyPrint as tagged PDF/UA documents.

Fonts come from the machine through fontconfig (DejaVu Sans, with Liberation Sans
as a fallback) and WeasyPrint embeds the glyphs it uses.
"""

from datetime import date

from django.template.loader import render_to_string

REPORT = "report"
RECORD = "record"
NOTICE = "notice"
TEMPLATES = {
    REPORT: "decisions/pdf/report.html",
    RECORD: "decisions/pdf/record.html",
    NOTICE: "decisions/pdf/notice.html",
}
TITLES = {
    REPORT: "Key Decision Report",
    RECORD: "Record of Decision",
    NOTICE: "Forward plan notice",
}
PDF_VARIANT = "pdf/ua-1"


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    # Imported here: WeasyPrint loads Pango and fonts, which pages never need.
    import weasyprint

    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)


def contract_timelines(decision, today: date) -> list[dict]:
    """Timeline SVGs of the contracts the decision awards or extends."""
    try:
        from contracts.timeline import timeline_svg
    except ImportError:
        return []
    from contracts.figures import figures_for

    timelines = []
    seen = set()
    for link in decision.contract_links.all():
        if link.kind not in ("award", "extend") or link.contract_id in seen:
            continue
        seen.add(link.contract_id)
        contract = link.contract
        svg = timeline_svg(contract, figures_for(contract, today=today), today)
        timelines.append({"contract": contract, "svg": svg})
    return timelines


def render_decision_pdf(document: str, context: dict, *, base_url: str) -> bytes:
    context = {**context, "document_title": TITLES[document]}
    html = render_to_string(TEMPLATES[document], context)
    return html_to_pdf(html, base_url=base_url)


def render_forward_plan_pdf(context: dict, *, base_url: str) -> bytes:
    html = render_to_string("decisions/pdf/forward_plan.html", context)
    return html_to_pdf(html, base_url=base_url)
