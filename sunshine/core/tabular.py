"""Read the spreadsheets users already have: XLSX/XLS (python-calamine) and CSV in UTF-8 or GBK, streamed.

Government systems export files with a title row or two above the header, merged cells, full-width digits, stray
spaces and headings that vary by system ("证件号码" / "身份证号码"). `open_table` finds the header by its Chinese
headings, maps each wanted column, and yields normalised rows numbered as the user sees them in Excel, so an error
can say "第 12 行". Parsing helpers for amounts and dates live here too, for every importer.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import BinaryIO

from sunshine.core.errors import CoreErrorCode

from .errors import ApplicationError

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
SNIFF_BYTES = 64 * 1024
# Excel keeps 15 significant digits: a longer number typed into a numeric cell (an ID or card number) has already
# lost its last digits before we ever see it.
EXACT_FLOAT_DIGITS = 15
MAX_ERRORS_KEPT = 1000
FOLD_CACHE_MAX = 100_000
NUL = "\x00"
ZIP_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".ods"}


@dataclass(frozen=True)
class TableLimits:
    """What a file may hold before it is refused unread (a zip bomb, a 100 MB line, a million columns).

    The defaults admit the benchmarks' million-row files; settings.SUNSHINE_IMPORT_LIMITS overrides any of them
    (keys in upper case: MAX_ROWS, MAX_COLUMNS, ...)."""

    max_rows: int = 2_000_000
    max_columns: int = 200
    max_cell_chars: int = 32_767  # Excel's own limit for a cell
    max_line_bytes: int = 1024 * 1024
    max_expansion_ratio: int = 100  # an XLSX's sheets, unzipped, against the file's size
    max_expanded_bytes: int = 1024 * 1024 * 1024

    @classmethod
    def from_settings(cls) -> TableLimits:
        from django.conf import settings

        configured = getattr(settings, "SUNSHINE_IMPORT_LIMITS", None) or {}
        return cls(**{name: int(configured[name.upper()]) for name in cls.__dataclass_fields__
                      if configured.get(name.upper()) is not None})


class FileRefused(ApplicationError):
    """A file over one of the TableLimits: refused before (or while) reading, and the import job fails with the
    message (nothing is imported)."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:,.0f} KB"


@dataclass(frozen=True)
class Column:
    """A wanted column: its key, the headings it goes by, whether the file must have it, and whether blank cells
    take the value from above (household-level columns that exports merge vertically)."""

    key: str
    headings: tuple[str, ...]
    required: bool = True
    fill_down: bool = False


@dataclass(slots=True)
class Row:
    number: int  # 1-based row number as shown by Excel (or the CSV line number)
    values: dict[str, str]
    problems: dict[str, str] = field(default_factory=dict)  # key -> reason found while reading the cell

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


class RowErrors:
    """Every bad row with its number, column and reason; the import writes nothing while any exist."""

    def __init__(self, limit: int = MAX_ERRORS_KEPT):
        self.limit = limit
        self.count = 0
        self._items: list[dict] = []

    def add(self, row: int, column: str, reason: str) -> None:
        self.count += 1
        if len(self._items) < self.limit:
            self._items.append({"row": row, "column": column, "reason": reason})

    def add_row_problems(self, row: Row, headings: dict[str, str]) -> None:
        for key, reason in row.problems.items():
            self.add(row.number, headings.get(key, key), reason)

    def as_list(self) -> list[dict]:
        return list(self._items)

    def clear(self) -> None:
        self.count = 0
        self._items = []

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count

    def summary(self) -> str:
        more = f"（仅列出前 {self.limit} 条）" if self.count > self.limit else ""
        return f"共 {self.count} 处错误{more}，文件未导入任何数据。请修改后重新导入。"


_HEADING_NOISE = re.compile(r"[\s\*\u3000:：]+")
_PAREN = re.compile(r"[(（][^)）]*[)）]")


def normalize_heading(text: object) -> str:
    """'  证件号码* ' → '证件号码'; full-width forms folded; a trailing unit such as '(元)' kept for exact matching."""
    return _HEADING_NOISE.sub("", unicodedata.normalize("NFKC", str(text or "")))


def _heading_keys(text: str) -> set[str]:
    base = normalize_heading(text)
    return {base, _PAREN.sub("", base)} - {""}


def normalize_cell(value: object) -> tuple[str, str | None]:
    """A cell as stripped NFKC text, and a problem if the cell cannot be trusted (a number too long for Excel)."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("是" if value else "否"), None
    if isinstance(value, float):
        if value.is_integer():
            text = str(int(value))
            if len(text.lstrip("-")) > EXACT_FLOAT_DIGITS:
                return text, "该单元格是数字格式，超过15位的数字已被Excel截断，请将该列设为文本格式后重新导出"
            return text, None
        return repr(value), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, dt.datetime):
        return (value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, dt.timedelta):
        return str(value), None
    text = str(value)
    if text.isascii():  # NFKC leaves ASCII unchanged; most cells of a million-row file are digits and dates
        return text.strip(), None
    return unicodedata.normalize("NFKC", text).strip(), None


class Table:
    """A header-mapped view over a sheet or CSV; `rows()` streams the data rows."""

    def __init__(self, *, filename: str, columns: list[Column], header_index: int, mapping: dict[str, int],
                 headings: dict[str, str], raw_rows: Iterator[list], first_row_number: int,
                 merged: list | None, total_rows_hint: int | None, limits: TableLimits | None = None,
                 check_cells: bool = True, byte_guard: _LineLimited | None = None):
        self.filename = filename
        self.byte_guard = byte_guard
        self.limits = limits or TableLimits()
        # Cells are checked one by one (length, NUL) only where the reader does not bound them already: an XLSX,
        # or a CSV once a NUL byte was seen in it (_LineLimited sets `nul_seen`).
        self._check_cells = check_cells
        self.columns = columns
        self.header_row_number = first_row_number + header_index
        self.mapping = mapping
        self.headings = headings  # key -> the heading text as found in the file
        self._raw_rows = raw_rows
        self._first_row_number = first_row_number
        self._merged = merged or []
        self.total_rows_hint = total_rows_hint

    def rows(self) -> Iterator[Row]:
        fill = {c.key for c in self.columns if c.fill_down}
        merged_from = self._merged_sources()
        last: dict[str, str] = {}
        items = tuple(self.mapping.items())
        width = max((index for _, index in items), default=-1) + 1
        folded: dict[str, str] = {}  # NFKC of the non-ASCII texts seen (names and items recur row after row)
        header = self.header_row_number
        limits = self.limits
        max_rows, max_columns, max_cell = limits.max_rows, limits.max_columns, limits.max_cell_chars
        guard = self.byte_guard
        for offset, raw in enumerate(self._raw_rows):
            number = header + 1 + offset
            if offset >= max_rows:
                raise FileRefused(f"文件超过单个文件 {max_rows:,} 行的上限，请拆分后分别导入", code=CoreErrorCode.FILE_TOO_MANY_ROWS)
            if len(raw) < width:
                raw = [*raw, *([None] * (width - len(raw)))]
            elif len(raw) > max_columns:
                raise FileRefused(f"第 {number} 行有 {len(raw)} 列，超过 {max_columns} 列的上限，请检查文件",
                                  code=CoreErrorCode.FILE_TOO_MANY_COLUMNS)
            check = self._check_cells or (guard is not None and guard.nul_seen)
            values: dict[str, str] = {}
            problems: dict[str, str] = {}
            for key, index in items:
                cell = raw[index]
                # Inline for the usual cell (text, from a CSV or a text column): a call per cell is most of the
                # cost of reading a million-row file.
                if type(cell) is str:
                    if check:
                        if len(cell) > max_cell:
                            raise FileRefused(
                                f"第 {number} 行“{self.headings.get(key, key)}”列的内容有 {len(cell):,} 个字符，"
                                f"超过单元格 {max_cell:,} 个字符的上限", code=CoreErrorCode.FILE_CELL_TOO_LONG)
                        if NUL in cell:
                            problems[key] = "单元格含有空字符（NUL），请删除后重新导出"
                            cell = cell.replace(NUL, "")
                    if cell.isascii():
                        text = cell.strip()
                    else:
                        text = folded.get(cell)
                        if text is None:
                            text = unicodedata.normalize("NFKC", cell).strip()
                            if len(folded) < FOLD_CACHE_MAX:
                                folded[cell] = text
                else:
                    text, problem = normalize_cell(cell)
                    if problem:
                        problems[key] = problem
                values[key] = text
            if not any(values.values()) and not any(normalize_cell(c)[0] for c in raw):
                continue  # blank line: skipped, as a person reading the sheet would
            if fill or merged_from:
                for key, index in items:
                    if not values[key] and ((number, index) in merged_from or key in fill):
                        values[key] = last.get(key, "")
                last.update({k: v for k, v in values.items() if v})
            yield Row(number, values, problems)

    def _merged_sources(self) -> set[tuple[int, int]]:
        """(row number, column index) of cells covered by a merge below its top-left cell."""
        covered: set[tuple[int, int]] = set()
        for (r1, c1), (r2, c2) in self._merged:
            for r in range(r1 + 1, r2 + 1):
                for c in range(c1, c2 + 1):
                    covered.add((r + 1, c))  # calamine rows are 0-based; ours are Excel's 1-based numbers
        return covered


def open_table(source: str | Path | BinaryIO | bytes, *, filename: str, columns: list[Column],
               header_search_rows: int = 10, limits: TableLimits | None = None) -> Table:
    """Open an XLSX/XLS/CSV file and map `columns` by their headings; raises ApplicationError when it can't, and
    FileRefused (before reading, where the file says enough) when it is over `limits`."""
    limits = limits or TableLimits.from_settings()
    suffix = Path(filename).suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        raw_rows, first_row_number, merged, height = _excel_rows(source, suffix=suffix, limits=limits)
        check_cells, guard = True, None  # a crafted sheet may hold anything; a CSV's cells the csv module bounds
    elif suffix in CSV_SUFFIXES or suffix == "":
        raw_rows, first_row_number, merged, height, guard = _csv_rows(source, limits=limits)
        check_cells = False
    else:
        raise ApplicationError(f"不支持的文件类型“{suffix}”，请上传 .xlsx、.xls 或 .csv 文件", code=CoreErrorCode.FILE_TYPE)

    head: list[list] = []
    for _ in range(header_search_rows):
        try:
            head.append(next(raw_rows))
        except StopIteration:
            break
    if not head:
        raise ApplicationError("文件是空的", code=CoreErrorCode.FILE_EMPTY)
    header_index, mapping, headings = _find_header(head, columns)
    remaining = iter(head[header_index + 1:])
    total = None if height is None else max(height - header_index - 1, 0)
    if total is not None and total > limits.max_rows:
        raise FileRefused(f"文件有 {total:,} 行数据，超过单个文件 {limits.max_rows:,} 行的上限，请拆分后分别导入",
                          code=CoreErrorCode.FILE_TOO_MANY_ROWS)
    return Table(filename=filename, columns=columns, header_index=header_index, mapping=mapping,
                 headings=headings, raw_rows=_chain(remaining, raw_rows), first_row_number=first_row_number,
                 merged=merged, total_rows_hint=total, limits=limits, check_cells=check_cells,
                 byte_guard=guard)


def _chain(first: Iterator[list], rest: Iterator[list]) -> Iterator[list]:
    yield from first
    yield from rest


def _find_header(head: list[list], columns: list[Column]) -> tuple[int, dict[str, int], dict[str, str]]:
    wanted = {c.key: set().union(*(_heading_keys(h) for h in c.headings)) for c in columns}
    best: tuple[int, int, dict[str, int], dict[str, str]] | None = None
    for index, raw in enumerate(head):
        mapping: dict[str, int] = {}
        found: dict[str, str] = {}
        for col_index, cell in enumerate(raw):
            text = normalize_cell(cell)[0]
            keys = _heading_keys(text)
            if not keys:
                continue
            for column in columns:
                if column.key not in mapping and keys & wanted[column.key]:
                    mapping[column.key] = col_index
                    # named as typed in the file (NFKC would turn its "（元）" into "(元)")
                    found[column.key] = str(cell).strip() if isinstance(cell, str) else text
                    break
        score = len(mapping)
        if best is None or score > best[0]:
            best = (score, index, mapping, found)
    assert best is not None
    score, index, mapping, found = best
    missing = [c for c in columns if c.required and c.key not in mapping]
    if score == 0 or missing:
        names = "、".join(f"“{c.headings[0]}”" for c in (missing or [c for c in columns if c.required]))
        raise ApplicationError(
            f"没有找到必需的列：{names}。请确认表头在前 {len(head)} 行内，列名与系统导出的一致",
            code=CoreErrorCode.MISSING_COLUMNS,
        )
    return index, mapping, found


def _check_zip(source, *, limits: TableLimits) -> None:
    """Refuse an XLSX whose parts, by the sizes its zip directory declares, expand past the limits (a zip bomb),
    before the reader unpacks anything."""
    if isinstance(source, bytes):
        handle, size = io.BytesIO(source), len(source)
    elif isinstance(source, (str, Path)):
        handle, size = source, os.path.getsize(source)
    elif hasattr(source, "seek") and source.seekable():
        position = source.tell()
        source.seek(0, os.SEEK_END)
        size = source.tell() - position
        source.seek(position)
        handle = source
    else:
        return
    try:
        with zipfile.ZipFile(handle) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip (an old .xls, or a damaged file): the reader says what is wrong with it
    finally:
        if hasattr(source, "seek") and not isinstance(source, (str, Path, bytes)):
            source.seek(position)
    if expanded > limits.max_expanded_bytes or expanded > limits.max_expansion_ratio * max(size, 1):
        raise FileRefused(
            f"该 Excel 文件（{_mb(size)}）解压后有 {_mb(expanded)}，超过上限(文件大小的 "
            f"{limits.max_expansion_ratio} 倍且不超过 {_mb(limits.max_expanded_bytes)})，可能是异常文件，未读取。"
            "请另存为 .xlsx 或 .csv 后重新导入", code=CoreErrorCode.FILE_EXPANDS_TOO_MUCH)


def _excel_rows(source, *, suffix: str = ".xlsx",
                limits: TableLimits | None = None) -> tuple[Iterator[list], int, list, int | None]:
    from python_calamine import CalamineError, CalamineWorkbook

    limits = limits or TableLimits()
    if suffix in ZIP_SUFFIXES:
        _check_zip(source, limits=limits)
    try:
        if isinstance(source, (str, Path)):
            workbook = CalamineWorkbook.from_path(str(source))
        elif isinstance(source, bytes):
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            workbook = CalamineWorkbook.from_filelike(source)
        sheet = workbook.get_sheet_by_index(0)
    except (CalamineError, ValueError, OSError) as exc:
        raise ApplicationError(f"无法读取该 Excel 文件：{exc}", code=CoreErrorCode.FILE_UNREADABLE) from exc
    if sheet.width > limits.max_columns:
        raise FileRefused(f"工作表有 {sheet.width} 列，超过 {limits.max_columns} 列的上限，请检查文件",
                          code=CoreErrorCode.FILE_TOO_MANY_COLUMNS)
    if sheet.height > limits.max_rows + 10:  # the header may sit below a few title rows
        raise FileRefused(f"工作表有 {sheet.height:,} 行，超过单个文件 {limits.max_rows:,} 行的上限，请拆分后分别导入",
                          code=CoreErrorCode.FILE_TOO_MANY_ROWS)
    # calamine's range starts at the first used cell; rows before it are empty in Excel.
    start_row = sheet.start[0] if sheet.start else 0
    merged = sheet.merged_cell_ranges or []
    return iter(sheet.iter_rows()), start_row + 1, merged, sheet.height


def _detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the sample decodes as UTF-8, else GB18030 (a superset of GBK)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a multi-byte character cut at the sample's end is not an error
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


def _csv_rows(source, *, limits: TableLimits | None = None
              ) -> tuple[Iterator[list], int, list, int | None, _LineLimited]:
    limits = limits or TableLimits()
    if isinstance(source, (str, Path)):
        binary: BinaryIO = open(source, "rb")  # noqa: SIM115 - closed by the generator below
        total = _count_lines(binary)
    elif isinstance(source, bytes):
        binary = io.BytesIO(source)
        total = source.count(b"\n") + (0 if source.endswith(b"\n") else 1)
    else:
        binary = source
        total = _count_lines(binary) if binary.seekable() else None
    if total is not None and total > limits.max_rows + 10:  # the header may sit below a few title rows
        if isinstance(source, (str, Path)):
            binary.close()
        raise FileRefused(f"文件有 {total:,} 行，超过单个文件 {limits.max_rows:,} 行的上限，请拆分后分别导入",
                          code=CoreErrorCode.FILE_TOO_MANY_ROWS)
    sample = binary.read(SNIFF_BYTES)
    if binary.seekable():
        binary.seek(0)
    else:
        binary = io.BufferedReader(_Prefixed(sample, binary))  # type: ignore[arg-type]
    encoding = _detect_encoding(sample)
    delimiter = _guess_delimiter(sample.decode(encoding, errors="ignore"))
    guard = _LineLimited(binary, max_line=limits.max_line_bytes)
    # The csv module's own bound on a field, set to the cell limit: a longer cell stops it (a process-wide setting,
    # read only by csv readers; every reader in the project reads through here).
    csv.field_size_limit(limits.max_cell_chars)

    def rows() -> Iterator[list]:
        stream = io.TextIOWrapper(io.BufferedReader(guard, buffer_size=1 << 16), encoding=encoding, errors="strict", newline="")
        reader = csv.reader(stream, delimiter=delimiter)
        try:
            yield from reader
        except UnicodeDecodeError as exc:
            raise ApplicationError(f"文件编码无法识别（既不是 UTF-8 也不是 GBK）：{exc.reason}", code=CoreErrorCode.ENCODING) from exc
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise FileRefused(f"第 {reader.line_num} 行附近有一个单元格超过 {limits.max_cell_chars:,} 个字符的上限，"
                                  "请检查文件", code=CoreErrorCode.FILE_CELL_TOO_LONG) from exc
            raise ApplicationError(f"第 {reader.line_num} 行附近的 CSV 格式有误：{exc}", code=CoreErrorCode.CSV_MALFORMED) from exc
        finally:
            stream.detach() if not isinstance(source, (str, Path)) else stream.close()
            if isinstance(source, (str, Path)):
                binary.close()

    return rows(), 1, [], total, guard


class _LineLimited(io.RawIOBase):
    """A byte stream that refuses a line longer than `max_line` bytes as it passes (so a 100 MB line is never held
    in memory), and notes whether any NUL byte went by (then the rows' cells are checked for it).

    Hand-written: the csv module reads whole lines, and no library bounds a line before it is read."""

    def __init__(self, raw: BinaryIO, *, max_line: int):
        self._raw = raw
        self._max_line = max_line
        self._line = 0  # bytes since the last newline
        self.line_number = 1
        self.nul_seen = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._raw.read(len(buffer))
        if not data:
            return 0
        last = data.rfind(b"\n")
        if last < 0:
            self._line += len(data)
        else:
            longest = max((len(part) for part in data[:last].split(b"\n")), default=0) \
                if len(data) > self._max_line else 0
            self._line += data.find(b"\n")
            if max(self._line, longest) > self._max_line:
                self._refuse()
            self.line_number += data.count(b"\n")
            self._line = len(data) - last - 1
        if self._line > self._max_line:
            self._refuse()
        if not self.nul_seen and b"\x00" in data:
            self.nul_seen = True
        buffer[: len(data)] = data
        return len(data)

    def _refuse(self):
        raise FileRefused(f"第 {self.line_number} 行附近有一行超过 {_mb(self._max_line)} 的上限，"
                          "可能不是正常的表格文件，请检查文件", code=CoreErrorCode.FILE_LINE_TOO_LONG)


def _guess_delimiter(text: str) -> str:
    """The delimiter most used in the first lines (title rows above the header have none, so csv.Sniffer
    guesses badly on government exports)."""
    lines = text.splitlines()[:30]
    counts = {d: sum(line.count(d) for line in lines) for d in (",", "\t", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _count_lines(binary: BinaryIO) -> int | None:
    """Lines in a seekable file, counted in binary chunks (fast, constant memory) for the progress bar."""
    try:
        position = binary.tell()
        count, last = 0, b""
        while chunk := binary.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk
        binary.seek(position)
        return count + (1 if last and not last.endswith(b"\n") else 0)
    except (OSError, ValueError):
        return None


class _Prefixed(io.RawIOBase):
    """A non-seekable stream with the already-read sample put back in front."""

    def __init__(self, prefix: bytes, rest: BinaryIO):
        self._prefix = prefix
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


# ---- value parsers shared by the importers -------------------------------------------------------------------

_AMOUNT_NOISE = re.compile(r"[,\s¥￥元]|RMB|CNY", re.IGNORECASE)
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s.*)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_amount(text: str, *, allow_negative: bool = False, places: int = 2) -> Decimal:
    """'1,234.50元' → Decimal('1234.50'); raises ValueError with a Chinese reason."""
    cleaned = _AMOUNT_NOISE.sub("", text or "")
    negative = cleaned.startswith("(") and cleaned.endswith(")")
    if negative:
        cleaned = "-" + cleaned[1:-1]
    if not cleaned:
        raise ValueError("金额为空")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"金额“{text}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"金额“{text}”不是数字")
    if value < 0 and not allow_negative:
        raise ValueError(f"金额“{text}”不能为负数")
    quantum = Decimal(1).scaleb(-places)
    if value != value.quantize(quantum):
        raise ValueError(f"金额“{text}”最多保留{places}位小数")
    return value.quantize(quantum)


def parse_date(text: str) -> dt.date:
    """Accepts 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, 20240501 and Excel serial numbers."""
    text = (text or "").strip()
    if not text:
        raise ValueError("日期为空")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                raise ValueError(f"日期“{text}”不存在") from None
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial date that arrived as a number
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    raise ValueError(f"日期“{text}”格式无法识别，请使用 2024-05-01 格式")


def file_sha256(path: str | os.PathLike) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
