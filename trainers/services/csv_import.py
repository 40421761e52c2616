"""Participants from a CSV file: all or nothing.

The file is read and every row checked before anything is written; a bad row
is reported with its line number and then nothing at all is imported. Columns:
`email` (required), and optionally `extra_minutes`, `time_multiplier` and
`extra_time_reason` for participants who need extra time in the exam."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .. import errors
from .participants import participant_extra_time_set, participant_invite

MAX_ROWS = 500


def _decode(data):
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.ImportRejected(["the file is not UTF-8 text"]) from None


def participants_csv_parse(data):
    """[(line, user, extra_minutes, multiplier, reason)] or ImportRejected with every bad line."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in (reader.fieldnames or [])]
    if "email" not in fields:
        raise errors.ImportRejected(["line 1: the header must name an “email” column"])
    reader.fieldnames = fields
    users = {u.email.lower(): u for u in get_user_model().objects.all().only("id", "email")}
    problems, rows, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(f"line {line}: more than {MAX_ROWS} rows")
            break
        if None in row:
            problems.append(f"line {line}: more values than columns")
            continue
        email = (row.get("email") or "").strip().lower()
        if not email and not any((v or "").strip() for v in row.values()):
            continue  # blank line
        try:
            validate_email(email)
        except ValidationError:
            problems.append(f"line {line}: “{email}” is not an e-mail address")
            continue
        if email in seen:
            problems.append(f"line {line}: {email} is already on line {seen[email]}")
            continue
        seen[email] = line
        user = users.get(email)
        if user is None:
            problems.append(f"line {line}: no account uses {email} (ask the person to sign up first)")
            continue
        raw_minutes = (row.get("extra_minutes") or "").strip() or "0"
        raw_multiplier = (row.get("time_multiplier") or "").strip() or "1"
        reason = (row.get("extra_time_reason") or "").strip()
        try:
            minutes = int(raw_minutes)
            if not 0 <= minutes <= 240:
                raise ValueError
        except ValueError:
            problems.append(f"line {line}: extra_minutes must be a whole number from 0 to 240")
            continue
        try:
            multiplier = Decimal(raw_multiplier)
            if not Decimal(1) <= multiplier <= Decimal(3):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"line {line}: time_multiplier must be a number from 1 to 3")
            continue
        if (minutes or multiplier > 1) and not reason:
            problems.append(f"line {line}: extra time needs an extra_time_reason")
            continue
        rows.append((line, user, minutes, multiplier, reason))
    if problems:
        raise errors.ImportRejected(problems)
    if not rows:
        raise errors.ImportRejected(["the file has no participant rows"])
    return rows


def participants_csv_import(*, session, data, actor):
    """Invite every participant of the file, or nobody. Returns the participants."""
    rows = participants_csv_parse(data)
    out = []
    with transaction.atomic():
        for _line, user, minutes, multiplier, reason in rows:
            participant = participant_invite(session=session, user=user, actor=actor)
            if minutes or multiplier > 1:
                participant = participant_extra_time_set(
                    participant=participant,
                    actor=actor,
                    reason=reason,
                    extra_minutes=minutes,
                    multiplier=multiplier,
                )
            out.append(participant)
    return out
