"""PDF attachments are parsed: active content is refused however its names are spelt, metadata does not travel."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from sunshine.cases.attachments import AttachmentRejected, check_upload
from sunshine.cases.tests.pdfs import raw_pdf, real_pdf


def _check(data: bytes) -> bytes:
    upload = SimpleUploadedFile("证明材料.pdf", data, content_type="application/pdf")
    assert check_upload(upload) == "application/pdf"
    upload.seek(0)
    return upload.read()


def _refused(data: bytes) -> str:
    with pytest.raises(AttachmentRejected) as exc:
        _check(data)
    return exc.value.code


def test_a_plain_pdf_is_kept_page_for_page_without_its_author_and_title():
    stored = _check(real_pdf(author="张三"))
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 1
    assert not reader.metadata or not {"/Author", "/Creator", "/Title"} & set(reader.metadata)
    assert "张三".encode("utf-16-be") not in stored and b"Zhang San" not in stored


def test_a_raw_pdf_loses_its_info_dictionary_and_xmp_metadata():
    xmp = b"<< /Type /Metadata /Subtype /XML /Length 30 >>\nstream\n<x:xmpmeta>Zhang San</x:xmpmeta>\nendstream"
    stored = _check(raw_pdf(catalog_extra=b"/Metadata 4 0 R", page_extra=b"/Metadata 4 0 R", objects=(xmp,)))
    assert b"Zhang San" not in stored
    assert len(PdfReader(io.BytesIO(stored)).pages) == 1


@pytest.mark.parametrize("data", [
    pytest.param(raw_pdf(catalog_extra=b"/Names << /JavaScript << /Names [(x) 4 0 R] >> >>",
                         objects=(b"<< /S /JavaScript /JS (app.alert(1)) >>",)), id="document-javascript"),
    pytest.param(raw_pdf(catalog_extra=b"/OpenAction 4 0 R", objects=(b"<< /S /JavaScript /JS (app.alert(1)) >>",)),
                 id="open-action-javascript"),
    pytest.param(raw_pdf(catalog_extra=b"/OpenAction 4 0 R", objects=(b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",)),
                 id="name-escaped-javascript"),
    pytest.param(raw_pdf(catalog_extra=b"/OpenAction << /S /L#61unch /F (cmd.exe) >>"), id="name-escaped-launch"),
    pytest.param(raw_pdf(page_extra=b"/Annots [4 0 R]",
                         objects=(b"<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /Launch /F (a.exe) >> >>",)),
                 id="launch-link"),
    pytest.param(raw_pdf(catalog_extra=b"/OpenAction [3 0 R /Fit]"), id="open-action-goto"),
    pytest.param(raw_pdf(page_extra=b"/AA << /O << /S /URI /URI (http://x.example) >> >>"), id="page-open-action"),
    pytest.param(real_pdf(attachment=b"MZ\x90\x00"), id="embedded-file"),
    pytest.param(raw_pdf(objects=(b"<< /Type /EmbeddedF#69le /Length 0 >>\nstream\n\nendstream",)),
                 id="unreferenced-escaped-embedded-file"),
])
def test_a_pdf_with_active_content_is_refused(data):
    assert _refused(data) == "attachment_active_pdf"


def test_an_encrypted_pdf_is_refused_because_it_cannot_be_checked():
    assert _refused(real_pdf(password="secret")) == "attachment_encrypted_pdf"


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj", b"%PDF-1.4\n" + b"\x00garbage" * 50, b"%PDF-1.7\n%%EOF\n"])
def test_a_damaged_pdf_is_refused_with_a_plain_message(data):
    assert _refused(data) == "attachment_damaged"
