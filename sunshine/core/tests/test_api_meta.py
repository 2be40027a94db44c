import pytest

pytestmark = pytest.mark.django_db


def test_health_answers_without_login(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"


def test_openapi_document_lists_the_org_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/org/households" in doc["paths"]
    assert doc["info"]["title"].startswith("阳光监督")


def test_unknown_api_path_is_a_json_404_not_a_500(client):
    assert client.get("/api/v1/org/households/not-a-number").status_code in (401, 404, 422)


def test_pages_are_chinese_whatever_the_browser_asks_and_english_by_choice(client):
    page = client.get("/desk/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="zh-CN"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/desk/login/"})
    assert 'lang="en"' in client.get("/desk/login/").content.decode()


def test_the_openapi_document_has_no_duplicate_keys(client):
    import json

    def no_duplicates(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=no_duplicates)
