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
from django.utils.translation import gettext as _

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
        raise errors.ImportRejected(
            [_("the file is larger than %(size)s KB") % {"size": MAX_CSV_BYTES // 1024}]
        )
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.ImportRejected([_("the file is not UTF-8 text")]) from None


def participants_csv_parse(data):
    """[(line, email, extra_minutes, multiplier, reason)] or ImportRejected with every bad line.

    Addresses only: whether an account uses an address is never looked up here, so the import
    (and its error list) tells the trainer nothing about other people's accounts."""
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        raise errors.ImportRejected(
            [_("line 1: the header cannot be read as CSV (%(error)s)") % {"error": exc}]
        ) from None
    if len(header) > MAX_COLUMNS:
        raise errors.ImportRejected(
            [_("line 1: the header has more than %(max)s columns") % {"max": MAX_COLUMNS}]
        )
    if any(len(f) > MAX_FIELD_CHARS for f in header):
        raise errors.ImportRejected(
            [_("line 1: a column name is longer than %(max)s characters") % {"max": MAX_FIELD_CHARS}]
        )
    fields = [f.strip().lower() for f in header]
    if "email" not in fields:
        raise errors.ImportRejected([_("line 1: the header must name an “email” column")])
    reader.fieldnames = fields
    problems, rows, seen = [], [], {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # e.g. a NUL byte, or a value beyond the csv module's own limit
            problems.append(
                _("after line %(line)s: not readable as CSV (%(error)s)")
                % {"line": reader.line_num, "error": exc}
            )
            break
        line = reader.line_num
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(_("line %(line)s: more than %(max)s rows") % {"line": line, "max": MAX_ROWS})
            break
        if None in row:
            problems.append(_("line %(line)s: more values than columns") % {"line": line})
            continue
        if any(len(v or "") > MAX_FIELD_CHARS for v in row.values()):
            problems.append(
                _("line %(line)s: a value is longer than %(max)s characters")
                % {"line": line, "max": MAX_FIELD_CHARS}
            )
            continue
        email = (row.get("email") or "").strip().lower()
        if not email and not any((v or "").strip() for v in row.values()):
            continue  # blank line
        try:
            validate_email(email)
        except ValidationError:
            problems.append(
                _("line %(line)s: “%(email)s” is not an e-mail address") % {"line": line, "email": email}
            )
            continue
        if email in seen:
            problems.append(
                _("line %(line)s: %(email)s is already on line %(first)s")
                % {"line": line, "email": email, "first": seen[email]}
            )
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
            problems.append(
                _("line %(line)s: extra_minutes must be a whole number from 0 to 240") % {"line": line}
            )
            continue
        try:
            multiplier = Decimal(raw_multiplier)
            if not Decimal(1) <= multiplier <= Decimal(3):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(_("line %(line)s: time_multiplier must be a number from 1 to 3") % {"line": line})
            continue
        if (minutes or multiplier > 1) and not reason:
            problems.append(_("line %(line)s: extra time needs an extra_time_reason") % {"line": line})
            continue
        rows.append((line, email, minutes, multiplier, reason))
    if problems:
        raise errors.ImportRejected(problems)
    if not rows:
        raise errors.ImportRejected([_("the file has no participant rows")])
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
