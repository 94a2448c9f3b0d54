import pytest

from apps.core.jobs import job_enqueue
from apps.core.models import Job


@pytest.mark.django_db(transaction=True)
def test_the_owner_reads_a_job_and_watches_it_finish_through_the_api(api_user, user, run_jobs):
    response = api_user.post("/api/core/jobs/system-check/", data={"delay": 0}, format="json")
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert api_user.get(f"/api/core/jobs/{job_id}/").json()["status"] == "queued"
    run_jobs()
    body = api_user.get(f"/api/core/jobs/{job_id}/").json()
    assert body["status"] == "succeeded"
    assert body["percent"] == 100
    assert any("Database answers: ok" in line["message"] for line in body["logs"])
    listed = api_user.get("/api/core/jobs/").json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == job_id


@pytest.mark.django_db
def test_another_user_cannot_read_or_cancel_my_job(api_client, user, other_user, client):
    job = job_enqueue(kind="core.system_check", user=user)
    api_client.force_authenticate(other_user)
    assert api_client.get(f"/api/core/jobs/{job.pk}/").status_code == 404
    assert api_client.post(f"/api/core/jobs/{job.pk}/cancel/").status_code == 404
    assert api_client.get("/api/core/jobs/").json()["count"] == 0
    client.force_login(other_user)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/jobs/{job.pk}/status/").status_code == 404
    assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in_for_job_pages(client, user):
    job = job_enqueue(kind="core.system_check", user=user)
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(f"/api/core/jobs/{job.pk}/").status_code in (401, 403)


@pytest.mark.django_db
def test_cancel_works_only_for_queued_jobs(api_user, user):
    job = job_enqueue(kind="core.system_check", user=user)
    response = api_user.post(f"/api/core/jobs/{job.pk}/cancel/")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = api_user.post(f"/api/core/jobs/{job.pk}/cancel/")
    assert again.status_code == 409
    assert again.json()["error"] == "not_cancellable"


@pytest.mark.django_db(transaction=True)
def test_the_job_page_shows_progress_and_the_log(client_user, user, run_jobs):
    response = client_user.post("/jobs/system-check/")
    job = Job.objects.get(user=user)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    page = client_user.get(f"/jobs/{job.pk}/")
    assert b'hx-trigger="every 1s"' in page.content
    Job.objects.filter(pk=job.pk).update(params={"delay": 0})
    run_jobs()
    status = client_user.get(f"/jobs/{job.pk}/status/?log=1")
    assert b"Succeeded" in status.content and b"Database answers: ok" in status.content
    assert b"hx-trigger" not in status.content  # finished: polling stops
    assert status["HX-Refresh"] == "true"
