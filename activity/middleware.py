from django.contrib.auth import logout

from activity.models import DeviceSession


class DeviceSessionMiddleware:
    """A session signed out from another device ends at its next request.

    Its row is gone, so this logs it out here: Django deletes the session from its
    store and the request goes on as a visitor's (login_required sends it to log in).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not DeviceSession.objects.keep_up(request):
            logout(request)
        return self.get_response(request)
