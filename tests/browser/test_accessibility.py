"""The pages people use pass axe-core's WCAG 2.1 A/AA rules in a real browser, the exam page can be
worked with the keyboard alone with a visible focus, and the main pages fit a 375 px wide screen.

To cover another page, add a `Visit` to `visits()`: a name, its address, who is signed in, and
optionally a step to run in the browser (or on the data) before the page is checked."""

import re
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from accounts.roles import EXAMINER, role_add
from certificates.models import Certificate
from certificates.services import certificate_revoke
from courses.models import GlossaryTerm
from courses.services import enrolment_create
from exams import services
from tests.browser.conftest import sign_in
from tests.certificates.conftest import sit
from tests.courses.conftest import build_course
from tests.factories import CertificationFactory, QuestionFactory, TopicFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NARROW = {"width": 375, "height": 800}


@dataclass
class Visit:
    name: str
    url: str  # a path; `{name}` fields are filled from the data
    who: str | None = None  # "learner", "trainer" or None for a visitor
    before: object = None  # optional callable(page, data), run after the page has loaded
    narrow: bool = False  # also checked for horizontal scrolling at 375 px
    also: object = None  # optional callable(page) -> list of problems, run after axe


def _wrong_knowledge_check(page, data):
    page.get_by_role("group", name="Who is accountable for a process?").get_by_label(
        "The process manager"
    ).check()
    page.get_by_role("group", name="What does a configuration item belong to?").get_by_label(
        "The CMDB"
    ).check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_selector("text=1 of 2 right")


def _right_knowledge_check(page, data):
    page.get_by_role("group", name="Who is accountable for a process?").get_by_label(
        "The process owner"
    ).check()
    page.get_by_role("group", name="What does a configuration item belong to?").get_by_label(
        "The CMDB"
    ).check()
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_selector("text=Lesson complete")


def _unanswered_knowledge_check(page, data):
    page.get_by_role("button", name="Check my answers").click()
    page.wait_for_load_state()


def _submit_empty_sign_in(page, data):
    """Send the form empty past the browser's own checks, so the server's error messages show."""
    page.evaluate("document.querySelectorAll('main form').forEach(f => { f.noValidate = true; })")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector(".has-error, .errors")


def _search_unknown_certificate(page, data):
    page.get_by_label("Certificate number").fill("FITSM-0000-0000")
    page.get_by_label("Family name of the holder").fill("nobody")
    page.get_by_role("button", name="Verify").click()
    page.wait_for_load_state()


def _click(button):
    """Send a form as it is and wait for its error messages."""

    def step(page, data):
        page.get_by_role("button", name=button).click()
        page.wait_for_selector(".has-error")

    return step


def _review_answers(page, data):
    page.get_by_role("link", name="continue").first.click()
    page.wait_for_url("**/exams/attempts/**")
    page.get_by_role("button", name="Save and review answers").click()
    page.wait_for_url("**/submit/")


def _start_exam(page, data):
    page.get_by_label("I will follow the rules above").check()
    page.get_by_role("button", name="Start the exam").click()
    page.wait_for_url("**/exams/attempts/**")
    page.locator("#save-status").wait_for(state="attached")


def _revoke(page, data):
    certificate_revoke(certificate=data.revoked, actor=data.trainer, reason="Exam misconduct")
    page.reload()


def visits():
    return [
        Visit("home", "/", narrow=True),
        Visit("home, signed in", "/", who="learner", narrow=True),
        Visit("catalogue", "/courses/", narrow=True),
        Visit("course", "{course_url}", narrow=True),
        Visit("module", "{module_url}"),
        Visit("lesson with a knowledge check", "{checked_url}", who="learner", narrow=True),
        Visit("lesson after a wrong answer", "{checked_url}", who="learner", before=_wrong_knowledge_check),
        Visit(
            "lesson, check sent unanswered",
            "{checked_url}",
            who="learner",
            before=_unanswered_knowledge_check,
        ),
        Visit(
            "lesson, check passed",
            "{checked_url}",
            who="learner",
            before=_right_knowledge_check,
            narrow=True,
        ),
        Visit("glossary", "/glossary/"),
        Visit("search", "/search/?q=process"),
        Visit("verify", "/verify/", narrow=True),
        Visit("verify, not found", "/verify/", before=_search_unknown_certificate),
        Visit("verify, with errors", "/verify/", before=_click("Verify")),
        Visit("certificate, valid", "/verify/{valid_code}/", narrow=True),
        Visit("certificate, revoked", "/verify/{revoked_code}/", before=_revoke),
        Visit("verify a file", "/verify/file/"),
        Visit("verify a file, with errors", "/verify/file/", before=_click("Check the file")),
        Visit("sign in", "/accounts/login/", narrow=True),
        Visit("sign in, with errors", "/accounts/login/", before=_submit_empty_sign_in),
        Visit("sign up", "/accounts/signup/"),
        Visit("sign up, with errors", "/accounts/signup/", before=_submit_empty_sign_in),
        Visit("profile", "/me/profile/", who="learner", narrow=True),
        Visit("my learning", "/me/learning/", who="learner", narrow=True),
        Visit("my certificates", "/me/certificates/", who="learner", narrow=True),
        Visit("my exams", "/me/exams/", who="learner", narrow=True),
        Visit("exam lobby", "/exams/sittings/{live_sitting}/", who="learner"),
        Visit(
            "exam, taking",
            "/exams/sittings/{live_sitting}/",
            who="learner",
            before=_start_exam,
            narrow=True,
            also=_keyboard_on_exam_page,
        ),
        Visit("exam, review before submitting", "/me/exams/", who="learner", before=_review_answers),
        Visit("exam result", "/exams/attempts/{passed_attempt}/result/", who="learner", narrow=True),
        Visit("invigilation list", "/invigilate/", who="trainer", narrow=True),
        Visit("invigilation monitor", "/invigilate/{live_sitting}/", who="trainer", narrow=True),
        Visit(
            "void an attempt",
            "/invigilate/{done_sitting}/attempts/{passed_attempt}/void/",
            who="trainer",
            narrow=True,
        ),
        Visit(
            "void an attempt, with errors",
            "/invigilate/{done_sitting}/attempts/{passed_attempt}/void/",
            who="trainer",
            before=_click("Yes, void this attempt"),
        ),
        Visit("organisations", "/organisations/", narrow=True),
        Visit("organisation", "/organisations/{org_slug}/", narrow=True),
        Visit("trainers", "/trainers/", narrow=True),
        Visit("trainer", "/trainers/{trainer_slug}/"),
        Visit("training calendar", "/sessions/", narrow=True),
        Visit("training session, visitor", "/sessions/{session_id}/", narrow=True),
        Visit("training session, participant", "/sessions/{session_id}/", who="learner"),
        Visit("training dashboard", "/training/", who="coach", narrow=True),
        Visit("new training session", "/training/sessions/new/", who="coach"),
        Visit("manage a training session", "/training/sessions/{session_id}/", who="coach", narrow=True),
        Visit("organisation admin", "/training/organisations/{org_slug}/", who="ato_admin", narrow=True),
        Visit(
            "new training session, with errors",
            "/training/sessions/new/",
            who="coach",
            before=_click("Create draft"),
        ),
        Visit(
            "training session, invite with errors",
            "/training/sessions/{session_id}/",
            who="coach",
            before=_click("Send the invitation"),
        ),
        Visit(
            "confirm publishing a session",
            "/training/sessions/{draft_id}/confirm/publish/",
            who="coach",
            narrow=True,
        ),
        Visit("confirm cancelling a session", "/training/sessions/{session_id}/confirm/cancel/", who="coach"),
        Visit("session invitation, signed out", "/sessions/invitations/{invitation_token}/", narrow=True),
        Visit(
            "session invitation, invited person",
            "/sessions/invitations/{invitation_token}/",
            who="invitee",
            narrow=True,
        ),
        Visit(
            "organisation vouchers",
            "/training/organisations/{org_slug}/vouchers/",
            who="ato_admin",
            narrow=True,
        ),
        Visit(
            "organisation vouchers, with errors",
            "/training/organisations/{org_slug}/vouchers/",
            who="ato_admin",
            before=_click("E-mail a voucher"),
        ),
        Visit("self-assessment home", "/assessments/", who="provider_owner", narrow=True),
        Visit(
            "service provider", "/assessments/providers/{provider_slug}/", who="provider_owner", narrow=True
        ),
        Visit(
            "register a provider, with errors",
            "/assessments/providers/new/",
            who="provider_owner",
            before=_click("Register"),
        ),
        Visit("assessment overview", "/assessments/{assessment_id}/", who="provider_owner", narrow=True),
        Visit("assessment scope", "/assessments/{assessment_id}/scope/", who="provider_owner", narrow=True),
        Visit(
            "assessment scoring",
            "/assessments/{assessment_id}/requirements/PR3/",
            who="provider_owner",
            narrow=True,
        ),
        Visit(
            "assessment results", "/assessments/{assessment_id}/results/", who="provider_owner", narrow=True
        ),
    ]


def _certification(code):
    cert = CertificationFactory(code=code, name=f"{code} exam", question_count=4, duration_minutes=10)
    for topic_code in ("A", "B"):
        topic = TopicFactory(certification=cert, code=f"{code}{topic_code}", quota=2)
        for _ in range(2):
            QuestionFactory(topic=topic)
    return cert


def _sitting(cert, trainer, now, candidates):
    s = services.sitting_create(
        certification=cert,
        title=f"{cert.code} sitting",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=2),
        created_by=trainer,
        invigilators=[trainer],
        access_code="",
    )
    s = services.sitting_open(sitting=s, actor=trainer)
    for user in candidates:
        services.registration_create(sitting=s, user=user, actor=trainer)
    return s


def _training(cert, learner):
    """An accredited ATO with its admin and a trainer, and a published session the learner is in."""
    from tests.trainers.conftest import accredit, make_session, make_trainer
    from tests.trainers.factories import OrganisationFactory
    from trainers import services as training
    from trainers.models import Membership

    examiner = UserFactory(email="examiner-a11y@test.example")
    role_add(examiner, EXAMINER)
    organisation = OrganisationFactory(name="Alpha Training", slug="alpha", country="DE")
    accredit(examiner=examiner, certification=cert, organisation=organisation)
    admin = UserFactory(email="ato-admin-a11y@test.example")
    training.membership_add(organisation=organisation, user=admin, role=Membership.Role.ADMIN)
    coach = make_trainer(organisation, cert, examiner, email="coach-a11y@test.example")
    session = make_session(organisation, [coach], cert, admin)
    session = training.session_publish(session=session, actor=admin)
    training.participant_invite(session=session, user=learner, actor=coach.user)
    invitee = UserFactory(email="invitee-a11y@test.example")
    invitation = training.session_invitation_create(session=session, email=invitee.email, actor=coach.user)
    draft = make_session(organisation, [coach], cert, admin, days=30)
    training.organisation_vouchers_allocate(
        organisation=organisation, certification=cert, count=2, valid_until=draft.ends_at, actor=examiner
    )
    training.organisation_voucher_assign(
        organisation=organisation, certification=cert, email="candidate-a11y@test.example", actor=admin
    )
    training.voucher_request_create(
        organisation=organisation, certification=cert, count=5, note="", actor=admin
    )
    return SimpleNamespace(
        organisation=organisation,
        admin=admin,
        coach=coach,
        session=session,
        draft=draft,
        invitee=invitee,
        invitation=invitation,
    )


def _provider_world():
    """A service provider with a self-assessment: a few items scored, one process out of scope."""
    from assessments import services as assessing
    from content.fitsm.loader import instrument_load, levels_load
    from tests.assessments.conftest import item, scope_entries

    instrument_load()
    levels_load()
    owner = UserFactory(email="provider-a11y@test.example")
    provider = assessing.provider_register(name="A11y Hosting", country="DE", actor=owner)
    assessment = assessing.assessment_create(provider=provider, title="Baseline", actor=owner)
    assessing.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR5={"in_scope": False, "reason": "Hosted"}),
    )
    for seq, (code, score) in enumerate((("PR3.1", 4), ("PR3.2", 2), ("GR1.1", 3)), start=1):
        assessing.assessment_score_save(
            assessment=assessment, item=item(code), score=score, seq=seq, actor=owner
        )
    return SimpleNamespace(owner=owner, provider=provider, assessment=assessment)


def _data(live_server, learner, trainer, now):
    tree = build_course()
    enrolment_create(user=learner, course=tree.course)
    GlossaryTerm.objects.create(slug="process", term="Process", definition="A set of activities.")
    holder = UserFactory(email="holder@test.example", last_name="Holder")
    done = _sitting(_certification("AFD"), trainer, now, [learner, holder])
    passed, _ = services.attempt_begin(sitting=done, user=learner, now=now)
    sit(passed, now, right=4)
    other, _ = services.attempt_begin(sitting=done, user=holder, now=now)
    sit(other, now, right=4)
    live = _sitting(_certification("ALV"), trainer, now, [learner])
    training = _training(done.certification, learner)
    provider_world = _provider_world()
    return SimpleNamespace(
        provider_owner=provider_world.owner,
        coach=training.coach.user,
        ato_admin=training.admin,
        invitee=training.invitee,
        base=live_server.url,
        learner=learner,
        trainer=trainer,
        revoked=Certificate.objects.get(attempt=other),
        fields={
            "course_url": tree.course.url,
            "module_url": tree.module.url,
            "checked_url": tree.checked.url,
            "valid_code": Certificate.objects.get(attempt=passed).code,
            "revoked_code": Certificate.objects.get(attempt=other).code,
            "live_sitting": live.pk,
            "done_sitting": done.pk,
            "passed_attempt": passed.pk,
            "org_slug": training.organisation.slug,
            "trainer_slug": training.coach.slug,
            "session_id": training.session.pk,
            "draft_id": training.draft.pk,
            "invitation_token": training.invitation.token,
            "provider_slug": provider_world.provider.slug,
            "assessment_id": provider_world.assessment.pk,
        },
    )


def _axe(page, name, axe_source):
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    assert result["passes"], f"{name}: axe checked nothing"
    return [
        f"{name} ({page.url}): {v['id']} [{v['impact']}] {v['help']} -> "
        + ", ".join(" ".join(n["target"]) for n in v["nodes"])
        for v in result["violations"]
    ]


def _broken_references(page, name):
    """Every id named by for, aria-describedby, aria-labelledby or aria-controls is on the page
    (axe passes a description that points at nothing)."""
    missing = page.evaluate(
        """() => [...document.querySelectorAll('[for], [aria-describedby], [aria-labelledby], [aria-controls]')]
            .flatMap(e => ['for', 'aria-describedby', 'aria-labelledby', 'aria-controls']
                .flatMap(a => (e.getAttribute(a) || '').split(/\\s+/).filter(Boolean)
                    .filter(id => !document.getElementById(id))
                    .map(id => (e.id ? '#' + e.id : e.tagName.toLowerCase()) + ' ' + a + '=' + id)))"""
    )
    return [f"{name} ({page.url}): reference to a missing id: {m}" for m in missing]


def _horizontal_overflow(page, name):
    """The page fits the viewport's width; if not, name the elements that stick out."""
    wide = page.evaluate(
        """() => { const d = document.documentElement, w = d.clientWidth;
            if (d.scrollWidth <= w) return null;
            const out = [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 0.5)
                .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                     + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''));
            return [d.scrollWidth, w, out.slice(0, 8)]; }"""
    )
    if wide is None:
        return []
    return [f"{name} ({page.url}): {wide[0]} px wide at {wide[1]} px; sticking out: {', '.join(wide[2])}"]


def _keyboard_on_exam_page(page):
    """Tab reaches the answer radios and the question navigator; arrows choose an answer; the focus shows."""
    problems = []
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator("body").focus()
    reached, style = set(), {}
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; if (!e || e === document.body) return null;
                const s = getComputedStyle(e);
                return {id: e.id, cls: e.className, type: e.type || '', name: e.name || '',
                        visible: e.matches(':focus-visible'),
                        outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow}; }"""
        )
        if info is None:
            continue
        kind = "radio" if info["type"] == "radio" else "nav" if "nav-q" in str(info["cls"]) else None
        if kind and kind not in reached:
            reached.add(kind)
            style[kind] = info
    for kind in ("radio", "nav"):
        if kind not in reached:
            problems.append(f"exam page: no {kind} reached with Tab")
            continue
        info = style[kind]
        if not info["visible"] or (info["outline"].startswith("none") and info["shadow"] == "none"):
            problems.append(f"exam page: focus on the {kind} is not visible ({info})")
    if "radio" in reached:
        # The focused group is the first question's; arrow keys choose an option and it is saved.
        page.locator("input[type=radio]").first.focus()
        page.keyboard.press("ArrowDown")
        checked = page.evaluate("document.activeElement.checked && document.activeElement.type")
        if checked != "radio":
            problems.append("exam page: ArrowDown does not choose an answer")
        else:
            expect(page.locator("#save-status")).to_have_text("Saved")
    if "nav" in reached:
        link = page.locator(".nav-q[data-position='2']")
        link.focus()
        page.keyboard.press("Enter")
        expect(page.locator(".nav-q[data-position='2']")).to_have_attribute("aria-current", re.compile(".*"))
    return problems


def test_pages_pass_wcag_21_aa_checks_with_keyboard_and_narrow_screen(
    browser, live_server, learner, trainer, now
):
    axe_source = resources.files("axe_playwright_python").joinpath("axe.min.js").read_text()
    data = _data(live_server, learner, trainer, now)
    contexts = {}
    problems = []

    def page_for(who):
        if who not in contexts:
            context = browser.new_context(bypass_csp=True)  # to inject axe; the pages keep their CSP
            page = context.new_page()
            page.set_default_timeout(15000)
            if who:
                sign_in(page, data.base, getattr(data, who).email)
            contexts[who] = page
        return contexts[who]

    try:
        # axe itself reports a known fault, so a clean run below means something.
        page = page_for(None)
        page.goto(data.base + "/")
        page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')")
        assert any("image-alt" in p for p in _axe(page, "probe", axe_source))
        for visit in visits():
            page = page_for(visit.who)
            page.set_viewport_size({"width": 1280, "height": 900})
            response = page.goto(data.base + visit.url.format(**data.fields))
            assert response.ok, f"{visit.name}: {response.status}"
            if visit.before:
                visit.before(page, data)
            problems += _axe(page, visit.name, axe_source)
            problems += _broken_references(page, visit.name)
            if visit.also:
                problems += visit.also(page)
            if visit.narrow:
                page.set_viewport_size(NARROW)
                problems += _horizontal_overflow(page, visit.name)
    finally:
        for page in contexts.values():
            page.context.close()

    assert not problems, "Accessibility problems:\n" + "\n".join(problems)
