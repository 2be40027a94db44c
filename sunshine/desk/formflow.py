"""The one flow of the desk's hand-entry forms: a valid POST calls one service; its refusal is shown on the form.

Every hand-entry page used to repeat the same dozen lines (check the method, validate, call the service, turn an
ApplicationError into the form's message, flash, redirect). Django's FormView would give the first half but not the
service call and the refusal message, and the desk's views are functions, so this is the small shared piece.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from sunshine.core.errors import ApplicationError


def form_submit(request: HttpRequest, form, save: Callable[[dict], Any], *, done: str,
                to: str | Callable[[Any], str]) -> HttpResponse | None:
    """On a valid POST, `save(cleaned_data)`; success flashes `done` and redirects to `to` (a URL or URL name, or a
    function of what `save` returned). An ApplicationError becomes the form's own error. None means: show the form
    (a GET, an invalid form or a refusal)."""
    if request.method != "POST" or form is None or not form.is_valid():
        return None
    try:
        result = save(form.cleaned_data)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return None
    messages.success(request, done)
    return redirect(to(result) if callable(to) else to)
