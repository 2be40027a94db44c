"""The production WSGI application plus one bare view (/__bench/bare/), for bench_load's reference figure: the
same server, workers and middleware, a view that does no work."""
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse

application = get_wsgi_application()


def bare(request):
    return HttpResponse("ok")


def _add_bare_view() -> None:
    from django.urls import clear_url_caches, path

    import sunshine.urls

    sunshine.urls.urlpatterns.append(path("__bench/bare/", bare))
    clear_url_caches()


_add_bare_view()
