"""Site search: each lesson names its course and module, a snippet marks the match (escaped), and
a glossary term equal to the query ranks first."""

import pytest

from courses.models import GlossaryTerm, LessonPage
from courses.search import lesson_plain_text, site_search, snippet_highlight

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(tree):
    lesson = tree.reading
    lesson.body = [
        {
            "type": "text",
            "value": "Opening words. " * 20 + "A **known error** is a problem with a documented workaround.",
        },
        {"type": "figure", "value": {"svg": "<svg><text>known</text></svg>", "alt": "A map", "caption": ""}},
    ]
    lesson.save_revision().publish()
    GlossaryTerm.objects.create(
        slug="known-error", term="Known error", definition="A problem with a workaround."
    )
    GlossaryTerm.objects.create(
        slug="known-error-database",
        term="Known error database",
        definition="Where every known error is kept.",
    )
    GlossaryTerm.objects.create(
        slug="workaround", term="Workaround", definition="A way around a known error."
    )
    from django.core.management import call_command

    call_command("update_index", verbosity=0)
    return LessonPage.objects.get(pk=lesson.pk)


def test_a_lesson_hit_names_its_course_and_module(client, tree, indexed):
    page = client.get("/search/", {"q": "workaround"}).content.decode()
    results = page[page.index('class="search-results"') :]
    assert f'href="{indexed.url}">Reading lesson</a>' in results
    assert "Test course › Basics" in results


def test_the_snippet_marks_the_match_near_where_it_is(client, indexed):
    page = client.get("/search/", {"q": "workaround"}).content.decode()
    results = page[page.index('class="search-results"') :]
    assert "documented <mark>workaround</mark>." in results
    assert "… " in results  # the snippet starts near the match, not at the start of the lesson


def test_the_plain_text_leaves_out_markdown_and_svg(indexed):
    text = lesson_plain_text(indexed)
    assert "A known error is a problem" in text and "**" not in text and "<svg" not in text


def test_an_exact_glossary_term_ranks_first_whatever_its_case(client, indexed):
    result = site_search(query="KNOWN ERROR")
    assert [h["term"].slug for h in result["best_terms"]] == ["known-error"]
    assert "known-error" not in [h["term"].slug for h in result["terms"]]
    page = client.get("/search/", {"q": "known error"}).content.decode()
    assert page.index('id="best-known-error"') < page.index("<h2>Lessons</h2>")
    assert 'href="/glossary/#known-error-database"' in page


def test_no_best_match_without_an_equal_term(indexed):
    result = site_search(query="known")
    assert result["best_terms"] == []


def test_the_query_and_the_text_are_escaped_in_snippets():
    html = snippet_highlight(text='A <script>alert("x")</script> process & more', query="<script> process")
    assert "<script>" not in html
    assert "&lt;<mark>script</mark>&gt;" in html and "<mark>process</mark> &amp; more" in html


@pytest.mark.parametrize("query", ['<img src=x onerror="alert(1)">', 'known" OR (error', "*", "NEAR(a b)"])
def test_a_query_with_markup_or_search_syntax_is_answered_and_shown_escaped(client, indexed, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<img src=x" not in page and 'value="' in page


def test_snippets_without_a_match_start_at_the_beginning_and_are_cut_at_a_word():
    text = "word " * 100
    html = snippet_highlight(text=text, query="absent", width=40)
    assert html.startswith("word") and html.endswith(" …") and "<mark>" not in html
    assert len(html) <= 44


def test_the_words_of_a_query_still_find_the_lesson_around_its_punctuation(indexed):
    result = site_search(query='"workaround"!')
    assert [h["page"].pk for h in result["lessons"]] == [indexed.pk]


def test_an_empty_query_shows_no_results(client, indexed):
    page = client.get("/search/", {"q": "   "}).content.decode()
    assert "<h2>Lessons</h2>" not in page
