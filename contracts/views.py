from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from audit.history import history_rows
from contracts.filters import AuthorityFilter, ProviderFilter
from contracts.forms import AuthorityForm, ProviderForm
from contracts.models import Authority, Provider
from contracts.tables import AuthorityTable, ProviderTable
from ui.edit import edit_view
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


@permission_required("contracts.view_authority", raise_exception=True)
def authority_detail(request, pk: int):
    authority = get_object_or_404(Authority, pk=pk)
    return render(
        request,
        "contracts/authority_detail.html",
        {"authority": authority, "history": history_rows(authority.history.all(), request.user)},
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
        {"provider": provider, "history": history_rows(provider.history.all(), request.user)},
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
