"""Oversight models, one module per subject (visits, petitions, rectification, training, …).

Each subject module is imported here so Django finds its models; add one line per subject, in alphabetical order.
"""
from .assessments import Commitment  # noqa: F401
from .burden import DataRequest, IssuedDocument, VillageAssessment  # noqa: F401
from .inspections import Inspection, InspectionFinding, InspectionTarget  # noqa: F401
from .mechanisms import DeptTask, Grid, MicroPower, MicroPowerStep, WeakOrganisation  # noqa: F401
from .training import TrainingAttendance, TrainingPlan, TrainingSession  # noqa: F401
