import datetime as dt

from sunshine.core import embedded_beat


def test_the_in_process_beat_only_starts_in_a_server_that_asks_for_it(monkeypatch, settings):
    settings.SUNSHINE_EMBEDDED_TASKS = True
    monkeypatch.delenv("SUNSHINE_EMBEDDED_BEAT", raising=False)
    assert embedded_beat.start_if_wanted() is False
    settings.SUNSHINE_EMBEDDED_TASKS = False
    monkeypatch.setenv("SUNSHINE_EMBEDDED_BEAT", "1")
    assert embedded_beat.start_if_wanted() is False  # with Redis, Celery beat does this job


def test_schedule_intervals_are_read_from_numbers_and_celery_schedules():
    from celery.schedules import schedule

    assert embedded_beat._interval(60.0) == 60.0
    assert embedded_beat._interval(schedule(run_every=dt.timedelta(minutes=5))) == 300.0
