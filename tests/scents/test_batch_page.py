"""A batch composition ends on a page with a link to each recipe, saying which recipes
were composed now and which the scene already had (no raw result dict)."""

import pytest

from apps.core.jobs import job_create
from apps.scents import services
from apps.scents.models import Recipe


@pytest.mark.django_db(transaction=True)
def test_the_batch_page_links_each_recipe_and_says_which_were_reused(master, user, other_user, client_user, run_jobs):
    old = services.scene_create(owner=user, description="Rain on a neon street at night")
    existing = services.recipe_compose(scene_pk=old.pk, user=user)
    new = services.scene_create(owner=user, description="A rose garden in spring")
    started = client_user.post("/scents/batch/", {"scene_ids": [old.pk, new.pk]})
    job_pk = int(started["Location"].rstrip("/").rsplit("/", 1)[1])
    assert started["Location"] == f"/scents/batches/{job_pk}/"
    run_jobs()
    created = Recipe.objects.get(scene=new)
    html = client_user.get(started["Location"]).content.decode()
    assert "{" not in html.split('id="batch-result"')[1]  # no Python dict on the page
    assert f'href="/scents/recipes/{existing.pk}/"' in html and f'href="/scents/recipes/{created.pk}/"' in html
    assert "1 composed now, 1 the scene already had" in html
    assert html.count("already composed") == 1 and html.count(">new<") == 1
    assert (
        f"recipe={existing.pk}&amp;recipe={created.pk}&amp;volume_ml=50" in html
        or f"recipe={created.pk}&amp;recipe={existing.pk}&amp;volume_ml=50" in html
    )
    api = client_user.get(f"/api/scents/compose/batch/{job_pk}/").json()
    assert (api["created"], api["reused"]) == (1, 1)
    assert {(r["recipe"], r["reused"]) for r in api["recipes"]} == {(existing.pk, True), (created.pk, False)}
    assert all(r["url"].endswith(f"/scents/recipes/{r['recipe']}/") for r in api["recipes"])
    other = job_create(kind="scents.compose_batch", user=other_user, params={"scene_ids": [old.pk]})
    assert client_user.get(f"/scents/batches/{other.pk}/").status_code == 404  # another user's batch
    check = job_create(kind="core.system_check", user=user)
    assert client_user.get(f"/scents/batches/{check.pk}/").status_code == 404  # not a batch
