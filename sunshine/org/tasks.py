"""Celery tasks of the organisation domain: thin wrappers around services."""
from celery import shared_task


@shared_task(name="org.households_import")
def households_import_task(job_id: int) -> None:
    from .importers import households_import_job_run

    households_import_job_run(job_id=job_id)
