"""Course pages in Wagtail. Pages (not snippets) because each has a public URL,
revisions and publishing; the tree is strict: catalogue → course → module → lesson.
The glossary is a snippet: terms have no page of their own, they are listed on
/glossary/ and linked from lessons.

Pages and terms exist once per language (courses.locales); a learner's enrolment, completions
and attempts point at the original (English) page, whatever language they read it in."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index

from .blocks import InfoStreamBlock, LessonStreamBlock
from .caching import CachedForAnonymousMixin


class LoadedFromContent(models.Model):
    """Bookkeeping of `load_fitsm`: what it loaded, so a page edited in the CMS since is left alone."""

    source_hash = models.CharField(max_length=64, blank=True, editable=False)
    loaded_revision_id = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


class InLanguagesMixin:
    """For course pages: the page's content language (for `<html lang>`), its versions in the
    other languages, and the note shown when it is not in the reader's language (courses.locales)."""

    def get_context(self, request, *args, **kwargs):
        from .locales import page_language_state

        context = super().get_context(request, *args, **kwargs)
        context.update(page_language_state(page=self, request=request))
        return context


class CatalogueIndexPage(InLanguagesMixin, CachedForAnonymousMixin, LoadedFromContent, Page):
    intro = models.TextField(blank=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1
    content_panels = Page.content_panels + [FieldPanel("intro")]

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_courses

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = catalogue_courses(catalogue=self)
        return context


class CoursePage(InLanguagesMixin, CachedForAnonymousMixin, LoadedFromContent, Page):
    certification = models.ForeignKey(
        "exams.Certification", on_delete=models.PROTECT, related_name="course_pages"
    )
    summary = models.TextField()
    audience = models.TextField(blank=True)
    prerequisites_text = models.TextField(_("prerequisites"), blank=True)
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
        from .selectors import course_page_state

        context = super().get_context(request, *args, **kwargs)
        context.update(course_page_state(user=request.user, course=self))
        return context


class ModulePage(InLanguagesMixin, CachedForAnonymousMixin, LoadedFromContent, Page):
    summary = models.TextField(blank=True)

    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    content_panels = Page.content_panels + [FieldPanel("summary")]

    def get_context(self, request, *args, **kwargs):
        from .selectors import lessons_done_ids, module_lessons

        context = super().get_context(request, *args, **kwargs)
        context["lessons"] = module_lessons(module=self)
        context["done_ids"] = lessons_done_ids(user=request.user, lessons=context["lessons"])
        return context


class LessonPage(InLanguagesMixin, CachedForAnonymousMixin, LoadedFromContent, Page):
    minutes = models.PositiveSmallIntegerField(default=20)
    objectives = models.JSONField(default=list, blank=True)
    references = models.JSONField(default=list, blank=True)
    body = StreamField(LessonStreamBlock(), use_json_field=True)

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("minutes"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_learning_state

        context = super().get_context(request, *args, **kwargs)
        context["module"] = self.get_parent().specific
        context["course"] = context["module"].get_parent().specific
        context.update(
            lesson_learning_state(
                user=request.user, lesson=self, course=context["course"], posted=kwargs.get("posted")
            )
        )
        return context


class GlossaryTerm(TranslatableMixin, index.Indexed, models.Model):
    """One term in one language; its versions in the other languages share its translation_key
    and its slug (the anchor lessons link to)."""

    slug = models.SlugField()
    term = models.CharField(max_length=120)
    definition = models.TextField()
    see_also = models.JSONField(default=list, blank=True)

    search_fields = [
        index.SearchField("term"),
        index.SearchField("definition"),
        index.FilterField("locale"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="courses_glossary_slug_per_locale")
        ]

    def __str__(self):
        return self.term


class Enrolment(models.Model):
    """A learner following a course. A row per learner and course (not a flag on the user), since a
    learner follows several courses; the unique constraint makes enrolling twice the same enrolment.
    Progress is not stored here: it is derived from LessonCompletion rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_enrolments"
    )
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    enrolled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="courses_enrolment_once")]

    def __str__(self):
        return f"{self.user} in {self.course_id}"


class LessonCompletion(models.Model):
    """That a learner completed a lesson, once (unique per learner and lesson), and how. Module and
    course progress are counted from these rows, never stored a second time."""

    class How(models.TextChoices):
        MARKED = "marked", _("Marked as complete")
        KNOWLEDGE_CHECK = "knowledge_check", _("Passed the knowledge check")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)
    how = models.CharField(max_length=16, choices=How.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="courses_lesson_completed_once"),
            models.CheckConstraint(
                condition=Q(how__in=["marked", "knowledge_check"]), name="courses_completion_how"
            ),
        ]
        indexes = [models.Index(fields=["user", "-completed_at"], name="courses_completion_recent")]


class KnowledgeCheckAttempt(models.Model):
    """One graded submission of a lesson's knowledge-check block. Kept (not overwritten) so the
    lesson page can show the feedback of the latest try and the record shows how a learner got
    there. `block_id` is the StreamField block's id; `answers` the chosen option index per question."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_check_attempts"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="knowledge_check_attempts")
    block_id = models.CharField(max_length=64)
    answers = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=F("total")), name="courses_check_score_in_range"),
            models.CheckConstraint(
                condition=Q(passed=False) | Q(score=F("total")), name="courses_check_passed_means_all_correct"
            ),
        ]
        indexes = [models.Index(fields=["user", "lesson", "-created_at"], name="courses_check_latest")]


class InfoPage(InLanguagesMixin, CachedForAnonymousMixin, LoadedFromContent, Page):
    """A page about the platform itself (privacy notice, imprint, terms, contact, candidate
    handbook): a Wagtail page so the certification body edits it in the CMS with history, linked
    from the footer by slug. Lives at the site root; has no children."""

    summary = models.TextField(blank=True)
    body = StreamField(InfoStreamBlock(), use_json_field=True)

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []
    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("body")]
