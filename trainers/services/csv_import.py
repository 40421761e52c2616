"""Participants from a CSV file: all or nothing.

The file is read and every row checked before anything is written; a bad row
is reported with its line number and then nothing at all is imported. Columns:
`email` (required), and optionally `extra_minutes`, `time_multiplier` and
`extra_time_reason` for participants who need extra time in the exam.

The parser is bounded, whoever uploads: the file size, the number of rows and
columns and the length of a value are capped (below), and a value the csv module
cannot read (a NUL byte, an over-long field) is reported like any bad line."""

import csv
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .. import errors
from .invitations import session_invitation_create
from .participants import session_lock_open

# The bounds of a participants file, in one place (the upload view refuses beyond 512 KB too).
MAX_CSV_BYTES = 512 * 1024
MAX_ROWS = 500
MAX_COLUMNS = 20
MAX_FIELD_CHARS = 300  # the longest value a column can hold (extra_time_reason is 300 characters)


def _decode(data):
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_CSV_BYTES:
        raise errors.ImportRejected([f"the file is larger than {MAX_CSV_BYTES // 1024} KB"])
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.ImportRejected(["the file is not UTF-8 text"]) from None


def participants_csv_parse(data):
    """[(line, email, extra_minutes, multiplier, reason)] or ImportRejected with every bad line.

    Addresses only: whether an account uses an address is never looked up here, so the import
    (and its error list) tells the trainer nothing about other people's accounts."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise errors.ImportRejected([f"line 1: the header cannot be read as CSV ({exc})"]) from None
    if len(header) > MAX_COLUMNS:
        raise errors.ImportRejected([f"line 1: the header has more than {MAX_COLUMNS} columns"])
    if any(len(f) > MAX_FIELD_CHARS for f in header):
        raise errors.ImportRejected([f"line 1: a column name is longer than {MAX_FIELD_CHARS} characters"])
    fields = [f.strip().lower() for f in header]
    if "email" not in fields:
        raise errors.ImportRejected(["line 1: the header must name an “email” column"])
    reader.fieldnames = fields
    problems, rows, seen = [], [], {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a NUL byte, or a value beyond the csv module's own limit
            problems.append(f"after line {reader.line_num}: not readable as CSV ({exc})")
            break
        line = reader.line_num
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(f"line {line}: more than {MAX_ROWS} rows")
            break
        if None in row:
            problems.append(f"line {line}: more values than columns")
            continue
        if any(len(v or "") > MAX_FIELD_CHARS for v in row.values()):
            problems.append(f"line {line}: a value is longer than {MAX_FIELD_CHARS} characters")
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
        rows.append((line, email, minutes, multiplier, reason))
    if problems:
        raise errors.ImportRejected(problems)
    if not rows:
        raise errors.ImportRejected(["the file has no participant rows"])
    return rows


def participants_csv_import(*, session, data, actor):
    """Invite every address of the file, or nobody (each gets an invitation e-mail once the import
    commits; whether an account uses an address is not shown). Returns the invitations."""
    rows = participants_csv_parse(data)
    out = []
    with transaction.atomic():
        locked = session_lock_open(session)
        for _line, who, minutes, multiplier, reason in rows:
            out.append(
                session_invitation_create(
                    session=locked,
                    email=getattr(who, "email", who),  # the parser gives an account or an address
                    actor=actor,
                    extra_minutes=minutes,
                    multiplier=multiplier,
                    reason=reason,
                    locked=locked,
                )
            )
    return out
