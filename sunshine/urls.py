from django.conf import settings
from django.contrib import admin
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.i18n import set_language

from .api import api


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon."""
    try:
        return HttpResponsePermanentRedirect(static_url("favicon.svg"))
    except ValueError:  # not collected yet (collectstatic runs in `make demo` and deployment)
        raise Http404 from None


def admin_login(request):
    """The admin site logs in on the desk's page: one staff login, with its lockout and second factor."""
    from urllib.parse import urlencode

    from django.urls import reverse

    return HttpResponseRedirect(f"{reverse('desk:login')}?{urlencode({'next': request.GET.get('next', '/admin/')})}")


handler500 = "sunshine.core.middleware.server_error"

urlpatterns = [
    path("", include("sunshine.portal.urls")),
    path("desk/stats/", include("sunshine.stats.urls")),
    path("numbers/", include("sunshine.stats.urls_public")),
    path("desk/", include("sunshine.desk.urls")),
    path("api/v1/", api.urls),
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("favicon.ico", favicon),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
