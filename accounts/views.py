"""User management for administrators, in the app: list, invite, change, deactivate.

Users are never deleted (accounts.models): a leaver is deactivated, keeping their name
on everything they did. Every change has a reason, kept in the user's history.

Every signed-in user also has their own calendar page (``calendar``): the secret
address of their deadlines calendar (public.calendars), made or reset there.
"""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.filters import UserFilter
from accounts.forms import UserForm
from accounts.models import User
from accounts.tables import UserTable
from ui.edit import edit_view, form_status, save_or_refuse, save_with_history
from ui.views import RegisterView


class UserList(RegisterView):
    permission_required = "accounts.view_user"
    model = User
    table_class = UserTable
    filterset_class = UserFilter
    title = "Users"
    export_name = "users"
    create_url_name = "accounts:user_create"
    create_permission = "accounts.add_user"
    empty_text = "No users match. Clear the filters, or invite a user."
    filter_hint = "Search by username, name or email."

    def get_queryset(self):
        return User.objects.prefetch_related("groups")


@permission_required("accounts.add_user", raise_exception=True)
def user_create(request):
    """Invite a user: the account is made without a password and an email asks them to
    set one. Nothing is sent unless the account is saved."""
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def invite(form):
            form.instance.set_unusable_password()  # until they follow the invitation
            user = save_with_history(form, reason=form.cleaned_data["reason"])
            base_url = request.build_absolute_uri("/")
            transaction.on_commit(
                lambda: services.send_invitation(user, invited_by=request.user, base_url=base_url)
            )
            return user

        user = save_or_refuse(form, invite)
        if user is not None:
            messages.success(
                request, f"{user.get_full_name()} invited: an email went to {user.email}."
            )
            return redirect("accounts:user_list")
    return render(
        request,
        "includes/form_page.html",
        {"form": form, "title": "Invite a user", "cancel_url": reverse("accounts:user_list")},
        status=form_status(form),
    )


@permission_required("accounts.change_user", raise_exception=True)
def user_edit(request, pk: int):
    user = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    return edit_view(
        request,
        form_class=UserForm,
        instance=user,
        template="accounts/user_form.html",
        title=f"Change {user.get_full_name() or user.username}",
        cancel_url=reverse("accounts:user_list"),
        context={"history_url": reverse("audit:record", args=["accounts.user", user.pk])},
    )


# The new address, kept in the session from the reset to the page that shows it once.
NEW_CALENDAR_TOKEN = "new_calendar_token"


@require_http_methods(["GET", "POST"])
def calendar(request):
    """The signed-in user's deadlines calendar: make its secret address, or reset it.

    Only the token's SHA-256 is stored (User.new_calendar_token), so the address is
    shown once, on the page a reset leads to. Resetting an existing address asks for
    confirmation first; once reset, the old address answers 404.
    """
    user = request.user
    if request.method == "POST":
        if user.calendar_token_hash and request.POST.get("confirm") != "yes":
            return render(request, "accounts/calendar.html", {"confirming": True})
        token = user.new_calendar_token()
        request.session[NEW_CALENDAR_TOKEN] = token
        messages.success(
            request, "Your calendar has a new address. Any old address no longer works."
        )
        return redirect("accounts:calendar")
    token = request.session.pop(NEW_CALENDAR_TOKEN, None)
    # A token from an earlier reset that has since been replaced is not shown.
    if not user.holds_calendar_token(token):
        token = None
    address = (
        request.build_absolute_uri(reverse("public:my_calendar", kwargs={"token": token}))
        if token
        else ""
    )
    return render(
        request,
        "accounts/calendar.html",
        {"address": address, "has_address": bool(user.calendar_token_hash)},
    )
