"""The session store: Django's database sessions, with the read every signed-in request makes
done in one plain statement instead of through the ORM.

Every request of a signed-in person (an exam page's answer save most of all) loads its session
before anything else; through the ORM that read cost more CPU than the answer save's own
statement (the query is compiled anew each time). The row, its expiry rule and every write
(save, rotate, delete, clear_expired) are Django's own, so sessions, logouts and
`clearsessions` behave exactly as with `django.contrib.sessions.backends.db`.

A session that names one of the parent authentication backends (signed in before
accounts/backends.py existed) is read as naming its lean subclass, so it stays signed in."""

from types import SimpleNamespace

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

from accounts.backends import LEGACY_PATHS


class SessionStore(DatabaseSessionStore):
    def load(self):
        data = super().load()
        legacy = data.get(BACKEND_SESSION_KEY)
        if legacy in LEGACY_PATHS:
            data[BACKEND_SESSION_KEY] = LEGACY_PATHS[legacy]  # in memory only: no write
        return data

    def _get_session_from_db(self):
        model = self.model
        table = connections[router.db_for_read(model)].ops.quote_name(model._meta.db_table)
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(
                f'SELECT "session_data" FROM {table} WHERE "session_key" = %s AND "expire_date" > %s',  # noqa: S608
                [self.session_key, timezone.now()],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return SimpleNamespace(session_data=row[0])
