"""Celery tasks of the organisation domain: thin wrappers around services."""
from celery import shared_task


@shared_task(name="org.households_import")
def households_import_task(job_id: int) -> None:
    from sunshine.core.importjobs import job_already_finished

    from .importers import households_import_job_run

    if job_already_finished(job_id=job_id):
        return

    households_import_job_run(job_id=job_id)


@shared_task(name="org.regions_import")
def regions_import_task(job_id: int) -> None:
    from sunshine.core.importjobs import job_already_finished

    from .regions_import import regions_import_job_run

    if job_already_finished(job_id=job_id):
        return

    regions_import_job_run(job_id=job_id)
