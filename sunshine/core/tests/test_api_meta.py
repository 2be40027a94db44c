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


def test_a_nul_character_in_a_parameter_is_a_400_not_a_500(client, city, login):
    client = login(city.accounts["office"])
    api = client.get("/api/v1/org/units", {"q": "a\x00b"})
    assert api.status_code == 400 and api.json()["code"] == "invalid_characters"
    page = client.get("/desk/households/", {"q": "\x00"})
    assert page.status_code == 400 and "无效字符" in page.content.decode()
    body = client.post("/api/v1/public/household-check", data='{"name": "\\u0000"}', content_type="application/json")
    assert body.status_code == 400
