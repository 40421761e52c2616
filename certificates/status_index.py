"""Which bit of the status lists (revocation, suspension) a new personal certificate gets.

On PostgreSQL a sequence hands out the bits: concurrent issuers (a thousand candidates submitting
at the same deadline, graded by web workers and the Celery worker at once) never wait for each
other or collide, and a bit taken by a transaction that rolled back stays unused (a gap in a
status list is harmless). Elsewhere (SQLite in development) the next bit after the highest taken;
the unique constraint on `status_index` still makes two certificates sharing one impossible."""

from django.db import connection
from django.db.models import Max

SEQUENCE = "certificates_status_index_seq"


def status_index_next():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [SEQUENCE])
            return cursor.fetchone()[0]
    from .models import Certificate

    highest = Certificate.objects.aggregate(highest=Max("status_index"))["highest"]
    return 0 if highest is None else highest + 1
