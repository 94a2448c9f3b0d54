import django_rq
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clean_queues():
    """Every test starts with empty queues in the test Redis database."""
    connection = django_rq.get_connection("default")
    connection.flushdb()
    yield


@pytest.fixture
def user(db):
    return UserFactory(username="alice")


@pytest.fixture
def other_user(db):
    return UserFactory(username="bob")


@pytest.fixture
def curator(db):
    user = UserFactory(username="carol")
    user.groups.add(Group.objects.get(name=settings.CURATOR_GROUP))
    return user


@pytest.fixture
def staff_user(db):
    user = UserFactory(username="sam")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def client_user(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_user(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def run_jobs():
    """Process every queued job with a real RQ worker in burst mode (this process, real Redis).

    Use with @pytest.mark.django_db(transaction=True) so jobs are enqueued on commit.
    """
    from workers.queues import WORKER_CLASSES

    def run(queues=None):
        from rq import SimpleWorker

        names = queues or list(settings.JOB_QUEUES)
        connection = django_rq.get_connection("default")
        worker = SimpleWorker([django_rq.get_queue(name) for name in names], connection=connection)
        worker.work(burst=True, with_scheduler=False)

    assert WORKER_CLASSES  # the production map exists; tests run jobs in-process for speed
    return run
