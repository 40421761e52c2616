"""Benchmark data, built with the product's own services (import after django.setup()).

A 30-question exam (six topics of five) drawn from a bank of 150 approved questions,
candidates with a signed-in session each, and, for verification, certificates with
valid codes written in bulk."""

import random
import secrets
import time
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from certificates.codes import code_generate
from certificates.models import Certificate
from exams import services
from exams.models import Attempt, AttemptEvent, AttemptItem, Certification, QuestionOption, Sitting, Topic
from exams.presentation import KEYS
from exams.services.bank import ItemData, items_import

CERT_CODE = "BENCH"
TOPICS = 6
QUOTA = 5  # 6 × 5 = 30 questions per form
PER_TOPIC = 25  # 150 questions in the bank
PASS_MARK = 70
CSRF_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def exam_create():
    """The certification, its blueprint and its bank (imported like a bank file)."""
    cert = Certification.objects.create(
        code=CERT_CODE,
        name="Benchmark Foundation",
        question_count=TOPICS * QUOTA,
        duration_minutes=60,
        pass_mark=PASS_MARK,
    )
    items = []
    for t in range(1, TOPICS + 1):
        Topic.objects.create(
            certification=cert, code=f"B{t}", name=f"Benchmark topic {t}", quota=QUOTA, position=t
        )
        for q in range(1, PER_TOPIC + 1):
            items.append(
                ItemData(
                    external_id=f"BENCH-{t}-{q:03d}",
                    certification=CERT_CODE,
                    purpose="exam",
                    topic=f"B{t}",
                    stem=f"Benchmark question {q} of topic {t}: which statement about process {q} is right?",
                    options={label: f"Statement {label} about process {q} of topic {t}" for label in "ABCD"},
                    answer="ABCD"[q % 4],
                    rationale="The benchmark's rationale.",
                    reference="FitSM-1 §4",
                    position=f"bench:{t}:{q}",
                )
            )
    items_import(items)
    return cert


def users_create(prefix, count):
    """Candidates in bulk (password hashing would dominate setup time; they never log in with one)."""
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{i}@bench.example",
                first_name="Bench",
                last_name=f"Candidate {i}",
                password=password,
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    return list(User.objects.filter(email__startswith=f"{prefix}-").order_by("pk"))


def session_for(user):
    """A signed-in session as django.contrib.auth.login would store it, plus a CSRF secret."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32))
    return {settings.SESSION_COOKIE_NAME: store.session_key}, csrf


def scheduled_sitting_with_candidates(cert, users):
    """An open scheduled sitting; each registration draws its 30-question form at once.
    Returns (sitting, seconds per assembly)."""
    now = timezone.now()
    sitting = services.sitting_create(
        certification=cert,
        title="Benchmark sitting",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=3),
        duration_minutes=120,
        access_code="",
    )
    services.sitting_open(sitting=sitting)
    seconds = []
    for user in users:
        t0 = time.perf_counter()
        services.registration_create(sitting=sitting, user=user)
        seconds.append(time.perf_counter() - t0)
    return sitting, seconds


def on_demand_sitting_with_candidates(cert, users):
    """The on-demand sitting: no form is drawn until the candidate begins."""
    sitting = services.sitting_on_demand_get(certification=cert)
    Sitting.objects.filter(pk=sitting.pk).update(duration_minutes=120)
    for user in users:
        services.registration_create(sitting=sitting, user=user)
    return sitting


def answer_plan(attempt_id, *, seed):
    """The saves one candidate sends, in order: every question once (every fifth one wrong),
    then three of the wrong ones corrected. Returns [(position, key, seq)] and the expected score."""
    items = list(AttemptItem.objects.filter(attempt_id=attempt_id).values("position", "option_order"))
    correct_ids = set(
        QuestionOption.objects.filter(
            id__in=[oid for i in items for oid in i["option_order"]], is_correct=True
        ).values_list("id", flat=True)
    )
    rng = random.Random(seed)
    right, wrong = {}, {}
    for item in items:
        index = next(i for i, oid in enumerate(item["option_order"]) if oid in correct_ids)
        right[item["position"]] = KEYS[index]
        wrong[item["position"]] = KEYS[(index + 1) % len(item["option_order"])]
    positions = sorted(right)
    rng.shuffle(positions)
    plan, seq = [], 0
    wrong_positions = [p for p in positions if p % 5 == 0]
    for p in positions:
        seq += 1
        plan.append((p, wrong[p] if p in wrong_positions else right[p], seq))
    for p in wrong_positions[:3]:
        seq += 1
        plan.append((p, right[p], seq))
    expected_correct = len(positions) - len(wrong_positions) + min(3, len(wrong_positions))
    return plan, expected_correct


def saves_check(acks):
    """Compare what the server acknowledged with what the database holds.

    acks: {attempt_id: {position: (key, seq)}} of the last acknowledged save per question,
    plus the number of acknowledged saves per attempt. Returns (stored_events, mismatches)."""
    attempt_ids = list(acks)
    events = AttemptEvent.objects.filter(
        attempt_id__in=attempt_ids, kind=AttemptEvent.Kind.ANSWER_SAVED
    ).count()
    mismatches = []
    for item in AttemptItem.objects.filter(attempt_id__in=attempt_ids):
        expected = acks[item.attempt_id]["last"].get(item.position)
        if expected is None:
            continue
        key, seq = expected
        shown = (
            None if item.chosen_option_id is None else KEYS[item.option_order.index(item.chosen_option_id)]
        )
        if item.seq != seq or shown != key:
            mismatches.append((item.attempt_id, item.position, expected, (shown, item.seq)))
    return events, mismatches


def grading_check(attempt_ids, expected_correct):
    """Every submitted attempt graded with the expected score, and exactly one certificate each."""
    rows = list(Attempt.objects.filter(pk__in=attempt_ids).values("pk", "state", "correct", "passed"))
    bad = [r for r in rows if r["state"] != Attempt.State.GRADED or r["correct"] != expected_correct[r["pk"]]]
    certificates = Certificate.objects.filter(attempt_id__in=attempt_ids).count()
    passed = sum(1 for r in rows if r["passed"])
    marks = {}
    for attempt_id, kind, at in AttemptEvent.objects.filter(
        attempt_id__in=attempt_ids, kind__in=[AttemptEvent.Kind.SUBMITTED, AttemptEvent.Kind.GRADED]
    ).values_list("attempt_id", "kind", "at"):
        marks.setdefault(attempt_id, {})[kind] = at
    grading = sorted((m["graded"] - m["submitted"]).total_seconds() for m in marks.values() if len(m) == 2)
    return {
        "graded": len(rows) - len(bad),
        "wrong": bad,
        "passed": passed,
        "certificates": certificates,
        "grading_p50_ms": round(grading[len(grading) // 2] * 1000, 1) if grading else None,
    }


def certificates_bulk(cert, count):
    """`count` valid certificates with unique, well-formed codes, for the verification benchmark."""
    users = users_create("holder", count)
    today = timezone.localdate()
    codes = set()
    while len(codes) < count:
        codes.add(code_generate())
    first_index = (Certificate.objects.aggregate(highest=Max("status_index"))["highest"] or 0) + 1
    rows = [
        Certificate(
            code=code,
            status_index=first_index + n,
            user=user,
            certification=cert,
            holder_name=user.printed_name,
            holder_family_name=user.last_name,
            certification_name=cert.name,
            organisation_name="Benchmark ATO",
            issued_on=today,
            expires_on=today + timedelta(days=3 * 365),
        )
        for n, (code, user) in enumerate(zip(sorted(codes), users, strict=True))
    ]
    with transaction.atomic():
        Certificate.objects.bulk_create(rows, batch_size=2000)
    return [r.code for r in rows]
