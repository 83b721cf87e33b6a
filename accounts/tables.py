import django_tables2 as tables

from accounts.models import User
from accounts.roles import role_from_groups
from ui.tables import Table


class UserTable(Table):
    username = tables.Column(linkify=("accounts:user_edit", [tables.A("pk")]))
    name = tables.Column(
        accessor="last_name", verbose_name="Name", order_by=("last_name", "first_name")
    )
    email = tables.Column(verbose_name="Email")
    role = tables.Column(accessor="pk", verbose_name="Role", orderable=False)
    cleared_for_exempt = tables.BooleanColumn(verbose_name="Exempt clearance")
    is_active = tables.BooleanColumn(verbose_name="Can sign in")
    last_login = tables.DateTimeColumn(
        verbose_name="Last sign-in", format="j M Y H:i", default="Never"
    )

    class Meta:
        model = User
        fields = ("username", "name", "email", "role", "cleared_for_exempt", "is_active")
        sequence = (
            "username",
            "name",
            "email",
            "role",
            "cleared_for_exempt",
            "is_active",
            "last_login",
        )
        attrs = {"class": "govuk-table"}
        order_by = ("last_name", "first_name")

    def render_role(self, record) -> str:
        # From the prefetched groups (accounts.views.UserList): no query per row.
        return role_from_groups(record, [group.name for group in record.groups.all()])

    def value_role(self, record) -> str:
        return self.render_role(record)

    def render_name(self, record) -> str:
        return record.get_full_name()

    def value_name(self, record) -> str:
        return record.get_full_name()
