import json
from pathlib import Path

from apps.genres.ml.data import assign_splits, label_matrix, load_dataset, split_of
from apps.genres.ml.vocab import IMDB_GENRES

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "genres_mmimdb"


def test_it_loads_the_mmimdb_layout_with_its_own_split():
    records = {r.id: r for r in load_dataset(FIXTURE)}
    assert len(records) == 6
    assert records["0000001"].split == "train" and records["0000004"].split == "val"
    assert records["0000006"].split == "test"
    assert records["0000001"].plot == "A detective hunts a killer through a rainy city."
    assert records["0000003"].plot is None and records["0000003"].pattern == "image"
    assert records["0000005"].poster is None and records["0000005"].pattern == "text"


def test_it_maps_mmimdb_genre_spellings_and_drops_unknown_genres():
    records = {r.id: r for r in load_dataset(FIXTURE)}
    assert records["0000004"].genres == ("Adventure", "Sci-Fi")
    assert records["0000006"].genres == ("Drama", "War")


def test_it_loads_the_shared_jsonl_layout_with_relative_posters(tmp_path):
    (tmp_path / "movies.jsonl").write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "imdb_id": "tt1",
                    "title": "A",
                    "plot": "  A   plot ",
                    "genres": ["Drama"],
                    "poster": "posters/tt1.jpg",
                },
                {"imdb_id": "tt2", "title": None, "plot": None, "genres": ["Comedy", "Nope"], "poster": None},
            ]
        )
        + "\n"
    )
    first, second = load_dataset(tmp_path)
    assert first.plot == "A plot" and first.poster == tmp_path / "posters" / "tt1.jpg"
    assert second.plot is None and second.poster is None and second.genres == ("Comedy",)
    assert second.pattern == "none"


def test_the_hash_split_is_deterministic_and_close_to_70_15_15():
    ids = [f"tt{i:07d}" for i in range(3000)]
    first = [split_of(i) for i in ids]
    assert first == [split_of(i) for i in ids]
    share = {s: first.count(s) / len(ids) for s in ("train", "val", "test")}
    assert abs(share["train"] - 0.70) < 0.03 and abs(share["val"] - 0.15) < 0.03


def test_assign_splits_keeps_a_layouts_own_split():
    groups = assign_splits(load_dataset(FIXTURE))
    assert [r.id for r in groups["test"]] == ["0000006"]


def test_label_matrix_uses_the_vocabulary_order():
    records = load_dataset(FIXTURE)
    y = label_matrix(records)
    assert y.shape == (6, len(IMDB_GENRES))
    assert y[0, IMDB_GENRES.index("Crime")] == 1 and y[0].sum() == 2
