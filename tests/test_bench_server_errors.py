"""The benchmark fails a round on any server error the clients saw, but not on the 503 the site
answers on purpose (load shed, database away) with Retry-After."""

from bench import stats


def test_a_500_counts_as_a_server_error_and_a_503_does_not():
    rows = [
        (1.0, "save", 200, 12.0),
        (1.1, "save", 503, 3.0),
        (1.2, "save", 500, 40.0),
        (1.3, "submit", 502, 9.0),
        (1.4, "save", 0, 0.0, None, "no answer"),
        (1.5, "offline", 500, 0.0),
    ]

    found = stats.server_errors(rows)

    assert found == {"count": 2, "by_kind": {"save 500": 1, "submit 502": 1}}


def test_a_round_with_only_answers_and_shedding_has_no_server_error():
    rows = [(1.0, "save", 200, 12.0), (1.1, "login", 503, 3.0), (1.2, "clock", 204, 1.0)]

    assert stats.server_errors(rows)["count"] == 0
