from celery import shared_task


@shared_task(name="redflags.run")
def redflags_run_task(actor_id: int | None = None, full: bool = False) -> str:
    """Run the data comparison in the background (a thin wrapper around engine.run_rules)."""
    from sunshine.org.models import Account

    from .engine import run_rules

    actor = Account.objects.filter(pk=actor_id).first() if actor_id else None
    run = run_rules(engine="db", full=full, actor=actor)
    return f"run {run.pk}: {run.status}"


@shared_task(name="redflags.registry_import")
def registry_import_task(job_id: int) -> None:
    """Import one registry file (a thin wrapper: core's one runner records the outcome on the job)."""
    from sunshine.core.importjobs import import_job_run, job_already_finished

    from .registries import registry_job_work

    if job_already_finished(job_id=job_id):
        return
    import_job_run(job_id=job_id, work=registry_job_work)
