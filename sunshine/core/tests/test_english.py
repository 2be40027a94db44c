"""The English version: a visitor who picks English with the footer switch reads English, and the catalogue is complete."""
from __future__ import annotations

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
HAN = re.compile(r"[\u3400-\u9fff]")
# The same options as the documented `makemessages` run (sunshine/locale/README.md).
MAKEMESSAGES_IGNORE = ["tests/*", "*/tests/*", "migrations/*"]


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file as {"msgid", "msgid_plural", "msgstr": [..], "flags": set}; the header is left out."""
    entries, entry, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry and entry["msgid"]:
                entries.append(entry)
            entry, field = None, None
            continue
        if entry is None:
            entry = {"msgid": "", "msgid_plural": None, "msgstr": [], "flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
        else:
            keyword, _, quoted = line.partition(" ")
            value = ast.literal_eval(quoted)
            if keyword.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(value)
            else:
                field = keyword
                entry[field] = value
    return entries


def chrome_of(page: str) -> str:
    """The text of the page's header (brand and navigation) and footer, without tags."""
    parts = re.findall(r"<header\b.*?</header>|<footer\b.*?</footer>", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", " ".join(parts))


def english_client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def leftover_chinese(text: str) -> list[str]:
    # The city's name is data, and the switch names Chinese in Chinese on purpose.
    for allowed in (settings.SUNSHINE["CITY_NAME"], "简体中文"):
        text = text.replace(allowed, " ")
    return re.findall(r"\S*[\u3400-\u9fff]\S*", text)


@pytest.mark.django_db
def test_public_home_page_is_english_for_a_visitor_who_chose_english(client):
    response = english_client(client).get("/")
    page = response.content.decode()

    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert "Poverty-alleviation funds, out in the sunshine" in page
    assert "Verify a paper notice" in page
    assert "Staff login" in page
    assert "Supervision hotline" in page
    assert leftover_chinese(chrome_of(page)) == []


@pytest.mark.django_db
def test_desk_login_page_is_english_for_a_visitor_who_chose_english(client):
    page = english_client(client).get("/desk/login/").content.decode()

    assert "Staff login" in page
    assert "Username" in page and "Password" in page and "Log in" in page
    assert leftover_chinese(chrome_of(page)) == []
    assert "工作人员登录" not in page


@pytest.mark.django_db
def test_desk_home_navigation_is_english_once_logged_in(client, city):
    from sunshine.org.testing import login_verified

    login_verified(client, city.accounts["township1"])
    page = english_client(client).get("/desk/").content.decode()

    assert "Desk" in page and "Households" in page and "Log out" in page
    assert "Township (street) staff" in page  # the role shown beside the user's name
    header = chrome_of(page).replace(city.accounts["township1"].display_name, " ")
    assert leftover_chinese(header) == []


@pytest.mark.django_db
def test_the_same_pages_stay_chinese_without_the_choice(client):
    page = client.get("/desk/login/").content.decode()

    assert "工作人员登录" in page
    assert "Staff login" not in page


def test_every_catalogue_entry_has_an_english_translation_and_none_is_fuzzy():
    entries = read_po(PO_FILE)

    assert len(entries) > 500
    untranslated = [e["msgid"] for e in entries if not all(s.strip() for s in e["msgstr"])]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    plurals_incomplete = [e["msgid"] for e in entries if e["msgid_plural"] is not None and len(e["msgstr"]) != 2]
    still_chinese = [e["msgid"] for e in entries if any(HAN.search(s) for s in e["msgstr"])]
    assert untranslated == []
    assert fuzzy == []
    assert plurals_incomplete == []
    assert still_chinese == []


def test_translations_keep_every_placeholder_of_the_source_string():
    placeholder = re.compile(r"%\(\w+\)[sd]|<[^>]+>")
    broken = [
        (e["msgid"], s) for e in read_po(PO_FILE) for s in e["msgstr"]
        if sorted(placeholder.findall(s)) != sorted(placeholder.findall(e["msgid"]))
    ]
    assert broken == []


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo is what runs (no gettext tools needed at runtime); it must be compiled from the current .po."""
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog

    stale = []
    for e in read_po(PO_FILE):
        if e["msgid_plural"] is None:
            if catalog.get(e["msgid"]) != e["msgstr"][0]:
                stale.append(e["msgid"])
        elif [catalog.get((e["msgid"], i)) for i in range(len(e["msgstr"]))] != e["msgstr"]:
            stale.append(e["msgid"])
    assert stale == [], "run `sunshine compilemessages -l en` (see sunshine/locale/README.md)"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (xgettext)")
def test_catalogue_holds_every_string_marked_for_translation_in_the_code(tmp_path, monkeypatch):
    """A string wrapped in the code but missing from the catalogue would show in Chinese on the English pages."""
    source = Path(settings.BASE_DIR)
    copy = tmp_path / "sunshine"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("locale", "static", "__pycache__", "*.pyc"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        call_command("makemessages", locale=["en"], ignore_patterns=MAKEMESSAGES_IGNORE, verbosity=0)

    in_code = {e["msgid"] for e in read_po(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    in_catalogue = {e["msgid"] for e in read_po(PO_FILE)}
    assert sorted(in_code - in_catalogue) == [], "run makemessages and translate the new entries (sunshine/locale/README.md)"


# Chinese literals in the page modules that are data, not words shown to a reader: a CSV header and file names the
# import itself reads, a unit of measure stored as typed.
UNTRANSLATED_DATA = {"姓名", "手机号", "身份证号", "手工录入.csv", "建档立卡户.", "项"}
TRANSLATORS = {"_", "_lazy", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def _unmarked_chinese(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value)):
            continue
        if isinstance(parents.get(node), ast.Expr) or node.value in UNTRANSLATED_DATA:  # a docstring, or data
            continue
        up = parents.get(node)
        while up is not None and not (isinstance(up, ast.Call) and
                                      getattr(up.func, "id", getattr(up.func, "attr", "")) in TRANSLATORS):
            up = parents.get(up)
        if up is None:
            found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} {node.value[:30]!r}")
    return found


def test_every_chinese_word_a_page_module_shows_is_marked_for_translation():
    """Labels, messages and titles written in the desk's and the portal's views and forms go through gettext, so the
    English version shows them in English (the notice and correction forms once showed Chinese labels in English)."""
    base = Path(settings.BASE_DIR)
    modules = sorted([*base.glob("desk/views*.py"), *base.glob("desk/forms*.py"), *base.glob("portal/views*.py"),
                      *base.glob("portal/forms*.py")])
    assert modules
    assert [hit for path in modules for hit in _unmarked_chinese(path)] == []
