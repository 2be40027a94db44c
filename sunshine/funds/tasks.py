"""Celery tasks of the funds domain: thin wrappers around the importers and services."""
from celery import shared_task


@shared_task(name="funds.import_run")
def import_run_task(job_id: int, options: dict | None = None) -> None:
    from sunshine.core.importjobs import job_already_finished
    from sunshine.core.models import ImportJob

    from .importers import BY_JOB_KIND, import_job_run

    if job_already_finished(job_id=job_id):
        return
    kind = ImportJob.objects.values_list("kind", flat=True).get(pk=job_id)
    import_job_run(job_id=job_id, importer_class=BY_JOB_KIND[kind], options=options)
