"""Small language versions for the tests: a German (or French) wording of a question."""

from exams.services.bank import ItemData
from exams.services.translations import translations_import


def translated_item(question, language="de", *, status="reviewed", stem=None, answer="", options=None):
    return ItemData(
        external_id=question.external_id,
        certification=question.certification.code,
        purpose=question.purpose,
        topic=question.topic.code,
        stem=stem or f"Frage zu {question.external_id}?",
        options=options or {label: f"{question.external_id} Auswahl {label}" for label in "ABCD"},
        answer=answer,
        rationale="FitSM-1 regelt das so.",
        reference="FitSM-1 GR1",
        difficulty=question.difficulty,
        position=f"{language} {question.external_id}",
        language=language,
        status=status,
    )


def translate(questions, language="de", *, status="reviewed", actor=None):
    """Give each question a language version (reviewed by default)."""
    return translations_import([translated_item(q, language, status=status) for q in questions], actor=actor)
