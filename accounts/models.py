from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .timezones import DEFAULT_TIME_ZONE, time_zone_validate


class UserManager(BaseUserManager):
    """Users log in by e-mail; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """One account per person. The profile (the name printed on certificates,
    language, country) lives on the user row itself: it is read on almost every
    page and a separate table would only add a join."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(
        _("given name(s)"),
        max_length=150,
        blank=True,
        help_text=_("Exactly as it must be printed on certificates."),
    )
    last_name = models.CharField(
        _("family name"),
        max_length=150,
        blank=True,
        help_text=_("Exactly as it must be printed on certificates."),
    )
    language = models.CharField(_("preferred language"), max_length=8, default="en")
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code, e.g. DE."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[time_zone_validate],
        help_text=_("IANA name, e.g. Europe/Berlin: every date and time is shown in this zone."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(condition=~models.Q(time_zone=""), name="accounts_user_time_zone_set"),
        ]

    def __str__(self):
        return self.email

    @property
    def printed_name(self):
        """The holder name as printed on certificates."""
        return (
            " ".join(part for part in (self.first_name.strip(), self.last_name.strip()) if part) or self.email
        )

    def get_full_name(self):
        return self.printed_name

    def get_short_name(self):
        return self.first_name or self.email


class AuditEntry(models.Model):
    """Append-only record of state changes that matter (who, what, when, why).

    Written by service functions in the same transaction as the change itself,
    so an audited change and its audit entry commit or roll back together."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64)
    target_id = models.CharField(max_length=64)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
