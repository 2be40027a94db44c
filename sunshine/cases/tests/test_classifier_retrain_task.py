"""The hourly task turns staff corrections into a retrained classifier once enough have accumulated."""
import pytest

from sunshine.cases.choices import ExampleSource
from sunshine.cases.classifier import RETRAIN_AFTER_LABELS
from sunshine.cases.models import ClassifierExample
from sunshine.cases.tasks import classifier_retrain_if_due
from sunshine.org.models import ProblemType

pytestmark = pytest.mark.django_db


def test_the_hourly_task_retrains_only_after_enough_staff_corrections(settings, tmp_path):
    settings.SUNSHINE_CLASSIFIER_PATH = str(tmp_path / "model.json")
    assert classifier_retrain_if_due.apply().get() is False
    assert not (tmp_path / "model.json").exists()
    problem_type = ProblemType.objects.get(number=23)
    ClassifierExample.objects.bulk_create([
        ClassifierExample(text=f"乡里第{i}次让村里填报表格", problem_type=problem_type, source=ExampleSource.STAFF_CORRECTED)
        for i in range(RETRAIN_AFTER_LABELS)
    ])
    assert classifier_retrain_if_due.apply().get() is True
    assert (tmp_path / "model.json").exists()
    assert "cases-classifier-retrain" in settings.CELERY_BEAT_SCHEDULE
