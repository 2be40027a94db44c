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


def test_tasks_scheduled_inside_tasks_deferred_are_left_for_later(django_capture_on_commit_callbacks, db):
    from sunshine.core.tasks import enqueue, tasks_deferred

    calls = []

    class Task:
        name = "t"

        def apply(self, args, kwargs, throw):
            calls.append(args)

    with django_capture_on_commit_callbacks(execute=True):
        with tasks_deferred():
            enqueue(Task(), 1)
        enqueue(Task(), 2)
    assert calls == [(2,)]
