import pytest

from exams.presentation import letter_references


@pytest.mark.parametrize(
    "text",
    [
        "A is right because the SMS owner approves the policy.",
        "The key is C: the CAB evaluates changes.",
        "Option B describes the SMS manager.",
        "A process owner (A) approves goals for one process only.",
        "A, C and D are wrong.",
        "answer D confuses the two roles",
    ],
)
def test_a_rationale_naming_an_option_letter_is_found(text):
    assert letter_references(text)


@pytest.mark.parametrize(
    "text",
    [
        "A process owner approves goals and policies for one process only.",
        "A member of top management is accountable for the SMS (GR1.1).",
        "The CAB evaluates non-standard changes; e-mail is one channel among several.",
        "PR9.4 asks for a classification of incidents.",
    ],
)
def test_a_rationale_about_the_options_content_passes(text):
    assert letter_references(text) == []
