from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "spilka.network"
    label = "network"
    verbose_name = _("Network directory")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from spilka.network import personal_data

        personal_data.register()
        # Roles given to an address before it had an account become its roles on the first
        # sign-in: one hook for every way of signing in (password, second factor).
        user_logged_in.connect(_claim_role_invitations, dispatch_uid="network.role_invitations")


def _claim_role_invitations(sender, user, **kwargs):  # type: ignore[no-untyped-def]
    from spilka.network.roles import role_invitations_claim

    role_invitations_claim(user=user)
