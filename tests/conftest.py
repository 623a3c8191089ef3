import shutil

import pytest

from cyberaide.diagnostic.graphs import load_default_graph
from cyberaide.diagnostic.taxonomy import load_taxonomy


@pytest.fixture(scope="session", autouse=True)
def remove_uploaded_files():
    from django.conf import settings

    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def taxonomy(db):
    load_taxonomy()


@pytest.fixture
def graph_version(taxonomy):
    """The questionnaire shipped with Cyberaide, published."""
    return load_default_graph()


@pytest.fixture
def verified_login():
    """Sign a test client in as a user who passed both factors (password and one-time code)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def sign_in(client, user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
            user=user, name="téléphone", confirmed=True
        )
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client

    return sign_in


def pytest_collection_modifyitems(items):
    """Browser tests last: Playwright keeps an event loop running in the main thread once it has started."""
    items.sort(key=lambda item: "tests/browser/" in str(item.fspath))
