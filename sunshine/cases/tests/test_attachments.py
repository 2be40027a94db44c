"""Attachments: recognised by content, cleaned of metadata, size-limited; refusals say why in plain Chinese."""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import ExifTags, Image

from sunshine.cases import attachments
from sunshine.cases.attachments import AttachmentRejected, check_upload, clean_uploads
from sunshine.cases.tests.pdfs import raw_pdf, real_pdf

GPS = {1: "N", 2: (27.0, 44.0, 12.5), 3: "E", 4: (112.0, 31.0, 40.0)}


def photo(fmt="JPEG", *, size=(64, 48), gps=True, orientation=None, mode="RGB") -> bytes:
    image = Image.new(mode, size, "red")
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "VillagePhone"
    exif[ExifTags.Base.DateTimeOriginal] = "2026:11:01 08:30:00"
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    out = io.BytesIO()
    image.save(out, fmt, exif=exif)
    return out.getvalue()


def pdf() -> bytes:
    return real_pdf()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_bytes(u) -> bytes:
    u.seek(0)
    return u.read()


def test_a_jpeg_with_gps_exif_comes_out_without_it():
    original = photo()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    u = upload("IMG_20261101.jpg", original, "image/jpeg")

    assert check_upload(u) == "image/jpeg"

    cleaned = stored_bytes(u)
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG" and image.size == (64, 48)
    assert not image.getexif() and not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"Exif" not in cleaned and b"VillagePhone" not in cleaned
    assert u.size == len(cleaned)


def test_a_sideways_phone_photo_is_turned_upright_before_its_exif_is_dropped():
    u = upload("p.jpg", photo(size=(80, 40), orientation=6), "image/jpeg")
    check_upload(u)
    assert Image.open(io.BytesIO(stored_bytes(u))).size == (40, 80)


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("WEBP", "image/webp")])
def test_png_and_webp_are_cleaned_too(fmt, content_type):
    u = upload("x.img", photo(fmt), "image/jpeg")
    assert check_upload(u) == content_type
    cleaned = stored_bytes(u)
    assert not Image.open(io.BytesIO(cleaned)).getexif()
    assert b"VillagePhone" not in cleaned


def test_an_exe_renamed_jpg_is_rejected_with_a_message():
    u = upload("照片.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200, "image/jpeg")
    with pytest.raises(AttachmentRejected) as exc:
        check_upload(u)
    assert exc.value.code == "attachment_type"
    assert "不是照片" in exc.value.message and "照片.jpg" in exc.value.message


def test_a_file_that_only_starts_like_a_jpeg_is_rejected_as_damaged():
    u = upload("half.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 100, "image/jpeg")
    with pytest.raises(AttachmentRejected) as exc:
        check_upload(u)
    assert exc.value.code == "attachment_damaged"


def test_an_oversized_file_is_rejected_even_when_its_declared_size_lies():
    big = upload("big.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(AttachmentRejected) as exc:
        check_upload(big)
    assert exc.value.code == "attachment_too_large" and "10 MB" in exc.value.message

    liar = upload("liar.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "application/pdf")
    liar.size = 100
    with pytest.raises(AttachmentRejected):
        check_upload(liar)


def test_a_picture_too_large_to_decode_safely_is_refused(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(AttachmentRejected) as exc:
        check_upload(upload("wide.png", photo("PNG", size=(100, 100), gps=False)))
    assert exc.value.code == "attachment_too_many_pixels"


def test_a_huge_picture_is_scaled_down(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_IMAGE_SIDE", 50)
    u = upload("large.jpg", photo(size=(200, 100)))
    check_upload(u)
    assert max(Image.open(io.BytesIO(stored_bytes(u))).size) == 50


def test_a_pdf_is_taken_and_a_pdf_with_scripts_is_not():
    ok = upload("证明.pdf", pdf())
    assert check_upload(ok) == "application/pdf"
    assert stored_bytes(ok).startswith(b"%PDF-")

    with pytest.raises(AttachmentRejected) as exc:
        check_upload(upload("x.pdf", raw_pdf(objects=(b"<< /S /JavaScript /JS (app.alert(1)) >>",))))
    assert exc.value.code == "attachment_active_pdf"

    with pytest.raises(AttachmentRejected) as exc:
        check_upload(upload("cut.pdf", b"%PDF-1.4\n1 0 obj"))
    assert exc.value.code == "attachment_damaged"


def test_an_empty_file_is_refused():
    with pytest.raises(AttachmentRejected) as exc:
        check_upload(upload("empty.jpg", b""))
    assert exc.value.code == "attachment_empty"


def test_the_real_type_decides_the_extension():
    u = upload("scan.jpg", photo("PNG"))
    check_upload(u)
    assert u.name == "scan.png" and u.content_type == "image/png"


def test_the_portal_renames_files_so_a_file_name_cannot_name_the_reporter():
    files = clean_uploads([upload("张三家门口.jpg", photo()), upload("李四的证明.pdf", pdf())])
    assert [f.name for f in files] == ["附件1.jpg", "附件2.pdf"]


def test_more_than_five_files_are_refused():
    with pytest.raises(AttachmentRejected) as exc:
        clean_uploads([upload(f"{i}.pdf", pdf()) for i in range(6)])
    assert exc.value.code == "too_many_attachments"


def test_checking_twice_does_not_encode_the_picture_twice():
    u = upload("p.jpg", photo())
    check_upload(u)
    first = stored_bytes(u)
    check_upload(u)
    assert stored_bytes(u) == first


def test_a_large_upload_spooled_to_disk_is_cleaned_in_its_temporary_file():
    data = photo()
    u = TemporaryUploadedFile("p.jpg", "image/jpeg", len(data), None)
    u.write(data)
    u.seek(0)
    check_upload(u)
    with open(u.temporary_file_path(), "rb") as handle:  # what FileSystemStorage moves into MEDIA_ROOT
        on_disk = handle.read()
    assert b"Exif" not in on_disk and Image.open(io.BytesIO(on_disk)).format == "JPEG"
    u.close()


@pytest.mark.django_db
def test_a_report_stores_the_cleaned_picture(city, settings, tmp_path):
    from sunshine.cases.choices import Channel
    from sunshine.cases.services import report_submit

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "model.json")
    report, _ = report_submit(channel=Channel.ONLINE, text="扶贫鸡苗死了一半", region=city.villages[0],
                              attachments=[upload("IMG_0001.jpg", photo(), "image/jpeg")])
    attachment = report.attachments.get()
    with attachment.file.open("rb") as handle:
        on_disk = handle.read()
    assert attachment.content_type == "image/jpeg"
    assert b"Exif" not in on_disk and not Image.open(io.BytesIO(on_disk)).getexif()
