from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from .site_name import site_name_sync

        post_migrate.connect(site_name_sync, sender=self, dispatch_uid="accounts.site_name_sync")
