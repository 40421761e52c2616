"""Authentication backends: Django's and allauth's, with the user read every signed-in request
makes done in one plain statement instead of through the ORM.

After the session, every request of a signed-in person loads its user; through the ORM that
read was a fifth of an answer save's CPU and close to a third of a trivial signed-in request's
(the query is compiled anew each time). Here the statement is built once per database, the
row goes through the same converters the ORM applies and becomes a user with `from_db`, and
everything else (signing in, `user_can_authenticate`, permissions, the session's hash check)
is the parent backend's own.

Sessions that name the parent backends' paths (from before these existed) are read as naming
these (accounts/session_store.py): nobody is signed out by the change."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

LEGACY_PATHS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": "accounts.backends.AuthenticationBackend",
}

_statements = {}  # database alias -> (sql, field names, [(converters, column expression)])


def _statement(alias):
    if alias not in _statements:
        model = get_user_model()
        connection = connections[alias]
        quote = connection.ops.quote_name
        fields = model._meta.concrete_fields
        columns = ", ".join(quote(f.column) for f in fields)
        sql = (
            f"SELECT {columns} FROM {quote(model._meta.db_table)} "  # noqa: S608 (names from the model)
            f"WHERE {quote(model._meta.pk.column)} = %s"
        )
        converting = []
        for f in fields:
            col = f.get_col(model._meta.db_table)
            converting.append(
                (connection.ops.get_db_converters(col) + col.get_db_converters(connection), col)
            )
        _statements[alias] = (sql, [f.attname for f in fields], converting)
    return _statements[alias]


def user_load(user_id):
    """The user with this primary key, or None; one statement, no ORM query."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except (ValidationError, TypeError, ValueError):
        return None
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql, names, converting = _statement(alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = []
    for value, (converters, col) in zip(row, converting, strict=True):
        for convert in converters:
            value = convert(value, col, connection)
        values.append(value)
    return model.from_db(alias, names, values)


class LeanUserLoad:
    def get_user(self, user_id):
        user = user_load(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(LeanUserLoad, DjangoModelBackend):
    pass


class AuthenticationBackend(LeanUserLoad, AllauthBackend):
    pass
