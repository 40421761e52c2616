"""The site's name in e-mails: allauth reads it from django.contrib.sites, whose default row says
"example.com" (which reads as phishing). After every migrate the row follows SITE_URL and the
platform's name."""

from urllib.parse import urlsplit

from django.conf import settings


def site_name_sync(sender=None, **kwargs):
    from django.contrib.sites.models import Site

    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    Site.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.PLATFORM_NAME}
    )
