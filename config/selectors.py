"""Reads for the site's own pages (the home page), gathered from the apps below config."""

from courses.models import CoursePage
from exams.selectors import certifications_list

CATALOGUE_URL = "/courses/"


def home_levels(*, request):
    """The certification levels for the home page's cards, each with the page its card leads to:
    the live course that prepares for the certification, or the catalogue for a certification no
    course teaches (one derived from others)."""
    certifications = list(certifications_list())
    course_urls = {}
    pages = CoursePage.objects.live().filter(certification__in=certifications).order_by("path")
    for page in pages:
        course_urls.setdefault(page.certification_id, page.get_url(request=request))
    return [{"certification": c, "url": course_urls.get(c.pk) or CATALOGUE_URL} for c in certifications]
