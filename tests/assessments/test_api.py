import json

import pytest

from assessments import services
from assessments.models import Score
from tests.assessments.conftest import item, score_all
from tests.conftest import login

pytestmark = pytest.mark.django_db


def put(client, assessment, it, body, **extra):
    return client.put(
        f"/api/v1/assessments/{assessment.pk}/items/{it.pk}",
        json.dumps(body),
        content_type="application/json",
        **extra,
    )


def test_the_instrument_is_public(client, instrument):
    data = client.get("/api/v1/assessment-instrument").json()
    assert data["version"] == "FitSM-1 v3.0.1"
    assert [s["value"] for s in data["scale"]] == [0, 1, 2, 3, 4]
    assert sum(len(r["items"]) for r in data["requirements"]) == 82
    assert data["requirements"][7]["code"] == "PR1" and data["requirements"][7]["kind"] == "process"


def test_saving_a_score_and_a_stale_repeat(client, assessment, assessor):
    login(client, assessor)
    it = item("PR3.2")
    first = put(client, assessment, it, {"score": 3, "comment": "Reports monthly", "seq": 5})
    assert first.status_code == 200
    assert first.json() | {"changed_at": None} == {
        "item_id": it.pk,
        "item": "PR3.2",
        "score": 3,
        "comment": "Reports monthly",
        "seq": 5,
        "changed_by": "assessor@provider.example",
        "changed_at": None,
        "stale": False,
    }
    again = put(client, assessment, it, {"score": 1, "comment": "", "seq": 5})
    assert again.status_code == 200 and again.json()["stale"] is True and again.json()["score"] == 3


def test_the_later_sequence_wins_between_two_assessors(client, assessment, assessor, second_assessor):
    login(client, second_assessor)
    it = item("PR6.1")
    put(client, assessment, it, {"score": 4, "seq": 2000})
    login(client, assessor)
    response = put(client, assessment, it, {"score": 1, "seq": 1999})
    assert response.json()["stale"] and response.json()["changed_by"] == "assessor2@provider.example"


@pytest.mark.parametrize(
    "body, field",
    [
        ({"score": 5, "seq": 1}, "score"),
        ({"score": -1, "seq": 1}, "score"),
        ({"score": 2, "seq": 0}, "seq"),
        ({"score": 2, "seq": 2**53 + 1}, "seq"),
        ({"score": 2, "seq": 1, "comment": "x" * 4001}, "comment"),
        ({"seq": 1}, "score"),
    ],
)
def test_bad_input_answers_422_naming_the_field(client, assessment, assessor, body, field):
    login(client, assessor)
    response = put(client, assessment, item("PR1.1"), body)
    assert response.status_code == 422 and field in response.json()["detail"]
    assert not Score.objects.exists()


def test_status_codes_of_the_score_endpoint(client, assessment, owner, viewer, outsider):
    it = item("PR1.1")
    assert put(client, assessment, it, {"score": 1, "seq": 1}).status_code == 401
    login(client, outsider)
    assert put(client, assessment, it, {"score": 1, "seq": 1}).status_code == 404
    assert client.get(f"/api/v1/assessments/{assessment.pk}").status_code == 404
    assert client.get(f"/api/v1/assessments/{assessment.pk}/results").status_code == 404
    assert client.get(f"/api/v1/providers/{assessment.provider.slug}/assessments").status_code == 404
    login(client, viewer)
    assert put(client, assessment, it, {"score": 1, "seq": 1}).status_code == 403
    login(client, owner)
    other_instrument_item = 10**9
    response = client.put(
        f"/api/v1/assessments/{assessment.pk}/items/{other_instrument_item}",
        json.dumps({"score": 1, "seq": 1}),
        content_type="application/json",
    )
    assert response.status_code == 404


def test_out_of_scope_and_locked_answer_409(client, assessment, owner):
    from tests.assessments.conftest import scope_entries

    services.assessment_scope_set(
        assessment=assessment,
        actor=owner,
        entries=scope_entries(assessment, PR5={"in_scope": False, "reason": "Hosted"}),
    )
    login(client, owner)
    response = put(client, assessment, item("PR5.1"), {"score": 1, "seq": 1})
    assert response.status_code == 409 and response.json()["error"] == "out_of_scope"
    score_all(assessment, owner)
    services.assessment_submit(assessment=assessment, actor=owner)
    response = put(client, assessment, item("PR1.1"), {"score": 1, "seq": 10**7})
    assert response.status_code == 409 and response.json()["error"] == "assessment_locked"


def test_the_api_enforces_csrf_on_writes(csrf_client, assessment, assessor):
    login(csrf_client, assessor)
    assert put(csrf_client, assessment, item("PR1.1"), {"score": 1, "seq": 1}).status_code == 403
    csrf_client.get(f"/assessments/{assessment.pk}/requirements/PR1/")
    token = csrf_client.cookies["csrftoken"].value
    assert (
        put(
            csrf_client, assessment, item("PR1.1"), {"score": 1, "seq": 1}, HTTP_X_CSRFTOKEN=token
        ).status_code
        == 200
    )


def test_list_create_detail_and_results(client, provider, owner, assessor, instrument):
    login(client, assessor)
    assert (
        client.post(
            f"/api/v1/providers/{provider.slug}/assessments",
            json.dumps({"title": "x"}),
            content_type="application/json",
        ).status_code
        == 403
    )
    login(client, owner)
    created = client.post(
        f"/api/v1/providers/{provider.slug}/assessments",
        json.dumps({"title": "Via API"}),
        content_type="application/json",
    )
    assert created.status_code == 201
    assessment_id = created.json()["id"]
    assert [a["title"] for a in client.get(f"/api/v1/providers/{provider.slug}/assessments").json()] == [
        "Via API"
    ]
    put(client, type("A", (), {"pk": assessment_id}), item("GR1.1"), {"score": 2, "seq": 3})
    detail = client.get(f"/api/v1/assessments/{assessment_id}").json()
    assert detail["scored"] == 1 and detail["in_scope"] == 82 and len(detail["scope"]) == 21
    assert detail["scores"][0]["item"] == "GR1.1"
    results = client.get(f"/api/v1/assessments/{assessment_id}/results").json()
    assert {r["level"] for r in results["readiness"]} == {"essentials", "plus"}
    assert results["gaps"][0]["gap"] == 3


def test_the_endpoints_are_in_the_openapi_schema_with_their_bounds(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/assessment-instrument",
        "/api/v1/providers/{slug}/assessments",
        "/api/v1/assessments/{assessment_id}",
        "/api/v1/assessments/{assessment_id}/items/{requirement_item_id}",
        "/api/v1/assessments/{assessment_id}/results",
    ):
        assert path in paths, path
    score_in = schema["components"]["schemas"]["ScoreIn"]["properties"]
    assert score_in["score"]["maximum"] == 4 and score_in["seq"]["maximum"] == 2**53
