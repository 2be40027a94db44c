"""Sunshine (阳光监督): the Internet+Supervision platform for poverty-alleviation work."""
from .celery import app as celery_app

__all__ = ["celery_app"]
