"""Other users' jobs stay private to staff who are not superusers.

Finding: curators (staff, not superusers) saw every user's job errors on /ops/, and
`job_list_for_user` gave every staff member every user's jobs (list, page, log, status, API).
Superusers keep access to everything.
"""

import pytest
from django.utils import timezone

from apps.accounts.services import user_make_curator
from apps.core.models import Job
from tests.factories import UserFactory

SECRET_ERROR = "Could not read /home/alice/clients/acme-launch.mp4"
SECRET_TRACEBACK = "Traceback (most recent call last):\n  File alice-secret.py\nOSError: acme"


def _failed_job(user, kind="core.system_check"):
    return Job.objects.create(
        kind=kind,
        queue="default",
        user=user,
        status=Job.Status.FAILED,
        error=SECRET_ERROR,
        traceback=SECRET_TRACEBACK,
        started_at=timezone.now(),
        finished_at=timezone.now(),
    )


@pytest.fixture
def staff_curator(db):
    return user_make_curator(user=UserFactory(username="cora"))


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.mark.django_db
def test_a_curator_on_ops_sees_kind_status_and_owner_but_not_other_users_errors(client, user, staff_curator):
    job = _failed_job(user)
    client.force_login(staff_curator)
    page = client.get("/ops/").content.decode()
    assert job.kind in page and "failed" in page and user.username in page
    assert SECRET_ERROR not in page and "acme" not in page
    assert f"/jobs/{job.pk}/" not in page  # no link to a page the curator may not open


@pytest.mark.django_db
def test_a_curator_on_ops_still_sees_their_own_jobs_error(client, staff_curator):
    job = _failed_job(staff_curator)
    client.force_login(staff_curator)
    page = client.get("/ops/").content.decode()
    assert SECRET_ERROR in page and f"/jobs/{job.pk}/" in page


@pytest.mark.django_db
def test_a_superuser_on_ops_sees_every_error(client, user, superuser):
    _failed_job(user)
    client.force_login(superuser)
    assert SECRET_ERROR in client.get("/ops/").content.decode()


@pytest.mark.django_db
def test_a_curator_sees_only_their_own_jobs_and_gets_404_on_another_users_job(client, user, staff_curator):
    theirs, mine = _failed_job(user), _failed_job(staff_curator, kind="movies.genres_suggest")
    client.force_login(staff_curator)
    listed = client.get("/jobs/").content.decode()
    assert f"/jobs/{mine.pk}/" in listed and f"/jobs/{theirs.pk}/" not in listed
    for url in (
        f"/jobs/{theirs.pk}/",
        f"/jobs/{theirs.pk}/status/",
        f"/jobs/{theirs.pk}/status/?log=1",
        f"/api/core/jobs/{theirs.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert SECRET_ERROR.encode() not in response.content
    assert client.post(f"/jobs/{theirs.pk}/cancel/").status_code == 404
    assert client.post(f"/api/core/jobs/{theirs.pk}/cancel/").status_code == 404
    assert [j["id"] for j in client.get("/api/core/jobs/").json()["results"]] == [mine.pk]


@pytest.mark.django_db
def test_a_superuser_keeps_access_to_every_users_job_with_its_traceback(client, user, superuser):
    job = _failed_job(user)
    client.force_login(superuser)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert SECRET_ERROR in page and "OSError: acme" in page
    assert client.get(f"/api/core/jobs/{job.pk}/").json()["error"] == SECRET_ERROR
    assert job.pk in [j["id"] for j in client.get("/api/core/jobs/").json()["results"]]


@pytest.mark.django_db
def test_a_curator_sees_no_traceback_even_on_their_own_job_page(client, staff_curator):
    job = _failed_job(staff_curator)
    client.force_login(staff_curator)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert SECRET_ERROR in page and "OSError: acme" not in page


@pytest.mark.django_db
def test_rqs_own_dashboard_with_its_job_tracebacks_is_for_superusers_only(client, staff_curator, superuser):
    client.force_login(staff_curator)
    for url in ("/ops/rq/", "/ops/rq/queues/0/failed/", "/ops/rq/workers/0/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/admin/django_rq/dashboard/queues/0/failed/").status_code == 404  # no copy in the admin
    assert "/ops/rq/" not in client.get("/ops/").content.decode()
    client.force_login(superuser)
    assert client.get("/ops/rq/").status_code == 200
    assert client.get("/ops/rq/queues/0/failed/").status_code == 200
    assert client.get("/ops/rq/queues/99/failed/").status_code == 404
    assert client.get("/ops/rq/queues/0/no-such-job/").status_code == 404
