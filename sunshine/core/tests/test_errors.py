"""Error codes are enum members, and each kind of failure answers one HTTP status everywhere."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from sunshine.core.errors import ApplicationError, CoreErrorCode, ErrorCode, Forbidden, Kind, NotFound

ROOT = Path(__file__).resolve().parents[2]
APPS = ["core", "org", "funds", "notify", "cases", "oversight", "redflags", "portal", "desk"]
ERROR_CLASSES = {"ApplicationError", "NotFound", "Forbidden", "AttachmentRejected", "ChallengeFailed", "_invalid"}


def _code_enums() -> list[type[ErrorCode]]:
    enums = []
    for app in APPS:
        module_name = "sunshine.core.errors" if app == "core" else f"sunshine.{app}.errors"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        enums += [v for v in vars(module).values()
                  if isinstance(v, type) and issubclass(v, ErrorCode) and v is not ErrorCode]
    return enums


def _raise_sites():
    for path in sorted(ROOT.joinpath("sunshine").rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in ERROR_CLASSES:
                    yield path.relative_to(ROOT), node


def test_every_error_raised_names_its_code_from_an_enum_and_never_a_status():
    offenders = []
    for path, call in _raise_sites():
        args = {k.arg: k.value for k in call.keywords}
        if len(call.args) > 1:  # the positional code of funds' _invalid(message, code)
            args["code"] = call.args[1]
        code = args.get("code")
        if isinstance(code, ast.Constant):
            offenders.append(f"{path}:{call.lineno} code={code.value!r} (a free string)")
        if "status" in args:
            offenders.append(f"{path}:{call.lineno} status= (the code's kind decides the status)")
    assert offenders == []


def test_a_code_written_in_two_apps_is_the_same_kind_in_both():
    kinds: dict[str, set[Kind]] = {}
    for enum in _code_enums():
        for member in enum:
            kinds.setdefault(member.value, set()).add(member.kind)
    assert {code: k for code, k in kinds.items() if len(k) > 1} == {}
    assert kinds["bad_transition"] == {Kind.CONFLICT}  # a refused transition: 409 in cases and funds alike


def test_the_status_follows_the_codes_kind():
    from sunshine.cases.errors import CasesErrorCode
    from sunshine.funds.errors import FundsErrorCode

    assert ApplicationError("x").status == 400 and ApplicationError("x").code == "invalid"
    assert ApplicationError("x", code=CasesErrorCode.BAD_TRANSITION).status == 409
    assert ApplicationError("x", code=FundsErrorCode.BAD_TRANSITION).status == 409
    assert NotFound().status == 404 and NotFound().code == CoreErrorCode.NOT_FOUND
    assert Forbidden().status == 403
    assert ApplicationError("x", code=CasesErrorCode.RECEIPT_UNKNOWN).as_dict() == {
        "detail": "x", "code": "receipt_unknown"}


@pytest.mark.parametrize("enum", _code_enums(), ids=lambda e: e.__name__)
def test_each_enum_gives_each_code_once(enum):
    assert len(enum.__members__) == len(list(enum)), "two names share one value (an alias)"
