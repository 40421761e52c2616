"""The practice review shows every item under the letters the candidate saw: the option marked
as the key is the right one under its shuffled letter, and no rationale names a bank letter.
Covers every item of every practice bank of content/."""

import re
from html import unescape

import pytest
from django.utils import timezone

from content.loader import banks_load, certifications_load
from exams import services
from exams.models import Attempt, AttemptItem, Certification, Question
from exams.presentation import KEYS, letter_references
from tests.conftest import login
from tests.factories import UserFactory

SECTION = re.compile(r'<section class="review-item card".*?</section>', re.S)
POSITION = re.compile(r"Question (\d+):")
OPTION = re.compile(
    r'<li data-key="([A-H])"( data-correct="true")?>([A-H])\. (.*?)(?: <strong>|</li>| <em>)', re.S
)
RATIONALE = re.compile(r"<strong>Why:</strong> (.*?)</p>", re.S)


@pytest.mark.django_db
def test_every_practice_rationale_matches_the_letters_shown(client, django_capture_on_commit_callbacks):
    certifications_load()
    banks_load()
    user = UserFactory()
    login(client, user)
    relettered = 0
    for certification in Certification.objects.filter(earned_by="exam"):
        bank = set(
            Question.objects.filter(certification=certification, purpose="practice").values_list(
                "pk", flat=True
            )
        )
        seen = set()
        for _ in range(12):
            if seen == bank:
                break
            # The draw counts its exposures after its commit: run that here, so the next
            # draw prefers the questions not yet drawn, as it does in service.
            with django_capture_on_commit_callbacks(execute=True):
                attempt = services.practice_attempt_begin(
                    user=user, certification=certification, now=timezone.now()
                )
            services.attempt_submit(attempt=attempt, now=timezone.now(), actor=user)
            attempt.refresh_from_db()
            assert attempt.state == Attempt.State.GRADED
            items = {
                i.position: i
                for i in AttemptItem.objects.filter(attempt=attempt).select_related("question_version")
            }
            html = client.get(f"/exams/attempts/{attempt.pk}/result/").content.decode()
            sections = SECTION.findall(html)
            assert len(sections) == len(items)
            for section in sections:
                item = items[int(POSITION.search(section).group(1))]
                options = {o.id: o for o in item.question_version.options.all()}
                right_id = next(oid for oid, o in options.items() if o.is_correct)
                expected_key = KEYS[item.option_order.index(right_id)]
                shown = OPTION.findall(section)
                marked = [key for key, correct, _, _ in shown if correct]
                assert marked == [expected_key], item.question_version.question.external_id
                for key, _, letter, text in shown:
                    assert key == letter
                    assert unescape(text).strip() == options[item.option_order[KEYS.index(key)]].text
                rationale = unescape(RATIONALE.search(section).group(1))
                assert rationale == item.question_version.rationale
                assert letter_references(rationale) == [], (
                    item.question_version.question.external_id,
                    rationale,
                )
                relettered += expected_key != options[right_id].label
                seen.add(item.question_version.question_id)
        assert seen == bank, f"{certification.code}: practice items never drawn: {len(bank - seen)}"
    assert relettered > 20, "the options were not re-lettered, so the test proves nothing"
