from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, ProtectedError, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from audit.history import combined_history, history_rows
from audit.versioning import EditConflict
from contracts import csv_format, portfolio, rules, services
from contracts.figures import figures_for
from contracts.filters import ALL, CURRENT, AuthorityFilter, ContractFilter, ProviderFilter
from contracts.forms import (
    AuthorityForm,
    ContractAttachmentForm,
    ContractForm,
    OptionDecisionForm,
    OptionFormSetFactory,
    ProviderForm,
    ShareFormSetFactory,
)
from contracts.models import (
    Authority,
    Contract,
    ContractAttachment,
    Provider,
    ShareFigures,
)
from contracts.tables import (
    STATUS_TAGS,
    AuthorityTable,
    ContractTable,
    ProviderTable,
    register_rows,
)
from contracts.timeline import timeline_svg
from ui import attachments, exports, imports, registry
from ui.edit import delete_or_refuse, edit_view, form_status
from ui.forms import ADD_ROW, DeleteForm, with_another_row, without_errors
from ui.uploads import upload_limit
from ui.views import RegisterView


class AuthorityList(RegisterView):
    permission_required = "contracts.view_authority"
    model = Authority
    table_class = AuthorityTable
    filterset_class = AuthorityFilter
    title = "Authorities"
    export_name = "authorities"
    create_url_name = "contracts:authority_create"
    create_permission = "contracts.add_authority"
    empty_text = "No authorities match. Clear the filters, or add an authority."


class ProviderList(RegisterView):
    permission_required = "contracts.view_provider"
    model = Provider
    table_class = ProviderTable
    filterset_class = ProviderFilter
    title = "Providers"
    export_name = "providers"
    create_url_name = "contracts:provider_create"
    create_permission = "contracts.add_provider"
    empty_text = "No providers match. Clear the filters, or add a provider."
    filter_hint = "Search by name, charity or company number, or postcode."


# The latest changes shown on a provider's or an authority's page; all of them are on
# its history page (linked), which also shows it as it stood on a date.
HISTORY_ROWS = 20


@permission_required("contracts.view_authority", raise_exception=True)
def authority_detail(request, pk: int):
    authority = get_object_or_404(Authority, pk=pk)
    return render(
        request,
        "contracts/authority_detail.html",
        {
            "authority": authority,
            "portfolio": portfolio.for_authority(authority, timezone.localdate()),
            "panels": registry.panels_for(registry.AUTHORITY_PANELS, authority, request.user),
            "history": history_rows(authority.history.all(), request.user, limit=HISTORY_ROWS),
        },
    )


@permission_required("contracts.add_authority", raise_exception=True)
def authority_create(request):
    return edit_view(
        request,
        form_class=AuthorityForm,
        template="contracts/authority_form.html",
        title="Add an authority",
        cancel_url=reverse("contracts:authority_list"),
    )


@permission_required("contracts.change_authority", raise_exception=True)
def authority_edit(request, pk: int):
    authority = get_object_or_404(Authority, pk=pk)
    return edit_view(
        request,
        form_class=AuthorityForm,
        instance=authority,
        template="contracts/authority_form.html",
        title=f"Edit {authority}",
        cancel_url=authority.get_absolute_url(),
    )


@permission_required("contracts.view_provider", raise_exception=True)
def provider_detail(request, pk: int):
    provider = get_object_or_404(Provider, pk=pk)
    return render(
        request,
        "contracts/provider_detail.html",
        {
            "provider": provider,
            "portfolio": portfolio.for_provider(provider, timezone.localdate()),
            "panels": registry.panels_for(registry.PROVIDER_PANELS, provider, request.user),
            "history": history_rows(provider.history.all(), request.user, limit=HISTORY_ROWS),
        },
    )


@permission_required("contracts.add_provider", raise_exception=True)
def provider_create(request):
    return edit_view(
        request,
        form_class=ProviderForm,
        template="contracts/provider_form.html",
        title="Add a provider",
        cancel_url=reverse("contracts:provider_list"),
    )


@permission_required("contracts.change_provider", raise_exception=True)
def provider_edit(request, pk: int):
    provider = get_object_or_404(Provider, pk=pk)
    return edit_view(
        request,
        form_class=ProviderForm,
        instance=provider,
        template="contracts/provider_form.html",
        title=f"Edit {provider}",
        cancel_url=provider.get_absolute_url(),
    )


# --- Contracts -----------------------------------------------------------------------

# Other apps add a section to the contract page: ``contract_panel(contract, user)``
# returns None or a dict with "template" and its context (see contract_detail).


class ContractList(RegisterView):
    permission_required = "contracts.view_contract"
    model = Contract
    table_class = ContractTable
    filterset_class = ContractFilter
    template_name = "contracts/contract_list.html"
    title = "Contracts"
    export_name = "contracts-register"
    create_url_name = "contracts:create"
    create_permission = "contracts.add_contract"
    empty_text = "No contracts match. Clear the filters, or add a contract."
    filter_hint = "Search by reference, title, lot, notes or provider."

    def get_queryset(self):
        return Contract.objects.all()

    def get_table_data(self):
        # The filtered contracts with their stored figures and status: every column a
        # column, every sort an ORDER BY, and only the page's rows are fetched.
        self.today = timezone.localdate()
        return register_rows(self.object_list, self.today)

    def get_table_kwargs(self):
        return {**super().get_table_kwargs(), "today": getattr(self, "today", None)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["authority_totals"] = authority_totals(self.object_list)
        if self.filterset.form.data.get("status") == CURRENT:
            everything = self.request.GET.copy()
            everything.pop("page", None)
            everything["status"] = ALL
            context["show_all_query"] = everything.urlencode()
        return context


def authority_totals(contracts) -> list[tuple[str, object]]:
    """Each authority's part of the annual value of ``contracts`` (all filtered rows,
    not just this page), in name order, then the total: one aggregate over the stored
    shares (contracts.figures splits each contract to the penny, so the parts add up
    to the total exactly)."""
    shares = ShareFigures.objects.all()
    if contracts.query.has_filters():
        # Unfiltered, every stored share counts (each belongs to a contract): no join
        # back to the contracts, which halves the query at 100,000 contracts.
        shares = shares.filter(contract__in=contracts.values("pk"))
    parts = sorted(shares.values_list("authority__name").annotate(total=Sum("annual")).order_by())
    if not parts:
        return []
    return [*parts, ("Total", sum(amount for _, amount in parts))]


def _contract_or_404(pk: int) -> Contract:
    return get_object_or_404(Contract.objects.with_related(), pk=pk)


def _panels(contract: Contract, user) -> list[dict]:
    """What the apps above add to the contract page (ui.registry)."""
    return [
        panel
        for contract_panel in registry.CONTRACT_PANELS
        if (panel := contract_panel(contract, user))
    ]


CONTRACT_HISTORY_ROWS = 200  # as audit.history.combined_history shows


@permission_required("contracts.view_contract", raise_exception=True)
def contract_detail(request, pk: int):
    contract = get_object_or_404(
        # The stored figures: the panels above read the value at award from them.
        Contract.objects.with_related()
        .select_related("stored")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=ContractAttachment.objects.select_related("uploaded_by", "withdrawn_by"),
            )
        ),
        pk=pk,
    )
    today = timezone.localdate()
    figures = figures_for(contract, today=today)
    history = combined_history(*Contract.history_with_parts(pk), user=request.user)
    shown_attachments = attachments.shown_to(
        request.user, contract.attachments.all(), withdrawn=True
    )
    options = sorted(contract.options.all(), key=lambda o: o.sequence)
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "figures": figures,
            "options": options,
            "next_option": contract.next_pending_option(),
            # The original and current values are shown side by side once it has any.
            "modified": bool(contract.modifications.all()),
            "status_tag": STATUS_TAGS.get(figures.status, "govuk-tag--grey"),
            "timeline": timeline_svg(contract, figures, today),
            "history": history,
            "panels": _panels(contract, request.user),
            "attachments": [a for a in shown_attachments if not a.withdrawn_at],
            "withdrawn_attachments": [a for a in shown_attachments if a.withdrawn_at],
            "attachment_form": ContractAttachmentForm(),
        },
    )


def _errors(form, *formsets) -> list[tuple[str, str]]:
    """(link, message) for the error summary: the form's and every formset row's."""
    found = [("#main-content", e) for e in form.non_field_errors()]
    found += [
        (f"#{form[name].auto_id}", e)
        for name in form.errors
        if name != "__all__"
        for e in form.errors[name]
    ]
    for formset in formsets:
        found += [(f"#{formset.prefix}", e) for e in formset.non_form_errors()]
        for row in formset.forms:
            for name, errors in row.errors.items():
                link = f"#{row[name].auto_id}" if name in row.fields else f"#{formset.prefix}"
                found += [(link, e) for e in errors]
    return found


def _contract_form_page(request, *, contract: Contract | None):
    data = request.POST if request.method == "POST" else None
    # "Add another option" and "Add another authority" post the form back for one more
    # blank row, without JavaScript: shown again as typed, nothing validated or saved.
    adding = data.get(ADD_ROW) if data is not None else None
    if adding not in ("options", "shares"):
        adding = None
    if adding:
        data = with_another_row(data, adding)
    form = ContractForm(data, instance=contract)
    options = OptionFormSetFactory(data, instance=contract, prefix="options")
    shares = ShareFormSetFactory(data, instance=contract, prefix="shares")
    conflict = None
    if adding:
        without_errors(form, options, shares)
    elif request.method == "POST":
        form_ok = form.is_valid()
        shares.annual_value = form.cleaned_data.get("annual_value") if form_ok else None
        if form_ok & options.is_valid() & shares.is_valid():
            try:
                saved = services.save_contract(
                    form=form,
                    options=options,
                    shares=shares,
                    expected_version=form.cleaned_data.get("version"),
                )
            except EditConflict as error:
                conflict = error
                # Keep what the user typed; saving again now means "keep mine". The
                # formsets are bound afresh: the refused save had begun on their rows.
                form.keep_input_after(error)
                options = OptionFormSetFactory(form.data, instance=contract, prefix="options")
                shares = ShareFormSetFactory(form.data, instance=contract, prefix="shares")
            else:
                messages.success(
                    request, f"Contract {saved.reference} {'updated' if contract else 'added'}."
                )
                return redirect(saved.get_absolute_url())
    cancel = contract.get_absolute_url() if contract else reverse("contracts:list")
    return render(
        request,
        "contracts/contract_form.html",
        {
            "form": form,
            "options": options,
            "shares": shares,
            "conflict": conflict,
            "errors": _errors(form, options, shares) if request.method == "POST" else [],
            "add_row": ADD_ROW,
            "contract": contract,
            "title": f"Edit contract {contract.reference}" if contract else "Add a contract",
            "cancel_url": cancel,
        },
        status=409 if conflict else 200,
    )


@permission_required("contracts.add_contract", raise_exception=True)
def contract_create(request):
    return _contract_form_page(request, contract=None)


@permission_required("contracts.change_contract", raise_exception=True)
def contract_edit(request, pk: int):
    return _contract_form_page(request, contract=_contract_or_404(pk))


@permission_required("contracts.change_contract", raise_exception=True)
def option_decide(request, pk: int):
    contract = _contract_or_404(pk)
    option = contract.next_pending_option()
    if option is None:
        messages.info(request, "This contract has no pending extension options to decide.")
        return redirect(contract.get_absolute_url())
    form = OptionDecisionForm(
        request.POST or None,
        initial={"decided_on": timezone.localdate().strftime("%d/%m/%Y")},
        authority_ids={contract.lead_authority_id}
        | {s.authority_id for s in contract.shares.all()},
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        posted_option = request.POST.get("option", "")
        try:
            decided = services.decide_option(
                contract_id=contract.pk,
                option_id=int(posted_option) if posted_option.isdigit() else -1,
                exercise=form.cleaned_data["outcome"] == form.Outcome.EXERCISE,
                decided_on=form.cleaned_data["decided_on"],
                reason=form.cleaned_data["reason"],
                decision=form.cleaned_data["authorising_decision"],
            )
        except services.OptionOutOfTurn:
            messages.error(
                request,
                "That option was decided by someone else meanwhile. Check the contract "
                "before deciding the next one.",
            )
            return redirect(contract.get_absolute_url())
        except ValidationError as error:
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(
                request, f"Option {decided.sequence} {decided.get_status_display().lower()}."
            )
            return redirect(contract.get_absolute_url())
    figures = figures_for(contract)
    return render(
        request,
        "contracts/option_decide.html",
        {
            "form": form,
            "contract": contract,
            "option": option,
            "figures": figures,
            # Earlier options are all decided, so this one would follow the current end.
            "end_if_exercised": rules.extend_end(figures.current_end, option.months),
            "title": f"Decide option {option.sequence} of {contract.reference}",
            "cancel_url": contract.get_absolute_url(),
        },
    )


@permission_required("contracts.delete_contract", raise_exception=True)
def contract_delete(request, pk: int):
    contract = _contract_or_404(pk)
    form = DeleteForm(request.POST if request.method == "POST" else None, instance=contract)
    if request.method == "POST" and form.is_valid():
        response = _delete_contract(request, form, contract, form.cleaned_data["reason"])
        if response is not None:
            return response
    return render(
        request,
        "contracts/contract_confirm_delete.html",
        {"contract": contract, "figures": figures_for(contract), "form": form},
        status=form_status(form),
    )


def _delete_contract(request, form, contract: Contract, reason: str):
    """The redirect after deleting, or None when the form is to be shown again."""
    reference = contract.reference
    try:
        if not delete_or_refuse(
            form, lambda: services.delete_contract(contract=contract, reason=reason)
        ):
            return None
    except ProtectedError:
        messages.error(
            request,
            f"Contract {reference} cannot be deleted because other records depend on it.",
        )
        return redirect(contract.get_absolute_url())
    messages.success(request, f"Contract {reference} deleted.")
    return redirect("contracts:list")


@upload_limit(imports.MAX_BYTES)
@permission_required("contracts.add_contract", raise_exception=True)
def contract_import(request):
    """Upload, preview, then confirm: nothing is written until the user confirms, and
    then the whole file is written or none of it (ui.imports)."""
    return imports.import_view(request, csv_format.IMPORTER)


@permission_required("contracts.view_contract", raise_exception=True)
def contract_export(request):
    """The register's filtered rows in the documented CSV format."""
    filtered = ContractFilter(request.GET, queryset=Contract.objects.all())
    contracts = filtered.qs if filtered.is_valid() else Contract.objects.all()
    return exports.csv_response(csv_format.export_rows(contracts.with_related()), "contracts.csv")


# --- Attachments: the signed contract, variations, notices -------------------------------
# What a user sees of a file is ui.attachments' to decide (a file may be exempt under
# Schedule 12A on its own: 403 to a user not cleared).


def _attachments_back(contract: Contract) -> str:
    return f"{contract.get_absolute_url()}#attachments"


@upload_limit(attachments.MAX_BYTES)
@permission_required("contracts.add_contractattachment", raise_exception=True)
def attachment_add(request, pk: int):
    contract = get_object_or_404(Contract, pk=pk)
    return attachments.upload_page(
        request,
        attachment=ContractAttachment(contract=contract),
        form_class=ContractAttachmentForm,
        back=_attachments_back(contract),
        caption=f"Contract {contract.reference}: {contract.title}",
    )


@permission_required("contracts.view_contractattachment", raise_exception=True)
def attachment_download(request, pk: int, attachment_pk: int):
    attachment = attachments.get_readable(
        ContractAttachment, request.user, pk=attachment_pk, contract_id=pk
    )
    return attachments.download_response(attachment)


@permission_required("contracts.change_contractattachment", raise_exception=True)
def attachment_withdraw(request, pk: int, attachment_pk: int):
    attachment = attachments.get_readable(
        ContractAttachment, request.user, pk=attachment_pk, contract_id=pk
    )
    contract = attachment.contract
    return attachments.withdraw_page(
        request,
        attachment=attachment,
        back=_attachments_back(contract),
        caption=f"Contract {contract.reference}: {contract.title}",
    )
