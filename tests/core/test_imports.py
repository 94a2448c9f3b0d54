"""Import structure read from the source (grimp's graph; imports inside functions count): core
depends on no other app, the job runner and core's services import one way, and no view or API view
writes through a model manager (writes are the services' job)."""

import ast
from pathlib import Path

import grimp
import pytest

APPS = ("apps.accounts", "apps.movies", "apps.genres", "apps.scents", "apps.adstudio")
ROOT = Path(__file__).resolve().parents[2]
WRITES = {"create", "get_or_create", "update_or_create", "bulk_create", "bulk_update", "update", "delete"}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("apps", cache_dir=None)


def test_core_imports_no_other_app(graph):
    chains = {app: graph.find_shortest_chains(importer="apps.core", imported=app, as_packages=True) for app in APPS}
    assert {app: found for app, found in chains.items() if found} == {}


def test_core_services_need_not_the_job_runner_that_calls_them(graph):
    assert graph.chain_exists(importer="apps.core.jobs", imported="apps.core.services")  # the system check job
    assert not graph.chain_exists(importer="apps.core.services", imported="apps.core.jobs")


def _manager_writes(path: Path) -> list[str]:
    """``Model.objects.<write>(...)`` calls in a module (any receiver chain through ``objects``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            if "objects" in {n.attr for n in ast.walk(node.func.value) if isinstance(n, ast.Attribute)}:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_view_or_api_view_writes_through_a_model_manager():
    views = [*ROOT.glob("apps/*/views*.py"), *ROOT.glob("apps/*/views/*.py"), *ROOT.glob("apps/*/api/views*.py")]
    assert views and [hit for path in views for hit in _manager_writes(path)] == []
