import markdown as md
from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def markdown(text):
    """Render trusted course Markdown (written in content/ or by CMS editors)."""
    return mark_safe(md.markdown(text or "", extensions=["sane_lists"]))  # noqa: S308


@register.filter
def knowledge_check(checks, block_id):
    """The state of one knowledge-check block (see courses.selectors.lesson_learning_state)."""
    return (checks or {}).get(str(block_id), {})
