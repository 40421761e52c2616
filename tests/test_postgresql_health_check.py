"""The PostgreSQL health check (config/postgresql): a persistent connection that is open, idle
and quiet is used without asking the server; one the server has ended is replaced before the
request's first query; anything it cannot tell from the socket gets Django's `SELECT 1`."""

import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLDatabaseWrapper

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
]


@pytest.fixture
def own_connection():
    conn = connections.create_connection("default")
    conn.ensure_connection()
    yield conn
    conn.close()


@pytest.fixture
def select_one_calls(monkeypatch):
    calls = []
    original = PostgreSQLDatabaseWrapper.is_usable

    def recording(self):
        calls.append(self)
        return original(self)

    monkeypatch.setattr(PostgreSQLDatabaseWrapper, "is_usable", recording)
    return calls


def backend_pid(conn):
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(50):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)
    raise AssertionError("the backend did not end")


def test_the_configured_backend_is_the_one_with_the_socket_check():
    assert connection.settings_dict["ENGINE"] == "config.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_an_idle_healthy_connection_is_usable_without_a_round_trip(own_connection, select_one_calls):
    backend_pid(own_connection)

    assert own_connection.is_usable() is True
    assert select_one_calls == []


def test_a_connection_the_server_ended_is_not_usable(own_connection):
    terminate(backend_pid(own_connection))

    assert own_connection.is_usable() is False


def test_the_next_request_gets_a_new_connection_after_the_server_ended_the_old(own_connection):
    old_pid = backend_pid(own_connection)
    terminate(old_pid)
    own_connection.health_check_done = False  # what Django does when a request starts

    new_pid = backend_pid(own_connection)

    assert new_pid != old_pid


def test_a_connection_inside_a_transaction_is_asked_with_select_one(own_connection, select_one_calls):
    own_connection.set_autocommit(False)
    try:
        backend_pid(own_connection)
        assert own_connection.is_usable() is True
        assert select_one_calls == [own_connection]
    finally:
        own_connection.rollback()
        own_connection.set_autocommit(True)


def test_a_closed_connection_is_not_usable(own_connection, select_one_calls):
    own_connection.connection.close()

    assert own_connection.is_usable() is False
