"""Attachments from the public: only photos (JPEG/PNG/WebP) and PDFs, recognised by content, cleaned of metadata.

A file's name and the browser's content type say nothing reliable about it, so the type comes from the first
bytes (magic numbers) and, for images, from Pillow actually decoding the picture. Every image is re-encoded from
its pixels: the EXIF block of a phone photo holds the GPS position of the reporter's house, the phone model and
the time, which would unmask an anonymous whistleblower. Re-encoding also drops anything hidden after the image
data. PDFs are parsed with pypdf (names such as `/J#61vaScript` decode to `/JavaScript` only in a real parser, so
matching bytes is not enough), refused when any object carries JavaScript, a launch or other active action, an
open action, embedded files, rich media or XFA forms, and otherwise written again page by page: the document
information (author, creator, dates) and XMP metadata of the original do not travel.

`check_upload` is called by services.intake for every channel and cleans the upload in place (it is then stored
as it is); the portal calls `clean_uploads`, which also checks the count and renames the files.
"""
from __future__ import annotations

import io
import os
import warnings

from PIL import Image, ImageOps, UnidentifiedImageError

from sunshine.cases.errors import CasesErrorCode
from sunshine.core.errors import ApplicationError

from . import conf

JPEG, PNG, WEBP, PDF = "image/jpeg", "image/png", "image/webp", "application/pdf"
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", WEBP: ".webp", PDF: ".pdf"}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}
# Decompression bombs: refused before decoding. Above any 64-megapixel phone photo, below the point where
# Pillow itself starts warning (89 MP), so the message is ours.
MAX_IMAGE_PIXELS = 80_000_000
# Staff read attachments on screen and print them; bigger pictures are scaled down to this longer side.
MAX_IMAGE_SIDE = 4096
JPEG_QUALITY = 85
WEBP_QUALITY = 85
# Names (as the parser decodes them) of active PDF content: scripts, actions that run or open something when the
# file is opened or a page is shown, files carried inside, Flash/3D media, XFA forms. A report needs none of them.
PDF_ACTIVE_NAMES = frozenset({
    "/JavaScript", "/JS", "/Launch", "/OpenAction", "/AA", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia",
    "/XFA", "/GoToE", "/GoToR", "/ImportData", "/SubmitForm", "/Sound", "/Movie",
})
# A page tree deeper or an object graph bigger than this is not a scanned letter: refused rather than walked.
PDF_MAX_OBJECTS = 200_000
PDF_MAX_PAGES = 500
_CHECKED = "_sunshine_content_type"


class AttachmentRejected(ApplicationError):
    def __init__(self, message: str, *, code: str):
        super().__init__(message, code=code)


def sniff(head: bytes) -> str | None:
    """The content type from a file's first bytes, or None for anything we do not take."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def _display_name(upload) -> str:
    name = os.path.basename(getattr(upload, "name", "") or "") or "附件"
    return name if len(name) <= 40 else name[:18] + "…" + name[-18:]


def _limit_mb() -> int:
    return conf.get("MAX_ATTACHMENT_BYTES") // (1024 * 1024)


def _read(upload) -> bytes:
    limit = conf.get("MAX_ATTACHMENT_BYTES")
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise AttachmentRejected(f"附件“{_display_name(upload)}”太大，每个附件不能超过 {_limit_mb()} MB",
                                 code=CasesErrorCode.ATTACHMENT_TOO_LARGE)
    upload.seek(0)
    data = upload.read(limit + 1)  # never trust the declared size: read at most one byte past the limit
    if len(data) > limit:
        raise AttachmentRejected(f"附件“{_display_name(upload)}”太大，每个附件不能超过 {_limit_mb()} MB",
                                 code=CasesErrorCode.ATTACHMENT_TOO_LARGE)
    if not data:
        raise AttachmentRejected(f"附件“{_display_name(upload)}”是空文件", code=CasesErrorCode.ATTACHMENT_EMPTY)
    return data


def clean_image(data: bytes, content_type: str, *, name: str = "附件") -> bytes:
    """Decode the picture and write its pixels again in the same format, upright, without any metadata."""
    damaged = AttachmentRejected(f"附件“{name}”图片已损坏或无法识别，请换一张照片", code=CasesErrorCode.ATTACHMENT_DAMAGED)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != PILLOW_FORMATS[content_type]:
                    raise damaged
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise AttachmentRejected(f"附件“{name}”图片尺寸过大", code=CasesErrorCode.ATTACHMENT_TOO_MANY_PIXELS)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.seek(0)  # an animated WebP/PNG keeps its first frame
                image.load()
                upright = ImageOps.exif_transpose(image)  # turn the picture as the phone meant before EXIF goes
    except AttachmentRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, EOFError) as exc:
        raise damaged from exc
    if max(upright.size) > MAX_IMAGE_SIDE:
        upright.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    # Nothing of the original's metadata travels: EXIF, XMP, comments, text chunks, ICC profile.
    upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
    out = io.BytesIO()
    if content_type == JPEG:
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        upright.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    elif content_type == PNG:
        upright.save(out, "PNG")
    else:
        if upright.mode not in ("RGB", "RGBA"):
            upright = upright.convert("RGBA" if "A" in upright.getbands() or "transparency" in upright.info
                                      else "RGB")
        upright.save(out, "WEBP", quality=WEBP_QUALITY)
    return out.getvalue()


def _active_name(reader) -> str | None:
    """The first active-content name found in any object of the file (reachable or not), or None."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack = [reader.trailer]
    stack += [IndirectObject(idnum, generation, reader)
              for generation, numbers in reader.xref.items() for idnum in numbers]
    stack += [IndirectObject(idnum, 0, reader) for idnum in reader.xref_objStm]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > PDF_MAX_OBJECTS:
            return "too many objects"
        if isinstance(item, DictionaryObject):  # streams are dictionaries too: their keys are checked
            for key, value in item.items():
                if key in PDF_ACTIVE_NAMES:
                    return key
                if key == "/S" and isinstance(value, NameObject) and value in PDF_ACTIVE_NAMES:
                    return str(value)
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
        elif isinstance(item, NameObject) and item in PDF_ACTIVE_NAMES:
            return str(item)
    return None


def clean_pdf(data: bytes, *, name: str = "附件") -> bytes:
    """Parse the PDF, refuse active content, and write its pages again without the original's metadata."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.errors import PyPdfError

    damaged = AttachmentRejected(f"附件“{name}”不是完整的 PDF 文件", code=CasesErrorCode.ATTACHMENT_DAMAGED)
    active = AttachmentRejected(f"附件“{name}”含有脚本、自动操作或内嵌文件，出于安全考虑不能上传；可以打印后拍照上传",
                                code=CasesErrorCode.ATTACHMENT_ACTIVE_PDF)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about repairable damage; what it cannot repair raises
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                raise AttachmentRejected(f"附件“{name}”是加密的 PDF，无法检查，请去掉密码后再上传",
                                         code=CasesErrorCode.ATTACHMENT_ENCRYPTED_PDF)
            if _active_name(reader) is not None:
                raise active
            pages = reader.pages
            if len(pages) == 0:
                raise damaged
            if len(pages) > PDF_MAX_PAGES:
                raise AttachmentRejected(f"附件“{name}”页数过多（最多 {PDF_MAX_PAGES} 页）",
                                         code=CasesErrorCode.ATTACHMENT_TOO_MANY_PAGES)
            writer = PdfWriter()
            for page in pages:
                for key in ("/Metadata", "/PieceInfo"):  # per-page XMP and application data: dropped first,
                    page.pop(key, None)                 # or add_page would copy the objects they point at
                writer.add_page(page)
            writer.metadata = None  # no document information dictionary (author, creator, producer, dates)
            out = io.BytesIO()
            writer.write(out)
    except AttachmentRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise damaged from exc
    return out.getvalue()


def _replace_content(upload, data: bytes) -> None:
    """Put the cleaned bytes in the upload's own file: storage then saves (or moves) exactly those bytes."""
    handle = upload.file
    handle.seek(0)
    handle.truncate()
    handle.write(data)
    handle.flush()
    handle.seek(0)
    upload.size = len(data)


def check_upload(upload) -> str:
    """Refuse what is not a JPEG/PNG/WebP photo or a PDF (by content) or is too big; clean it in place.

    Returns the content type. Images are re-encoded without metadata, the file name gets the extension of the
    real type, and `content_type` is set from the content; a second call on the same upload does nothing.
    """
    if getattr(upload, _CHECKED, None):
        return getattr(upload, _CHECKED)
    name = _display_name(upload)
    data = _read(upload)
    content_type = sniff(data[:16])
    if content_type is None:
        raise AttachmentRejected(f"附件“{name}”不是照片（JPG、PNG、WebP）或 PDF 文件，不能上传",
                                 code=CasesErrorCode.ATTACHMENT_TYPE)
    if content_type == PDF:
        data = clean_pdf(data, name=name)
    else:
        data = clean_image(data, content_type, name=name)
    _replace_content(upload, data)
    stem = os.path.splitext(os.path.basename(upload.name or ""))[0] or "附件"
    upload.name = stem[:60] + EXTENSIONS[content_type]
    upload.content_type = content_type
    setattr(upload, _CHECKED, content_type)
    return content_type


def clean_uploads(files, *, prefix: str = "附件") -> list:
    """The portal's uploads checked and cleaned, renamed 附件1.jpg, 附件2.pdf …: a file name can name its owner."""
    files = [f for f in files if f is not None and getattr(f, "name", "")]
    limit = conf.get("MAX_ATTACHMENTS")
    if len(files) > limit:
        raise AttachmentRejected(f"附件最多 {limit} 个，您选择了 {len(files)} 个", code=CasesErrorCode.TOO_MANY_ATTACHMENTS)
    for number, upload in enumerate(files, start=1):
        content_type = check_upload(upload)
        upload.name = f"{prefix}{number}{EXTENSIONS[content_type]}"
    return files
