"""Demo genre research: a few recorded genre-model experiments (fixtures/demo_experiments.json) so
the research page has runs to compare on first start: the figures of real training runs on the
shared genre data, each marked with the command that produced it (built by
bench/movies_genres_demo_fixture.py); their weights are not shipped. Idempotent.
"""

import json
from pathlib import Path

EXPERIMENTS = Path(__file__).resolve().parent / "fixtures" / "demo_experiments.json"


def load(*, stdout) -> None:
    """Recorded genre-model runs (figures only), so the research page is not empty."""
    from apps.genres.services.experiments import experiment_record_import  # imports torch: only here

    data = json.loads(EXPERIMENTS.read_text(encoding="utf-8"))
    # In file order: the last record becomes the newest row, the one the research page charts.
    added = sum(experiment_record_import(record=record)[1] for record in data["experiments"])
    stdout.write(f"genres demo: {added} recorded genre experiments added")
