import xml.etree.ElementTree as ET

import pytest

from tests.conftest import mfa_login
from trainers import charts, services

from .factories import CertificateFactory

pytestmark = pytest.mark.django_db


def test_bar_chart_geometry_scales_to_the_maximum():
    chart = charts.bar_chart([("A", 50), ("B", 100), ("C", None)], width=400, maximum=100, unit=" %")
    widths = [b["w"] for b in chart["bars"]]
    assert widths[1] == 400 - charts.LABEL_WIDTH - charts.VALUE_WIDTH
    assert widths[0] == widths[1] / 2 and widths[2] == 0
    assert [b["display"] for b in chart["bars"]] == ["50 %", "100 %", "—"]


def test_examiner_sees_programme_figures_with_svg_and_tables(
    client, examiner_user, published_a, admin_a, affiliate, certification
):
    services.session_complete(session=published_a, actor=admin_a, now=published_a.ends_at)
    CertificateFactory(certification=certification)
    mfa_login(client, examiner_user)
    page = client.get("/cms/training/statistics/").content.decode()
    assert "Programme statistics" in page
    svgs = [
        page[i : page.index("</svg>", i) + 6] for i in range(len(page)) if page.startswith("<svg role", i)
    ]
    assert len(svgs) == 3
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.find("{http://www.w3.org/2000/svg}title").text
    assert "<td>Online</td><td>1</td>" in page.replace("\n", "")
    assert "Accredited affiliates</dt><dd>1</dd>" in page.replace("\n", "")
    assert "Accredited ATOs</dt><dd>2</dd>" not in page  # only Alpha is an ATO here
    assert "Accredited ATOs</dt><dd>1</dd>" in page.replace("\n", "")


def test_programme_statistics_are_for_examiners_only(client, admin_a):
    mfa_login(client, admin_a)
    assert client.get("/cms/training/statistics/").status_code in (302, 403)
