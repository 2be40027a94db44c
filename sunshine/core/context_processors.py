from django.conf import settings


def site(request):
    return {"SUNSHINE": settings.SUNSHINE}
