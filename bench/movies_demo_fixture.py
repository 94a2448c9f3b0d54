"""Add the TMDB details to the demo catalog fixture (apps/movies/fixtures/demo_movies.json).

    .venv/bin/python bench/movies_demo_fixture.py ../shared/data/tmdb/movies.jsonl \
        [--fixture apps/movies/fixtures/demo_movies.json]

For each demo movie (matched by TMDB id) it copies what TMDB has: release_date, runtime, tagline,
original_title, original_language, vote_average, vote_count and production_companies; title,
plot and genres stay as they are. The running product reads only the fixture, never ../shared.
"""

import argparse
import json
from pathlib import Path

FIELDS = (
    "release_date",
    "runtime",
    "tagline",
    "original_title",
    "original_language",
    "vote_average",
    "vote_count",
    "production_companies",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tmdb", type=Path, help="TMDB movies.jsonl")
    parser.add_argument("--fixture", type=Path, default=Path("apps/movies/fixtures/demo_movies.json"))
    args = parser.parse_args()
    tmdb = {}
    with args.tmdb.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            tmdb[row["id"]] = row
    data = json.loads(args.fixture.read_text(encoding="utf-8"))
    missing = 0
    for movie in data["movies"]:
        source = tmdb.get(movie["tmdb_id"])
        if source is None:
            missing += 1
            continue
        movie.update({k: source[k] for k in FIELDS if source.get(k) not in (None, "", [])})
    args.fixture.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print(f"{len(data['movies']) - missing} movies given TMDB details, {missing} not found in {args.tmdb}")


if __name__ == "__main__":
    main()
