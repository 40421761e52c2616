"""Loads content/courses and content/glossary.yaml into Wagtail, idempotently.

Pages are keyed by slug. A page is updated when its source changed since the
last load; a page edited in the CMS since the last load (its latest revision is
not the one the loader made) is left alone and reported."""

import hashlib
import json

from django.db import transaction
from wagtail.models import Page, Site

from courses.models import CatalogueIndexPage, CoursePage, GlossaryTerm, InfoPage, LessonPage, ModulePage
from exams.models import Certification

from .loader import CONTENT_DIR, ContentError, read_yaml


def _hash(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _site_root():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ContentError("No default Wagtail site; run migrate first.")
    return site.root_page


def _upsert(model, parent, slug, fields, source, report):
    """Create or update one page under parent; returns the page."""
    digest = _hash(source)
    page = model.objects.filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        action = "created"
    else:
        if page.loaded_revision_id and page.latest_revision_id != page.loaded_revision_id:
            report.append(f"left alone (edited in the CMS): {model.__name__} {slug}")
            return page
        if page.source_hash == digest:
            return page
        for name, value in fields.items():
            setattr(page, name, value)
        action = "updated"
    page.source_hash = digest
    revision = page.save_revision()
    revision.publish()
    model.objects.filter(pk=page.pk).update(source_hash=digest, loaded_revision_id=revision.pk)
    report.append(f"{action}: {model.__name__} {slug}")
    return model.objects.get(pk=page.pk)


INFO_PAGES = ("privacy", "imprint", "terms", "contact", "candidate-handbook")


def info_pages_load(root, report):
    """The platform's own pages (content/pages/<slug>.yaml) at the site root, linked from the footer."""
    for slug in INFO_PAGES:
        path = CONTENT_DIR / "pages" / f"{slug}.yaml"
        data = read_yaml(path)
        if not isinstance(data, dict) or data.get("slug") != slug:
            raise ContentError(f"{path.name}: needs slug {slug!r}, a title and a body")
        _upsert(
            InfoPage,
            root,
            slug,
            {
                "title": data["title"],
                "summary": data.get("summary", ""),
                "body": _body(data.get("body"), path.name),
            },
            data,
            report,
        )


def _body(blocks, where):
    out = []
    for i, block in enumerate(blocks or [], start=1):
        if not isinstance(block, dict) or "type" not in block:
            raise ContentError(f"{where}: block {i} needs a type and a value")
        out.append({"type": block["type"], "value": block.get("value")})
    return out


def glossary_load(report):
    data = read_yaml(CONTENT_DIR / "glossary.yaml") or {}
    for t in data.get("terms") or []:
        _, created = GlossaryTerm.objects.update_or_create(
            slug=t["slug"],
            defaults={"term": t["term"], "definition": t["definition"], "see_also": t.get("see_also") or []},
        )
        if created:
            report.append(f"created: glossary term {t['slug']}")


@transaction.atomic
def courses_load():
    """Load glossary and courses; return report lines (only what changed or was skipped)."""
    report = []
    glossary_load(report)
    root = _site_root()
    info_pages_load(root, report)
    catalogue = _upsert(
        CatalogueIndexPage,
        root,
        "courses",
        {"title": "Courses", "intro": "Learn FitSM from the basics to both Advanced levels."},
        {"title": "Courses"},
        report,
    )
    for course_file in sorted(CONTENT_DIR.glob("courses/*/course.yaml")):
        data = read_yaml(course_file)
        certification = Certification.objects.filter(code=data["certification"]).first()
        if certification is None:
            raise ContentError(f"{course_file}: unknown certification {data['certification']!r}")
        course = _upsert(
            CoursePage,
            catalogue,
            data["slug"],
            {
                "title": data["title"],
                "certification": certification,
                "summary": data.get("summary", ""),
                "audience": data.get("audience", ""),
                "prerequisites_text": data.get("prerequisites", ""),
                "outcomes": data.get("outcomes") or [],
                "study_hours": data.get("study_hours", 1),
            },
            {k: v for k, v in data.items() if k != "modules"},
            report,
        )
        lessons_dir = course_file.parent / "lessons"
        for module in data.get("modules") or []:
            module_page = _upsert(
                ModulePage,
                course,
                module["slug"],
                {"title": module["title"], "summary": module.get("summary", "")},
                {k: v for k, v in module.items() if k != "lessons"},
                report,
            )
            for slug in module.get("lessons") or []:
                path = lessons_dir / f"{slug}.yaml"
                if not path.exists():
                    raise ContentError(f"{course_file}: lesson {slug} has no file {path.name}")
                lesson = read_yaml(path)
                _upsert(
                    LessonPage,
                    module_page,
                    lesson["slug"],
                    {
                        "title": lesson["title"],
                        "minutes": lesson.get("minutes", 20),
                        "objectives": lesson.get("objectives") or [],
                        "references": lesson.get("references") or [],
                        "body": _body(lesson.get("body"), path.name),
                    },
                    lesson,
                    report,
                )
    return report


def page_count():
    return Page.objects.type(CatalogueIndexPage, CoursePage, ModulePage, LessonPage).count()
