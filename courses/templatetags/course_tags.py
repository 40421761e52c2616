import markdown as md
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def markdown(text):
    """Render trusted course Markdown (written in content/ or by CMS editors)."""
    return mark_safe(md.markdown(text or "", extensions=["sane_lists"]))  # noqa: S308
