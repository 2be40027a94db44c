from celery import shared_task


@shared_task(name="redflags.run")
def redflags_run_task(actor_id: int | None = None, full: bool = False) -> str:
    """Run the data comparison in the background (a thin wrapper around engine.run_rules)."""
    from sunshine.org.models import Account

    from .engine import run_rules

    actor = Account.objects.filter(pk=actor_id).first() if actor_id else None
    run = run_rules(engine="db", full=full, actor=actor)
    return f"run {run.pk}: {run.status}"
