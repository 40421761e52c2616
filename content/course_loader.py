"""Loads content/courses and content/glossary.yaml into Wagtail, idempotently, with their
translations: content/courses/<course>/locale/<lang>/ and content/glossary.<lang>.yaml.

English is the source language. English pages are keyed by slug; a translation is keyed by the
English page it translates (same translation_key, in its language's page tree under the site
root's translation). A page is updated when its source changed since the last load; a page edited
in the CMS since the last load (its latest revision is not the one the loader made) is left alone
and reported.

A translation carries the wording only: its structure (modules, lessons, block types, knowledge
checks and their correct options, glossary links) must be the English one, or the load stops with
a ContentError that says where. Missing translation files are fine: the English page is shown in
their place."""

import hashlib
import json

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page, Site

from courses.locales import content_languages, source_language
from courses.models import CatalogueIndexPage, CoursePage, GlossaryTerm, InfoPage, LessonPage, ModulePage
from exams.models import Certification

from .loader import CONTENT_DIR, ContentError, read_yaml

CATALOGUE_TITLE = _("Courses")
CATALOGUE_INTRO = _("Learn FitSM from the basics to both Advanced levels.")

# Values of lesson blocks that are identity, not wording: a translation keeps them as they are.
_SAME_VALUE = ("glossary", "kind", "correct", "id")


def _hash(data):
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _site_root():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        raise ContentError("No default Wagtail site; run migrate first.")
    return site.root_page


def _locale(language):
    locale, _created = Locale.objects.get_or_create(language_code=language)
    return locale


def _upsert(model, parent, slug, fields, source, report, *, translation_of=None, locale=None):
    """Create or update one page under parent; returns the page. With `translation_of`, the page
    is that page's version in `locale`."""
    digest = _hash(source)
    if translation_of is not None:
        page = model.objects.filter(translation_key=translation_of.translation_key, locale=locale).first()
        name = f"{model.__name__} {translation_of.slug} ({locale.language_code})"
    else:
        locale = _locale(source_language())
        page = model.objects.filter(slug=slug, locale=locale).first()
        name = f"{model.__name__} {slug}"
    if page is None:
        page = model(slug=slug, locale=locale, **fields)
        if translation_of is not None:
            page.translation_key = translation_of.translation_key
        parent.add_child(instance=page)
        action = "created"
    else:
        if page.loaded_revision_id and page.latest_revision_id != page.loaded_revision_id:
            report.append(f"left alone (edited in the CMS): {name}")
            return page
        if page.source_hash == digest:
            return page
        if translation_of is not None and page.slug != slug:
            page.slug = slug
        for key, value in fields.items():
            setattr(page, key, value)
        action = "updated"
    page.source_hash = digest
    revision = page.save_revision()
    revision.publish()
    model.objects.filter(pk=page.pk).update(source_hash=digest, loaded_revision_id=revision.pk)
    report.append(f"{action}: {name}")
    return model.objects.get(pk=page.pk)


INFO_PAGES = ("privacy", "imprint", "terms", "contact", "candidate-handbook")


def info_pages_load(root, report, content_dir=None):
    """The platform's own pages (content/pages/<slug>.yaml) at the site root, linked from the footer."""
    for slug in INFO_PAGES:
        path = (content_dir or CONTENT_DIR) / "pages" / f"{slug}.yaml"
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
        info_page_translations_load(path, data, root, report)


def info_page_translations_load(english_path, english, root, report):
    """content/pages/locale/<lang>/<slug>.yaml: an info page's version in that language, the
    English blocks' types in the same order, under that language's site root."""
    original = InfoPage.objects.filter(slug=english["slug"], locale__language_code=source_language()).first()
    english_blocks = _body(english.get("body"), english_path.name)
    for language in content_languages():
        path = english_path.parent / "locale" / language / english_path.name
        if language == source_language() or not path.exists() or original is None:
            continue
        where = _where(path)
        data = read_yaml(path)
        if not isinstance(data, dict) or data.get("slug") != english["slug"] or not data.get("title"):
            raise ContentError(f"{where}: needs slug {english['slug']!r}, a title and a body")
        body = data.get("body") or []
        if not isinstance(body, list) or len(body) != len(english_blocks):
            count = len(body) if isinstance(body, list) else type(body).__name__
            raise ContentError(f"{where}: {count} blocks, the English page has {len(english_blocks)}")
        for i, (block, theirs) in enumerate(zip(body, english_blocks, strict=True), start=1):
            if not isinstance(block, dict) or block.get("type") != theirs["type"]:
                kind = block.get("type") if isinstance(block, dict) else block
                raise ContentError(f"{where}: block {i} is {kind!r}, the English page has {theirs['type']!r}")
            _same_shape(theirs["value"], block.get("value"), f"{where}: block {i} ({theirs['type']})", "")
        _upsert(
            InfoPage,
            _locale_root(language, report),
            original.slug,
            {"title": data["title"], "summary": data.get("summary", ""), "body": _body(body, where)},
            data,
            report,
            translation_of=original,
            locale=_locale(language),
        )


def _body(blocks, where, ids=None):
    out = []
    for i, block in enumerate(blocks or [], start=1):
        if not isinstance(block, dict) or "type" not in block:
            raise ContentError(f"{where}: block {i} needs a type and a value")
        row = {"type": block["type"], "value": block.get("value")}
        if ids and i <= len(ids) and ids[i - 1]:
            row["id"] = ids[i - 1]
        out.append(row)
    return out


# Glossary


def glossary_load(report, content_dir=None):
    english = _locale(source_language())
    data = read_yaml((content_dir or CONTENT_DIR) / "glossary.yaml") or {}
    for t in data.get("terms") or []:
        _, created = GlossaryTerm.objects.update_or_create(
            slug=t["slug"],
            locale=english,
            defaults={"term": t["term"], "definition": t["definition"], "see_also": t.get("see_also") or []},
        )
        if created:
            report.append(f"created: glossary term {t['slug']}")


def glossary_translations_load(report, content_dir=None):
    """content/glossary.<lang>.yaml: each term's version in that language, keyed by the English slug."""
    content_dir = content_dir or CONTENT_DIR
    english = {t.slug: t for t in GlossaryTerm.objects.filter(locale__language_code=source_language())}
    for language in content_languages():
        path = content_dir / f"glossary.{language}.yaml"
        if language == source_language() or not path.exists():
            continue
        locale = _locale(language)
        data = read_yaml(path) or {}
        terms = data.get("terms") if isinstance(data, dict) else None
        if not isinstance(terms, list):
            raise ContentError(f"{path.name}: expected a list of 'terms'")
        seen = set()
        for i, t in enumerate(terms, start=1):
            if not isinstance(t, dict) or not t.get("term") or not t.get("definition"):
                raise ContentError(f"{path.name}: term {i} needs a slug, a term and a definition")
            original = english.get(t.get("slug"))
            if original is None:
                raise ContentError(
                    f"{path.name}: term {i} has slug {t.get('slug')!r}, not a term of glossary.yaml"
                )
            if original.slug in seen:
                raise ContentError(f"{path.name}: term {original.slug!r} appears twice")
            seen.add(original.slug)
            if "see_also" in t and (t["see_also"] or []) != (original.see_also or []):
                raise ContentError(f"{path.name}: term {original.slug!r}: see_also must be the English one")
            _, created = GlossaryTerm.objects.update_or_create(
                translation_key=original.translation_key,
                locale=locale,
                defaults={
                    "slug": original.slug,
                    "term": t["term"],
                    "definition": t["definition"],
                    "see_also": original.see_also or [],
                },
            )
            if created:
                report.append(f"created: glossary term {original.slug} ({language})")


# Courses


@transaction.atomic
def courses_load(content_dir=None):
    """Load glossary and courses with their translations; return report lines (only what changed
    or was skipped). `content_dir` is content/ unless given (tests)."""
    content_dir = content_dir or CONTENT_DIR
    report = []
    glossary_load(report, content_dir)
    glossary_translations_load(report, content_dir)
    root = _site_root()
    info_pages_load(root, report, content_dir)
    catalogue = _upsert(
        CatalogueIndexPage,
        root,
        "courses",
        {"title": "Courses", "intro": "Learn FitSM from the basics to both Advanced levels."},
        {"title": "Courses"},
        report,
    )
    for course_file in sorted(content_dir.glob("courses/*/course.yaml")):
        data = read_yaml(course_file)
        certification = Certification.objects.filter(code=data["certification"]).first()
        if certification is None:
            raise ContentError(f"{course_file}: unknown certification {data['certification']!r}")
        course = _upsert(
            CoursePage,
            catalogue,
            data["slug"],
            _course_fields(data, data, certification),
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
        course_translations_load(course_file, data, course, report)
    return report


def _course_fields(data, english, certification):
    return {
        "title": data["title"],
        "certification": certification,
        "summary": data.get("summary", ""),
        "audience": data.get("audience", ""),
        "prerequisites_text": data.get("prerequisites", ""),
        "outcomes": data.get("outcomes") or [],
        "study_hours": english.get("study_hours", 1),
    }


def _locale_root(language, report):
    """The site root's version in a language (its page tree's root), created when missing."""
    root = _site_root()
    locale = _locale(language)
    if root.locale_id == locale.pk:
        return root
    version = root.get_translation_or_none(locale)
    if version is None:
        version = root.specific.copy_for_translation(locale)
        report.append(f"created: the site root in {language}")
    if not version.live:
        version.save_revision().publish()
    return version


def _catalogue_translation(catalogue, language, report):
    with translation.override(language):
        title, intro = str(CATALOGUE_TITLE), str(CATALOGUE_INTRO)
    return _upsert(
        CatalogueIndexPage,
        _locale_root(language, report),
        catalogue.slug,
        {"title": title, "intro": intro},
        {"title": title, "intro": intro},
        report,
        translation_of=catalogue,
        locale=_locale(language),
    )


def course_translations_load(course_file, english, course, report):
    """Every content/courses/<course>/locale/<lang>/ of one course, as translations of its pages."""
    locale_dir = course_file.parent / "locale"
    if not locale_dir.is_dir():
        return
    for folder in sorted(p for p in locale_dir.iterdir() if p.is_dir()):
        language = folder.name
        if language not in content_languages() or language == source_language():
            raise ContentError(f"{folder}: {language!r} is not one of the translated content languages")
        _course_translation_load(folder, language, english, course, report)


def _where(path):
    return str(path.relative_to(CONTENT_DIR)) if path.is_relative_to(CONTENT_DIR) else str(path)


def _course_translation_load(folder, language, english, course, report):
    course_path = folder / "course.yaml"
    lessons_dir = folder / "lessons"
    lesson_files = {p.stem: p for p in sorted(lessons_dir.glob("*.yaml"))} if lessons_dir.is_dir() else {}
    english_modules = {m["slug"]: m for m in english.get("modules") or []}
    module_of = {slug: m["slug"] for m in english_modules.values() for slug in m.get("lessons") or []}
    for stem in lesson_files:
        if stem not in module_of:
            raise ContentError(
                f"{_where(lesson_files[stem])}: {stem!r} is not a lesson of the English course {english['slug']!r}"
            )
    if not course_path.exists():
        return  # not translated yet: the English course is shown
    data = read_yaml(course_path)
    where = _where(course_path)
    if not isinstance(data, dict) or data.get("slug") != english["slug"]:
        raise ContentError(f"{where}: needs slug {english['slug']!r}, the English course's slug")
    if data.get("certification", english["certification"]) != english["certification"]:
        raise ContentError(
            f"{where}: certification must be the English course's ({english['certification']})"
        )
    translated_modules = {}
    for m in data.get("modules") or []:
        slug = m.get("slug") if isinstance(m, dict) else None
        if slug not in english_modules:
            raise ContentError(f"{where}: module {slug!r} is not a module of the English course")
        extra = [s for s in m.get("lessons") or [] if s not in (english_modules[slug].get("lessons") or [])]
        if extra:
            raise ContentError(f"{where}: module {slug!r} lists {extra}, not lessons of that English module")
        if not m.get("title"):
            raise ContentError(f"{where}: module {slug!r} needs a title")
        translated_modules[slug] = m
    locale = _locale(language)
    catalogue = _catalogue_translation(course.get_parent().specific, language, report)
    course_version = _upsert(
        CoursePage,
        catalogue,
        course.slug,
        _course_fields(data, english, course.certification),
        {
            "data": {k: v for k, v in data.items() if k != "modules"},
            "hours": english.get("study_hours", 1),
            "certification": english["certification"],
        },
        report,
        translation_of=course,
        locale=locale,
    )
    for slug in english_modules:
        module = ModulePage.objects.child_of(course).filter(slug=slug).first()
        lessons = [s for s in english_modules[slug].get("lessons") or [] if s in lesson_files]
        if slug not in translated_modules:
            if lessons:
                raise ContentError(
                    f"{_where(lesson_files[lessons[0]])}: its module {slug!r} is not translated in {where}"
                )
            continue
        if module is None:
            continue
        m = translated_modules[slug]
        module_version = _upsert(
            ModulePage,
            course_version,
            module.slug,
            {"title": m["title"], "summary": m.get("summary", "")},
            {k: v for k, v in m.items() if k != "lessons"},
            report,
            translation_of=module,
            locale=locale,
        )
        for lesson_slug in lessons:
            original = LessonPage.objects.child_of(module).filter(slug=lesson_slug).first()
            if original is None:
                continue
            english_lesson = read_yaml(folder.parent.parent / "lessons" / f"{lesson_slug}.yaml")
            _lesson_translation_load(
                lesson_files[lesson_slug], english_lesson, original, module_version, locale, report
            )


def _lesson_translation_load(path, english, original, parent, locale, report):
    where = _where(path)
    data = read_yaml(path)
    if not isinstance(data, dict) or data.get("slug") != original.slug:
        raise ContentError(f"{where}: needs slug {original.slug!r}, the English lesson's slug")
    if not data.get("title"):
        raise ContentError(f"{where}: needs a title")
    english_blocks = _body(english.get("body"), where)
    body = data.get("body") or []
    if not isinstance(body, list):
        raise ContentError(f"{where}: body must be a list of blocks")
    if len(body) != len(english_blocks):
        raise ContentError(f"{where}: {len(body)} blocks, the English lesson has {len(english_blocks)}")
    for i, (block, theirs) in enumerate(zip(body, english_blocks, strict=True), start=1):
        if not isinstance(block, dict) or block.get("type") != theirs["type"]:
            kind = block.get("type") if isinstance(block, dict) else block
            raise ContentError(
                f"{where}: block {i} is {kind!r}, the English lesson has {theirs['type']!r} there"
            )
        _same_shape(theirs["value"], block.get("value"), f"{where}: block {i} ({theirs['type']})", "")
    # The blocks keep the English blocks' ids, so a knowledge check is the same one in each language.
    ids = [b.get("id") for b in original.body.raw_data]
    url_slug = data.get("url_slug") or original.slug
    _upsert(
        LessonPage,
        parent,
        url_slug,
        {
            "title": data["title"],
            "minutes": original.minutes,
            "objectives": data.get("objectives") or [],
            "references": data.get("references") or original.references or [],
            "body": _body(body, where, ids),
        },
        {"data": data, "ids": ids, "minutes": original.minutes},
        report,
        translation_of=original,
        locale=locale,
    )


def _same_shape(english, value, where, at):
    """A translated block value has the English value's structure: the same keys and list
    lengths, and the same identity values (glossary links, kinds, correct options, ids)."""
    if isinstance(english, dict):
        if not isinstance(value, dict) or set(value) != set(english):
            found = sorted(value) if isinstance(value, dict) else type(value).__name__
            raise ContentError(f"{where}{at}: has {found}, the English lesson has {sorted(english)}")
        for key, item in english.items():
            here = f"{at}.{key}" if at else f" {key}"
            if key in _SAME_VALUE and value[key] != item:
                if key == "correct":
                    raise ContentError(
                        f"{where}{here}: the knowledge check's key differs from the English lesson "
                        f"(this option is {'correct' if item else 'wrong'} there)"
                    )
                raise ContentError(
                    f"{where}{here}: must be {item!r} as in the English lesson, not {value[key]!r}"
                )
            _same_shape(item, value[key], where, here)
    elif isinstance(english, list):
        if not isinstance(value, list) or len(value) != len(english):
            count = len(value) if isinstance(value, list) else type(value).__name__
            raise ContentError(f"{where}{at}: {count} entries, the English lesson has {len(english)}")
        for n, (item, other) in enumerate(zip(english, value, strict=True), start=1):
            _same_shape(item, other, where, f"{at}[{n}]")
    elif isinstance(english, bool) != isinstance(value, bool) or (english is None) != (value is None):
        raise ContentError(f"{where}{at}: must be {type(english).__name__} as in the English lesson")


def page_count():
    return Page.objects.type(CatalogueIndexPage, CoursePage, ModulePage, LessonPage).count()
