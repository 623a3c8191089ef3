from .decorators import sign_in_redirect

EDITORIAL_PREFIX = "/cms/"


class EditorialTwoFactorMiddleware:
    """The editorial back office (Wagtail) asks for the one-time code, like every other signed-in space.

    Wagtail sends visitors who are not signed in to our sign-in page itself (WAGTAILADMIN_LOGIN_URL); this
    catches those signed in with a password only.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith(EDITORIAL_PREFIX) and user is not None and user.is_authenticated:
            if not user.is_verified():
                return sign_in_redirect(request)
        return self.get_response(request)
