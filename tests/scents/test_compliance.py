"""The finished product at a chosen strength (IFRA summary, EU allergen declaration),
cost per kg from the cost tiers, and one weigh-out sheet for a batch of recipes."""

from decimal import Decimal

import pytest

from apps.scents import services
from apps.scents.compliance import EU_ALLERGENS, allergen_declaration, cost_per_kg, ifra_summary
from apps.scents.formula import FormulaLine
from apps.scents.ml.ingredients import master_document
from apps.scents.models import CostTier, Ingredient

pytestmark = pytest.mark.django_db


def _f(*pairs):
    return [FormulaLine(Ingredient.objects.get(name=name), round(Decimal(pct) * 100)) for name, pct in pairs]


def _row(summary, standard):
    return next(r for r in summary["rows"] if r["standard"] == standard)


def test_every_allergen_the_master_names_is_on_the_eu_list_with_its_cas():
    named = {a for row in master_document()["ingredients"] for a in row["allergens"]}
    assert named <= set(EU_ALLERGENS)
    for row in master_document()["ingredients"]:  # a material that is a listed substance has its CAS
        for allergen in row["allergens"]:
            if row["name"].lower() == allergen:
                assert EU_ALLERGENS[allergen][1] == row["cas"], row["name"]


def test_the_ifra_summary_depends_on_the_strength(master):
    formula = _f(("Citral", "2.40"))
    at_parfum = _row(ifra_summary(formula, "parfum"), "Citral")
    assert at_parfum["share"] == Decimal(1) and at_parfum["status"] == "within"  # 2.4 % x 25 % = 0.6 % = limit
    at_edp = _row(ifra_summary(formula, "eau de parfum"), "Citral")
    assert at_edp["share"] == Decimal("0.72") and at_edp["parts"][0]["level"] == Decimal("0.432")
    over = ifra_summary(_f(("Citral", "3.00")), "parfum")
    assert over["status"] == "over" and _row(over, "Citral")["share"] == Decimal("1.25")


def test_a_natural_that_may_contain_a_limited_substance_is_flagged_for_checking(master):
    summary = ifra_summary(_f(("Citral", "2.40"), ("Lemon oil, expressed", "4.00")), "parfum")
    citral = _row(summary, "Citral")
    assert citral["status"] == "check" and [p["name"] for p in citral["unrecorded"]] == ["Lemon oil, expressed"]
    assert citral["share_max"] == Decimal(1) + Decimal("1.00") / Decimal("0.6")
    citrus = _row(summary, "Citrus oils and other furocoumarin-containing essential oils")
    assert citrus["status"] == "within" and citrus["share"] == Decimal("0.5")  # 4 % x 25 % = 1 % of 2 %
    rose = _row(ifra_summary(_f(("Rose oil", "2.50")), "eau de toilette"), "Methyl eugenol")
    assert rose["parts"] == [] and rose["status"] == "check"  # the limit binds a constituent


def test_the_allergen_declaration_uses_the_leave_on_threshold(master):
    low = allergen_declaration(_f(("Linalool", "0.02")), "eau de cologne")  # 0.02 % x 4 % = 0.0008 %
    assert low["rows"][0]["declare"] == "no" and low["label"] == ""
    high = allergen_declaration(_f(("Linalool", "0.02")), "parfum")  # 0.005 %
    assert high["rows"][0]["declare"] == "yes" and high["label"] == "Linalool"
    natural = allergen_declaration(_f(("Lavender oil", "1.00")), "eau de toilette")
    rows = {r["name"]: r for r in natural["rows"]}
    assert set(rows) == {"Linalool", "Limonene", "Coumarin"}
    assert all(
        r["declare"] == "yes (upper bound)" and r["level"] == 0 and r["level_max"] == Decimal("0.1")
        for r in rows.values()
    )
    moss = allergen_declaration(_f(("Oakmoss absolute", "0.40")), "parfum")
    assert moss["label"] == "Evernia Prunastri Extract" and moss["rows"][0]["declare"] == "yes"


def test_cost_per_kg_comes_from_the_curators_price_per_tier(master):
    formula = _f(("Hedione", "50"), ("Rose oil", "2.50"), ("Iso E Super", "47.50"))  # tiers 1, 5, 1
    prices = {1: Decimal("20"), 5: None}
    assert cost_per_kg(formula, prices, "EUR") == {"per_kg": None, "missing_tiers": [5], "currency": "EUR"}
    prices[5] = Decimal("8000")
    assert cost_per_kg(formula, prices, "EUR")["per_kg"] == Decimal("219.50")  # 0.975 x 20 + 0.025 x 8000


@pytest.fixture
def two_recipes(master, user):
    out = []
    for text in ("Incense in a stone church at dusk", "A rose garden in spring after rain"):
        scene = services.scene_create(owner=user, description=text)
        out.append(services.recipe_compose(scene_pk=scene.pk, user=user))
    return out


def test_the_production_page_shows_ifra_allergens_and_cost(two_recipes, client_user):
    recipe = two_recipes[0]
    html = client_user.get(f"/scents/recipes/{recipe.pk}/production/?volume_ml=50&concentration=eau+de+toilette")
    html = html.content.decode()
    assert "IFRA summary · eau de toilette (10 % in the product)" in html and "Allergen declaration" in html
    assert "not available until a curator sets the price" in html
    for tier in range(1, 6):
        CostTier.objects.update_or_create(tier=tier, defaults={"price_per_kg": Decimal(10 * tier)})
    html = client_user.get(f"/scents/recipes/{recipe.pk}/production/").content.decode()
    assert "EUR per kg of concentrate" in html
    api = client_user.get(f"/api/scents/recipes/{recipe.pk}/compliance/?concentration=parfum").json()
    assert api["ifra"]["strength"] == 25.0 and api["cost_per_kg"]["per_kg"] is not None
    assert client_user.get(f"/api/scents/recipes/{recipe.pk}/compliance/?concentration=strong").status_code == 400
    assert client_user.get(f"/api/scents/recipes/{recipe.pk}/").json()["cost_per_kg"]["per_kg"] is not None


def test_one_weigh_out_sheet_for_several_recipes(two_recipes, client_user, api_user, other_user, api_client):
    a, b = two_recipes
    sheet = services.weighout_sheet(recipes=two_recipes, volume_ml=30, concentration="eau de parfum")
    for recipe, part in zip(two_recipes, sheet["recipes"]):
        single = services.production_sheet(recipe=recipe, volume_ml=30, concentration="eau de parfum")
        assert part["alcohol_grams"] == single["alcohol_grams"]
    names = {line.ingredient.name for r in two_recipes for line in r.lines.all()}
    assert {row["name"] for row in sheet["rows"]} == names
    assert sum(row["total"] for row in sheet["rows"]) + sheet["alcohol_grams"] == pytest.approx(2 * 30 * 0.8, abs=0.05)
    page = client_user.get(f"/scents/weighout/?recipe={a.pk}&recipe={b.pk}&volume_ml=30").content.decode()
    assert 'id="weighout"' in page and "Download CSV" in page
    csv = client_user.get(f"/scents/weighout/?recipe={a.pk}&recipe={b.pk}&volume_ml=30&format=csv")
    rows = csv.content.decode().strip().splitlines()
    assert rows[0] == f"material,cas,tier,recipe {a.pk} (g),recipe {b.pk} (g),total_grams"
    assert rows[-1].startswith("TOTAL,") and len(rows) == len(names) + 3
    api = api_user.post("/api/scents/weighout/", {"recipe": [a.pk, b.pk], "volume_ml": 30}, format="json")
    assert api.status_code == 200 and [r["recipe"] for r in api.json()["recipes"]] == [a.pk, b.pk]
    api_client.force_authenticate(other_user)  # private recipes of another user are not there
    assert api_client.post("/api/scents/weighout/", {"recipe": [a.pk]}, format="json").status_code == 404
    empty = client_user.get("/scents/weighout/").content.decode()
    assert "Choose at least one recipe" in empty
