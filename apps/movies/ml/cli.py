"""Command-line training without Django: ``python -m apps.movies.ml.cli --lang ko --data PATH``.

``manage.py train_sentiment`` takes the same options and calls :func:`run`.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

from .store import manifest_write
from .train import TrainConfig, refit_tables, train_sentiment


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=["ko", "en"], required=True)
    parser.add_argument("--data", required=True, help="TSV(.gz) with review_id, rating, text")
    parser.add_argument(
        "--sst2", default=None, help="English: SST-2 train.tsv (label, sentence); adds the MiniLM + LoRA encoder"
    )
    parser.add_argument("--out", default="models_store", help="artifact folder (default models_store)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N rows")
    parser.add_argument("--epochs", type=int, default=None, help="conv epochs (0 = linear only)")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch threads for the neural model (on a shared 2-core machine 1 was " "~4x faster per step than 2)",
    )
    parser.add_argument("--no-manifest", action="store_true", help="write the artifact only")
    parser.add_argument(
        "--refit-tables",
        action="store_true",
        help="keep the weights of the existing artifact in --out; refit only the "
        "validation tables (blend, calibration, rating map)",
    )
    parser.add_argument(
        "--refit-linear",
        action="store_true",
        help="with --refit-tables: also refit the linear parts (ridges, classifier) "
        "with the current recipe, cross-fitted on validation where it says so; "
        "the networks are kept",
    )


def run(options: dict, *, command: str, log=print) -> dict:
    cfg = TrainConfig(
        lang=options["lang"],
        data_path=Path(options["data"]),
        out_dir=Path(options["out"]),
        limit=options.get("limit"),
        epochs=options.get("epochs"),
        seed=options.get("seed", 13),
        threads=options.get("threads"),
        command=command,
        sst2_path=Path(options["sst2"]) if options.get("sst2") else None,
    )
    if options.get("refit_linear") and not options.get("refit_tables"):
        raise ValueError("--refit-linear goes with --refit-tables")
    if options.get("refit_tables"):
        entry = refit_tables(cfg, refit_linear=options.get("refit_linear", False), log=log)
    else:
        entry = train_sentiment(cfg, log=log)
    if not options.get("no_manifest"):
        manifest_write(cfg.out_dir, entry.pop("name"), entry)
    log(json.dumps(entry["metrics"]["test"], indent=2))
    return entry


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    args = parser.parse_args(argv)
    command = "python -m apps.movies.ml.cli " + shlex.join(argv if argv is not None else sys.argv[1:])
    run(vars(args), command=command, log=lambda m: print(m, flush=True))


if __name__ == "__main__":
    main()
