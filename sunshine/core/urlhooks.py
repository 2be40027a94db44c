"""Collect optional per-domain URL modules so each domain's pages live in their own files."""
from importlib import import_module


def optional_patterns(package: str, names: list[str]) -> list:
    """`urlpatterns` of each `<package>.urls_<name>` module that exists, in the order given."""
    patterns: list = []
    for name in names:
        module_name = f"{package}.urls_{name}"
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        patterns += module.urlpatterns
    return patterns
