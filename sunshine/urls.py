from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from .api import api

urlpatterns = [
    path("", include("sunshine.portal.urls")),
    path("desk/", include("sunshine.desk.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
