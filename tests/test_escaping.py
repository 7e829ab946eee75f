"""Editors' words reach the pages escaped exactly once: never raw, never twice."""

import pytest

from checklist.models import Finding

pytestmark = pytest.mark.django_db

LABEL = 'Clubbing & <b>"nails"</b>'
ESCAPED = "Clubbing &amp; &lt;b&gt;&#34;nails&#34;&lt;/b&gt;"


@pytest.fixture
def tricky_label():
    Finding.objects.filter(slug="clubbing").update(label_en=LABEL)
    Finding.objects.filter(slug="papilledema").update(label_en=LABEL.replace("Clubbing", "Disc"))


@pytest.mark.parametrize("path", ["/en/checklist/", "/en/checklist/print/"])
def test_labels_in_the_form_result_and_warnings(client, tricky_label, path):
    html = client.get(f"{path}?clubbing=present&polyneuropathy=present").content.decode()
    assert LABEL not in html
    assert "&amp;amp;" not in html and "&amp;lt;" not in html and "&amp;#34;" not in html
    assert html.count(ESCAPED) >= 2  # in the findings, and in the "never scored" caution


def test_the_api_gives_plain_text(client, tricky_label):
    body = client.get("/api/v1/evaluate?clubbing=present").json()
    messages = [w["message"] for w in body["results"]["mayo"]["warnings"]]
    assert any(LABEL in message for message in messages)
