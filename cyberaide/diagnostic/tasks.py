"""Work too long for a web request, run by the task worker (at once, in the request, with the default backend)."""

from django.contrib.auth import get_user_model
from django_tasks import task

from . import suggestions


@task()
def train_triage_model(user_id: int | None = None) -> int:
    """A new training of the free-text triage, with its figures; staff put it in service after reading them."""
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    return suggestions.train_model(by=user).pk
