"""/api/v1/oversight/: one router, built from one router per subject (each subject's module exposes `router`).

Add one line per subject below, in alphabetical order.
"""
from ninja import Router

router = Router(tags=["oversight"])

_SUBJECTS: list[tuple[str, str]] = [
    # ("/visits", "visits"),
    ("/assessments", "assessments"),  # i13b
    ("/data-requests", "data_requests"),  # i13b
    ("/documents", "documents"),  # i13b
    ("/inspections", "inspections"),  # i13b
    ("/tasks", "tasks"),  # i13b
    ("/trainings", "trainings"),  # i13b
    ("/interviews", "interviews"),  # i13a
    ("/petitions", "petitions"),  # i13a
    ("/presence-checks", "presence"),  # i13a
    ("/rectifications", "rectifications"),  # i13a
    ("/visits", "visits"),  # i13a
]


def _mount() -> None:
    from importlib import import_module

    for prefix, name in _SUBJECTS:
        router.add_router(prefix, import_module(f"{__name__}.{name}").router)


_mount()
