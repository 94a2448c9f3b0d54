import pytest
from rq import Worker

import django_rq


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_serves_the_queues(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] and body["redis"]["ok"]
    assert body["unserved_queues"] == ["default", "video", "ml"]
    assert body["status"] == "unhealthy"


@pytest.mark.django_db
def test_healthz_is_200_when_database_redis_and_workers_are_up(client):
    connection = django_rq.get_connection("default")
    worker = Worker([django_rq.get_queue(q) for q in ("default", "video", "ml")], connection=connection)
    worker.register_birth()
    try:
        response = client.get("/healthz")
    finally:
        worker.register_death()
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["queues"] == {"default": 0, "video": 0, "ml": 0}
    assert [w["name"] for w in body["workers"]] == [worker.name]


@pytest.mark.django_db
def test_the_monitoring_page_is_for_staff_only(client, user, staff_user):
    assert client.get("/ops/").status_code == 302
    client.force_login(user)
    assert client.get("/ops/").status_code == 302
    client.force_login(staff_user)
    page = client.get("/ops/")
    assert page.status_code == 200
    for text in (b"Queues", b"Workers", b"Job durations", b"Memory"):
        assert text in page.content


@pytest.mark.django_db(transaction=True)
def test_the_monitoring_page_reports_median_and_p95_per_kind(client, staff_user, run_jobs):
    from apps.core.jobs import job_enqueue

    for _ in range(3):
        job_enqueue(kind="core.system_check", user=staff_user, params={"delay": 0})
    run_jobs()
    client.force_login(staff_user)
    page = client.get("/ops/")
    durations = page.context["durations"]
    assert durations[0]["kind"] == "core.system_check" and durations[0]["count"] == 3
    assert durations[0]["median_s"] <= durations[0]["p95_s"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/api/docs/",
        "/api/schema/",
        "/admin/login/",
        "/accounts/login/",
        "/accounts/signup/",
        "/movies/",
        "/scents/",
    ],
)
def test_public_pages_answer(client, url):
    response = client.get(url)
    assert response.status_code == 200, url


@pytest.mark.django_db
def test_the_private_ad_studio_asks_visitors_to_log_in(client):
    response = client.get("/adstudio/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_api_docs_need_no_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
    assert "/static/drf_spectacular_sidecar/" in page


@pytest.mark.django_db
def test_private_media_is_never_served_by_bare_url(client, settings):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("adstudio/1/secret.txt", ContentFile(b"secret"))
    try:
        assert client.get(f"/media/{name}").status_code == 404
    finally:
        default_storage.delete(name)


@pytest.mark.django_db
def test_unknown_api_urls_answer_json_and_pages_answer_html(client, settings):
    settings.DEBUG = False
    api = client.get("/api/nowhere/")
    assert api.status_code == 404
    assert api.json() == {"error": "not_found", "detail": "No such API endpoint or object."}
    page = client.get("/nowhere/")
    assert page.status_code == 404 and b"Not found" in page.content


@pytest.mark.django_db
def test_a_dead_local_workers_lingering_registration_does_not_count_as_serving(client):
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()  # a pid that no longer exists
    connection = django_rq.get_connection("default")
    worker = Worker([django_rq.get_queue(q) for q in ("default", "video", "ml")], connection=connection)
    worker.register_birth()
    connection.hset(worker.key, "pid", process.pid)
    try:
        body = client.get("/healthz").json()
    finally:
        worker.register_death()
    assert body["workers"][0]["alive"] is False
    assert body["unserved_queues"] == ["default", "video", "ml"]
    assert body["status"] == "unhealthy"


def test_the_openapi_schema_generates_without_warnings(capsys):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
