from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_roles(sender, **kwargs) -> None:
    from accounts.roles import ensure_roles

    ensure_roles()


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # After every migrate, so that new models' permissions reach the roles.
        post_migrate.connect(_ensure_roles, dispatch_uid="accounts.ensure_roles")
        from django.contrib.auth.signals import user_logged_in

        from accounts.middleware import record_sign_in_time

        user_logged_in.connect(record_sign_in_time, dispatch_uid="accounts.sign_in_time")
