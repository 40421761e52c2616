"""The examiner's CMS dashboard: recent revocations and suspensions of certificates."""

from datetime import timedelta

from django.utils import timezone
from wagtail.admin.ui.components import Component

from accounts.roles import is_examiner

from .models import Certificate


class CertificateDecisionsPanel(Component):
    name = "certificate_decisions"
    template_name = "certificates/admin/decisions_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        since = timezone.now() - timedelta(days=30)
        revoked = Certificate.objects.filter(revoked_at__gte=since).order_by("-revoked_at")[:10]
        suspended = Certificate.objects.filter(suspended_at__isnull=False, revoked_at__isnull=True).order_by(
            "-suspended_at"
        )[:10]
        return {"revoked": revoked, "suspended": suspended}


def certificate_panels(request, panels):
    if is_examiner(request.user):
        panels.append(CertificateDecisionsPanel())
