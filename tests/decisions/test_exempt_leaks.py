"""No exempt information reaches a user not cleared for it, on any URL, by any path.

A decision and each of its parts carry a distinct marker in every text field (and
two distinctive amounts) from the start, so their earlier history has them. The
decision is then made exempt by each path that can do it: its edit page (a cleared
clerk), the admin (a cleared superuser), the shell (a model save) and the import
helper (``audit.utils.upsert``, which the demo data and the imports use; there is
no decisions import or command of its own). Then every URL from the resolver, its
CSV/XLSX exports, the PDFs, the history pages with ``as_of`` dates before and after,
the changes feed and every admin page are fetched as each uncleared user, and every
body (PDF text, XLSX cells) is searched for the markers: none may appear.

What an uncleared user may see of an exempt decision is its number, title, authority
and paragraph; the forward plan adds its decision maker and date (regulation 9), so
the decision-maker markers may appear on the forward plan's pages only. The title is
public and carries no marker.
"""

import io
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django import forms
from django.contrib import admin
from django.db.models import Max
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import ADMINISTRATOR, AUDITOR, CLERK, COMMISSIONER
from audit.utils import upsert
from contracts.models import Contract, Modification
from decisions.issuing import issue_document
from decisions.models import (
    Decision,
    DecisionContractLink,
    DecisionRelation,
    PathwayStage,
    Recommendation,
    ReportSection,
)
from tests.accounts.factories import UserFactory
from tests.attachments.factories import attach
from tests.contracts.factories import AuthorityFactory, ProviderFactory
from tests.decisions.pdfs import pdf_text
from tests.test_smoke import all_routes

pytestmark = pytest.mark.django_db

NUMBER = "24/00999"
TITLE = "Award of the community drug and alcohol service"

# Every text field of the decision holds "qzx" + its name; money fields a distinctive sum.
DECISION_TEXT_FIELDS = (
    "decision_maker",
    "decision_maker_role",
    "report_from",
    "report_to",
    "key_decision_reason",
    "electoral_divisions",
    "public_interest_reason",
    "summary",
    "recommendation_intro",
    "options_rejected",
    "reasons",
    "financial_implications",
    "legal_implications",
    "equalities_implications",
    "data_protection_implications",
    "conflicts_of_interest",
    "dispensations",
    "background_documents",
    "contacts",
    "appendices",
    "late_notice_reason",
)
# Regulation 9: the forward plan publishes these for every key decision.
FORWARD_PLAN_MARKERS = {"qzxdecision_maker", "qzxdecision_maker_role"}
AMOUNTS = {"amount_involved": Decimal("7654321.98"), "approved_maximum": Decimal("8765432.19")}
AMOUNT_MARKERS = {"7,654,321.98", "7654321.98", "8,765,432.19", "8765432.19", "£7.65m", "£8.77m"}
PART_MARKERS = {
    "recommendation": {"verb": "qzxverb", "text": "qzxrecommendation text"},
    "section": {"heading": "qzxheading", "body": "qzxsection body"},
    "stage": {"body": "qzxstage body", "minutes_reference": "qzxminutes"},
    "contract_link": {"note": "qzxlink note"},
    # A "Varies" link naming the contract's variation (issue 14: psr's pages show it).
    "variation_link": {"note": "qzxvariationlink note"},
    "attachment": {"title": "qzxattachment title", "original_filename": "qzxfilename.pdf"},
}
# A contract's file exempt on its own (the contract is not): only its label may show.
CONTRACT_FILE = {"title": "qzxcontractfile title", "name": "qzxcontractfilename.pdf"}


def _markers() -> set[str]:
    words = {f"qzx{name}" for name in DECISION_TEXT_FIELDS}
    words |= {v.split()[0] for v in CONTRACT_FILE.values()}
    for values in PART_MARKERS.values():
        words |= {v.split()[0] for v in values.values()}
    return {w.lower() for w in words} | AMOUNT_MARKERS


MARKERS = _markers()


# --- The decision, made exempt by each path ------------------------------------------


def _marked_decision(authority, contract, earlier) -> tuple[Decision, dict]:
    """An unrestricted key decision with markers everywhere, its history 10 days old."""
    then = timezone.now() - timedelta(days=10)
    today = timezone.localdate()
    decision = Decision(
        authority=authority,
        number=NUMBER,
        title=TITLE,
        decision_type=Decision.Type.EXECUTIVE_KEY,
        status=Decision.Status.PLANNED,
        is_key_decision=True,
        decision_date=today + timedelta(days=40),
        forward_plan_published_on=today - timedelta(days=1),
        meeting_date=today + timedelta(days=30),
        **{name: f"qzx{name}" for name in DECISION_TEXT_FIELDS},
        **AMOUNTS,
    )
    decision._history_date = then
    decision.save()
    parts = {
        "recommendation": Recommendation(
            decision=decision, order=1, **PART_MARKERS["recommendation"]
        ),
        "section": ReportSection(decision=decision, order=1, **PART_MARKERS["section"]),
        "stage": PathwayStage(decision=decision, order=1, date=today, **PART_MARKERS["stage"]),
        "contract_link": DecisionContractLink(
            decision=decision,
            contract=contract,
            kind=DecisionContractLink.Kind.AWARD,
            **PART_MARKERS["contract_link"],
        ),
        "relation": DecisionRelation(decision=decision, earlier=earlier),
        "variation_link": DecisionContractLink(
            decision=decision,
            contract=contract,
            kind=DecisionContractLink.Kind.VARY,
            modification=Modification.objects.create(
                contract=contract,
                sequence=(contract.modifications.aggregate(n=Max("sequence"))["n"] or 0) + 1,
                kind=Modification.Kind.VALUE,
                description="More places",
                effective_date=today,
                lifetime_value_change=Decimal("320000"),
                ground=Modification.Ground.AUTHORITY,
            ),
            **PART_MARKERS["variation_link"],
        ),
    }
    for part in parts.values():
        part._history_date = then
        part.save()
    # A file attached while the decision is open: its title and name are in its history.
    parts["attachment"] = attach(
        decision,
        title=PART_MARKERS["attachment"]["title"],
        name=PART_MARKERS["attachment"]["original_filename"],
        kind="appendix",
    )
    # A later change before it is exempt: the history now has markers in old and new.
    decision.summary = "qzxsummary, revised"
    decision._history_date = then + timedelta(days=1)
    decision.save()
    return decision, parts


def form_data(form) -> dict:
    """What a browser would post back for ``form`` as it stands (initial values)."""
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        widget = getattr(field.widget, "widget", field.widget)  # the admin's wrapper
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(widget, forms.Select):
            data[bound.html_name] = str(value)
        else:
            formatted = widget.format_value(value)
            data[bound.html_name] = "" if formatted is None else str(formatted)
    return data


def _exempt_by_form(decision, cleared_clerk, cleared_admin):
    url = reverse("decisions:edit", args=[decision.pk])
    form = cleared_clerk.get(url).context["form"]
    data = {**form_data(form), "exempt_paragraph": "3", "reason": "Commercially sensitive"}
    response = cleared_clerk.post(url, data)
    assert response.status_code == 302, response.context["form"].errors


def _exempt_by_admin(decision, cleared_clerk, cleared_admin):
    url = reverse("admin:decisions_decision_change", args=[decision.pk])
    context = cleared_admin.get(url).context
    data = form_data(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(form_data(formset.management_form))
        for form in formset.forms:
            data.update(form_data(form))
    data["exempt_paragraph"] = "3"
    response = cleared_admin.post(url, data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors,
        [i.formset.errors for i in response.context["inline_admin_formsets"]],
    )


def _exempt_by_shell(decision, cleared_clerk, cleared_admin):
    decision.exempt_paragraph = 3
    decision.save()


def _exempt_by_import(decision, cleared_clerk, cleared_admin):
    _obj, outcome = upsert(
        Decision,
        {"authority": decision.authority, "number": decision.number},
        {"exempt_paragraph": 3},
        reason="Imported",
    )
    assert outcome == "updated"


PATHS = {
    "form": _exempt_by_form,
    "admin": _exempt_by_admin,
    "shell": _exempt_by_shell,
    "import": _exempt_by_import,
}


# --- The users -----------------------------------------------------------------------


def _client(**kwargs) -> Client:
    client = Client()
    client.force_login(UserFactory(**kwargs))
    return client


# Who walks: each role, none of them cleared; the two admin users also walk the admin.
ADMIN_WALKERS = ("uncleared administrator", "uncleared superuser")


@pytest.fixture
def walkers(roles):
    return {
        "commissioner": _client(username="u-commissioner", role=COMMISSIONER),
        "uncleared clerk": _client(username="u-clerk", role=CLERK),
        "auditor": _client(username="u-auditor", role=AUDITOR),
        "uncleared administrator": _client(username="u-admin", role=ADMINISTRATOR, is_staff=True),
        "uncleared superuser": _client(username="u-super", is_staff=True, is_superuser=True),
    }


# --- Walking every URL ---------------------------------------------------------------


def body_text(response) -> str:
    """The text a reader gets from a response: HTML/CSV as is, PDF text, XLSX cells."""
    data = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    content_type = response.get("Content-Type", "")
    if data.startswith(b"%PDF-"):
        return pdf_text(data)
    if "spreadsheetml" in content_type or data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return " ".join(book.read(n).decode("utf-8", "ignore") for n in book.namelist())
    return data.decode("utf-8", "ignore")


def app_urls(sample, decision, parts, issued=None) -> list[str]:
    """Every URL from the resolver (the decision's own pointing at the exempt one),
    with exports, history filters and ``as_of`` dates."""
    overrides = {
        "decisions:issue": (decision.pk, "report"),
        "decisions:issue_progress": (decision.pk, "report", 1),
        "decisions:detail": (decision.pk,),
        "decisions:edit": (decision.pk,),
        "decisions:report_pdf": (decision.pk,),
        "decisions:record_pdf": (decision.pk,),
        "decisions:notice_pdf": (decision.pk,),
        "contracts:detail": (parts["contract_link"].contract_id,),
        "decisions:attachment_download": (decision.pk, parts["attachment"].pk),
        "decisions:attachment_withdraw": (decision.pk, parts["attachment"].pk),
    }
    if issued is not None:
        overrides["decisions:issued_download"] = (issued.pk,)
    # The variation the exempt decision authorised, on every psr page that shows one.
    variation = (parts["variation_link"].modification_id,)
    for name in (
        "psr:variation_detail",
        "psr:variation_edit",
        "psr:modification_notice",
        "psr:modification_notice_pdf",
        "psr:modification_notice_published",
    ):
        overrides[name] = variation
    contract_file = parts["contract_file"]
    for name in ("contracts:attachment_download", "contracts:attachment_withdraw"):
        overrides[name] = (contract_file.contract_id, contract_file.pk)
    for kind, part in parts.items():
        if kind in ("attachment", "contract_file"):
            continue
        overrides[f"decisions:{kind}_add"] = (decision.pk,)
        overrides[f"decisions:{kind}_edit"] = (decision.pk, part.pk)
        overrides[f"decisions:{kind}_delete"] = (decision.pk, part.pk)
    urls = []
    for name, _route in all_routes():
        args = overrides.get(name) or sample.get(name) or ()
        url = reverse(name, args=args)
        urls.append(url)
        if not args:
            urls += [f"{url}?_export=csv", f"{url}?_export=xlsx"]
    feed = reverse("audit:changes")
    labels = ["decisions.decision"] + [p._meta.label_lower for p in parts.values()]
    for label in labels:
        urls += [
            f"{feed}?record_type={label}&per_page=100",
            f"{feed}?record_type={label}&_export=csv",
        ]
    before = (timezone.localdate() - timedelta(days=5)).isoformat()
    today = timezone.localdate().isoformat()
    for label, obj in [("decisions.decision", decision)] + [
        (p._meta.label_lower, p) for p in parts.values()
    ]:
        record = reverse("audit:record", args=[label, obj.pk])
        urls += [record, f"{record}?as_of={before}", f"{record}?as_of={today}"]
    # Search by the withheld text must not find it.
    listing = reverse("decisions:list")
    urls += [f"{listing}?q=qzxsummary", f"{listing}?q=qzxsection", f"{listing}?q=qzxverb"]
    return urls


def admin_urls(decision, parts) -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        urls += [changelist, f"{changelist}?q=qzxsummary", f"{changelist}?q=qzxverb"]
    for obj in [decision, *parts.values()]:
        opts = obj._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        urls += [
            reverse(f"{base}_change", args=[obj.pk]),
            reverse(f"{base}_delete", args=[obj.pk]),
            reverse(f"{base}_history", args=[obj.pk]),
        ]
        urls += [
            reverse(f"{base}_simple_history", args=[obj.pk, version.history_id])
            for version in obj.history.all()
        ]
    changelist = reverse("admin:decisions_decision_changelist")
    urls += [f"{changelist}?o={i}" for i in range(1, 9)]
    return urls


def leaks(client, urls, allowed=lambda url: set()) -> list[tuple[str, int, list[str]]]:
    """(url, status, markers found) for each response that shows a marker."""
    found = []
    for url in urls:
        response = client.get(url)
        text = body_text(response).lower()
        # A search echoes its words back: those are the user's own, not a leak.
        echoed = {m for m in MARKERS if m in url.lower()}
        hits = sorted(m for m in MARKERS - allowed(url) - echoed if m in text)
        if echoed and NUMBER in text:
            hits.append(f"found {NUMBER} by searching its withheld text")
        if hits:
            found.append((url, response.status_code, hits))
    return found


@pytest.fixture
def sample(db):
    from tests.smoke_objects import make_sample_objects

    AuthorityFactory()
    ProviderFactory()
    return make_sample_objects()


@pytest.mark.parametrize("path", PATHS)
def test_no_url_shows_an_uncleared_user_exempt_information(
    path, sample, walkers, clerk, clerk_client
):
    cleared_admin = _client(
        username="cleared-super", is_staff=True, is_superuser=True, cleared_for_exempt=True
    )
    contract = Contract.objects.get(pk=sample.get("contracts:detail")[0])
    earlier = Decision.objects.get(number="22/00041")
    decision, parts = _marked_decision(contract.lead_authority, contract, earlier)
    parts["contract_file"] = attach(
        contract, title=CONTRACT_FILE["title"], name=CONTRACT_FILE["name"], exempt_paragraph=3
    )
    # Before it is exempt, the markers are there to be found (so the walk can fail).
    assert "qzxsummary" in body_text(walkers["commissioner"].get(decision.get_absolute_url()))
    # Its report issued while unrestricted: the stored bytes hold the markers, and once
    # the decision is exempt they must reach no uncleared reader (decisions.issuing).
    issued = issue_document(
        decision=decision, kind="report", user=clerk, base_url="http://testserver/"
    )
    issued_url = reverse("decisions:issued_download", args=[issued.pk])
    assert "qzxsummary" in body_text(walkers["commissioner"].get(issued_url))

    PATHS[path](decision, clerk_client, cleared_admin)
    decision.refresh_from_db()
    assert decision.exempt_paragraph == 3

    forward_plan_urls = (reverse("decisions:forward_plan"), reverse("decisions:forward_plan_pdf"))

    def allowed(url):
        return FORWARD_PLAN_MARKERS if url.startswith(forward_plan_urls) else set()

    urls = app_urls(sample, decision, parts, issued)
    found = []
    for name, client in walkers.items():
        walked = urls + (admin_urls(decision, parts) if name in ADMIN_WALKERS else [])
        found += [(name, *leak) for leak in leaks(client, walked, allowed)]
    leaking_urls = {url.split("?")[0] for _name, url, _status, _hits in found}
    print(f"\n{path}: {len(found)} leaking responses on {len(leaking_urls)} URLs")
    for leak in found:
        print("LEAK", *leak)
    assert found == []

    # A cleared user reads it all: the markers are still there to find.
    html = body_text(clerk_client.get(decision.get_absolute_url())).lower()
    assert {"qzxsummary", "qzxheading", "qzxverb", "qzxattachment"} <= {
        m for m in MARKERS if m in html
    }
    contract_page = body_text(clerk_client.get(contract.get_absolute_url())).lower()
    assert "qzxcontractfile" in contract_page
