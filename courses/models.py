"""Course pages in Wagtail. Pages (not snippets) because each has a public URL,
revisions and publishing; the tree is strict: catalogue → course → module → lesson.
The glossary is a snippet: terms have no page of their own, they are listed on
/glossary/ and linked from lessons."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import LessonStreamBlock


class LoadedFromContent(models.Model):
    """Bookkeeping of `load_fitsm`: what it loaded, so a page edited in the CMS since is left alone."""

    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    loaded_revision_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class CatalogueIndexPage(LoadedFromContent, Page):
    intro = models.TextField(blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = CoursePage.objects.child_of(self).live().specific()
        return context


class CoursePage(LoadedFromContent, Page):
    certification = models.ForeignKey(
        "exams.Certification", on_delete=models.PROTECT, related_name="course_pages"
    )
    summary = models.TextField()
    audience = models.TextField(blank=True)
    prerequisites_text = models.TextField("prerequisites", blank=True)
    outcomes = models.JSONField(default=list, blank=True)
    study_hours = models.PositiveSmallIntegerField(default=1)

    parent_page_types = ["courses.CatalogueIndexPage"]
    subpage_types = ["courses.ModulePage"]
    content_panels = Page.content_panels + [
        FieldPanel("certification"),
        FieldPanel("summary"),
        FieldPanel("audience"),
        FieldPanel("prerequisites_text"),
        FieldPanel("study_hours"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        modules = []
        for module in ModulePage.objects.child_of(self).live().specific():
            modules.append({"page": module, "lessons": LessonPage.objects.child_of(module).live().specific()})
        context["modules"] = modules
        return context


class ModulePage(LoadedFromContent, Page):
    summary = models.TextField(blank=True)

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    content_panels = Page.content_panels + [FieldPanel("summary")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = LessonPage.objects.child_of(self).live().specific()
        return context


class LessonPage(LoadedFromContent, Page):
    minutes = models.PositiveSmallIntegerField(default=20)
    objectives = models.JSONField(default=list, blank=True)
    references = models.JSONField(default=list, blank=True)
    body = StreamField(LessonStreamBlock(), use_json_field=True)

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("minutes"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["module"] = self.get_parent().specific
        context["course"] = context["module"].get_parent().specific
        return context


class GlossaryTerm(index.Indexed, models.Model):
    slug = models.SlugField(unique=True)
    term = models.CharField(max_length=120)
    definition = models.TextField()
    see_also = models.JSONField(default=list, blank=True)

    search_fields = [index.SearchField("term"), index.SearchField("definition")]

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term
