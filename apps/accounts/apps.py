from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        # After every migrate, curators get all permissions on the curated apps' models, so a
        # model added by a later migration is editable in the admin without a manual step.
        post_migrate.connect(_sync_curators, dispatch_uid="accounts.curator_permissions")


def _sync_curators(sender, **kwargs):
    from django.conf import settings

    from apps.accounts.services import curator_group_sync_permissions

    # post_migrate is sent once per app; only a curated app's permissions can have changed.
    if sender.label in settings.CURATOR_APPS:
        curator_group_sync_permissions()
