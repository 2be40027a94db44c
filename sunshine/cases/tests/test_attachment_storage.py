"""Attachments sit under MEDIA_ROOT at random paths, are served only to staff who see the case."""
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sunshine.cases.models import Attachment

from .builders import submit

pytestmark = pytest.mark.django_db


def _png(name="张三家的房子.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_an_attachment_is_stored_at_a_random_path_that_names_nobody(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report, case, _ = submit(city, attachments=[_png()])
    attachment = Attachment.objects.get(report=report)
    assert re.fullmatch(r"cases/\d{4}/[0-9a-f]{32}/[0-9a-f]{32}\.png", attachment.file.name)
    assert "张三" not in attachment.file.name
    assert (tmp_path / attachment.file.name).exists() and len(attachment.sha256) == 64


def test_the_handler_downloads_an_attachment_and_another_township_gets_404(login, city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report, case, _ = submit(city, attachments=[_png()])
    attachment = Attachment.objects.get(report=report)
    url = reverse("desk:case_attachment", args=[attachment.pk])
    response = login(city.accounts["township1"]).get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert login(city.accounts["township2"]).get(url).status_code == 404


def _without_token_and_path(response) -> str:
    page = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())
    return re.sub(r"/desk/cases/attachments/\d+/", "", page)


@pytest.mark.parametrize("account", ["township2", "village1"])
def test_an_attachment_out_of_reach_answers_exactly_as_a_missing_one(account, login, city, settings, tmp_path):
    """township2 sees another township's cases; village1 reads no cases at all (it was a 403, telling that the
    file exists). Both get the 404 a nonexistent id gets, with the same page."""
    settings.MEDIA_ROOT = tmp_path
    report, case, _ = submit(city, attachments=[_png()])
    attachment = Attachment.objects.get(report=report)
    client = login(city.accounts[account])
    existing = client.get(reverse("desk:case_attachment", args=[attachment.pk]))
    missing = client.get(reverse("desk:case_attachment", args=[attachment.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert _without_token_and_path(existing) == _without_token_and_path(missing)


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(city, settings, tmp_path):
    from sunshine.core.errors import ApplicationError

    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ApplicationError):
        submit(city, attachments=[SimpleUploadedFile("x.exe", b"MZ\x90\x00binary", content_type="image/png")])
    assert not Attachment.objects.exists()
