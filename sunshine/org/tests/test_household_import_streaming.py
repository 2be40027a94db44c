"""The registry import writes while it reads, chunk after chunk, in one transaction: files of many chunks (here two
households a chunk) are written whole or not at all, whatever happens after the first chunks were written."""
import pytest
from auditlog.models import LogEntry

from sunshine.org import importers
from sunshine.org.models import Household, HouseholdMember

from .test_household_import_national import V1, V2, household, pid, run, write_gbk_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(importers, "WRITE_CHUNK", 2)
    monkeypatch.setattr(importers, "READ_STEP", 1)


def family(i, *, year="2016", extra=()):
    village, code = ("测试村1", V1) if i % 2 else ("测试村2", V2)
    members = [(f"户主{i}", pid(10 * i), "户主", f"138{i:08d}"), (f"配偶{i}", pid(10 * i + 1), "配偶", ""), *extra]
    return household(village, f"{code}{i:04d}", members, year=year)


def history():
    from django.contrib.contenttypes.models import ContentType

    return LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Household))


def careful_way_not_taken(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the whole-file way was taken")

    monkeypatch.setattr(importers, "_read_and_validate", refuse)


def test_a_file_of_many_chunks_is_written_whole_and_the_same_file_again_changes_nothing(city, tmp_path, monkeypatch):
    careful_way_not_taken(monkeypatch)
    path = write_gbk_csv(tmp_path / "h.csv", [family(i) for i in range(1, 8)])
    result = run(path)
    assert (result.ok, result.total_rows, result.created, result.updated, result.unchanged) == (True, 14, 7, 0, 0)
    assert HouseholdMember.objects.count() == 14
    assert history().filter(action=LogEntry.Action.CREATE, object_repr__startswith=V1).count() == 4
    h = Household.objects.get(code=f"{V1}0003")
    assert h.head_name == "户主3" and h.member_count == 2 and h.phone == "13800000003"
    again = run(path)
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, 7)
    assert LogEntry.objects.get_for_object(h).count() == 1


def test_the_history_rows_an_import_writes_hold_no_id_number(city, tmp_path):
    run(write_gbk_csv(tmp_path / "h.csv", [family(i) for i in range(1, 4)]))
    changed = family(2, year="2020")
    changed["members"][0] = ("户主2", pid(20), "户主", "13912345678")
    new_phone = family(3)
    new_phone["members"][0] = ("户主3", pid(30), "户主", "13987654321")
    result = run(write_gbk_csv(tmp_path / "h2.csv", [family(1), changed, new_phone]))
    assert (result.updated, result.unchanged) == (2, 1)
    assert Household.objects.get(code=new_phone["code"]).phone == "13987654321"
    assert history().filter(action=LogEntry.Action.UPDATE).count() == 1  # a new phone alone is not shown
    text = str(list(history().values_list("object_repr", "changes")))
    assert "户主2" in text and "2020" in text and "13912345678" not in text and "13987654321" not in text
    for member in HouseholdMember.objects.all():
        assert member.id_number not in text and (not member.phone or member.phone not in text)


def test_a_bad_row_after_chunks_were_written_leaves_nothing_and_every_bad_row_is_named(city, tmp_path):
    rows = [family(i) for i in range(1, 7)]
    rows[1]["members"][1] = ("配偶2", pid(21), "邻居", "")  # row 7
    rows[5]["year"] = "1999"  # rows 14 and 15, the last household
    result = run(write_gbk_csv(tmp_path / "bad.csv", rows))
    assert [(e["row"], e["column"]) for e in result.errors] == [(7, "与户主关系"), (14, "脱贫年度"),
                                                                 (15, "脱贫年度")]
    assert (Household.objects.count(), HouseholdMember.objects.count(), history().count()) == (0, 0, 0)


def test_a_household_whose_rows_come_back_after_it_was_written_is_still_one_household(city, tmp_path):
    first = family(1, extra=[("子1", pid(12), "之子", "")])
    split = household("测试村1", first["code"], first["members"][:2], size=3)
    rest = household("测试村1", first["code"], first["members"][2:], size=3)
    result = run(write_gbk_csv(tmp_path / "split.csv", [split, family(2), family(3), family(4), rest]))
    assert result.ok, result.errors
    assert (result.created, Household.objects.count(), HouseholdMember.objects.count()) == (4, 4, 9)
    assert Household.objects.get(code=first["code"]).member_count == 3
    assert history().filter(action=LogEntry.Action.CREATE).count() == 4  # the abandoned attempt left none


def test_a_member_moving_to_a_household_of_an_earlier_chunk_is_moved(city, tmp_path):
    run(write_gbk_csv(tmp_path / "v1.csv", [family(i) for i in range(1, 6)]))
    mover = ("配偶5", pid(51), "配偶", "")
    two = family(2, extra=[mover])
    five = household("测试村1", f"{V1}0005", family(5)["members"][:1])
    result = run(write_gbk_csv(tmp_path / "v2.csv", [family(1), two, family(3), family(4), five]))
    assert (result.ok, result.updated, result.unchanged) == (True, 2, 3), result.errors
    assert HouseholdMember.objects.get(id_number=pid(51)).household.code == two["code"]


def test_a_crash_after_chunks_were_written_leaves_nothing(city, tmp_path, monkeypatch):
    real_write = importers._NewHouseholds.write
    calls = []

    def write_then_crash(self, items, meanwhile=None):
        calls.append(len(items))
        if len(calls) == 3:
            raise RuntimeError("the server went away")
        return real_write(self, items, meanwhile)

    monkeypatch.setattr(importers._NewHouseholds, "write", write_then_crash)
    with pytest.raises(RuntimeError):
        run(write_gbk_csv(tmp_path / "h.csv", [family(i) for i in range(1, 8)]))
    assert (Household.objects.count(), HouseholdMember.objects.count(), history().count()) == (0, 0, 0)


def test_progress_is_told_between_chunks_where_it_may_use_the_database(city, tmp_path, monkeypatch):
    monkeypatch.setattr(importers, "PROGRESS_EVERY", 1)
    told = []

    def progress(done, total):
        told.append((done, Household.objects.count()))  # a query: never while a COPY holds the connection

    result = run(write_gbk_csv(tmp_path / "h.csv", [family(i) for i in range(1, 8)]), progress=progress)
    assert result.ok and told[-1] == (100, 7)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
