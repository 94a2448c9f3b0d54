"""The English encoder alone (MiniLM, fine-tuned whole or through a LoRA adapter, + head),
trained on SST-2 phrases with one setting; prints its SST-2 validation accuracy after every
epoch.

    .venv/bin/python bench/movies_sentiment_encoder_sweep.py --sst2 ../shared/data/sst2/train.tsv \
        [--phrases 20000] [--epochs 2] [--adapter lora|full] [--rank 8] [--alpha 16] [--lr 5e-4]
        [--threads 1] [--out run.json]

This is how the shipped encoder settings are chosen: on the leak-free validation sentences of
:func:`apps.movies.ml.sst2.split_phrases`, never on SST-2 dev, the IMDB test split or the
behavioural suites. Every epoch is scored (a fresh run per epoch count would repeat the first
epochs); the learning-rate schedule spans ``--epochs``, so epoch 1 of a two-epoch run is not the
one-epoch run.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import torch

from apps.movies.ml import sst2
from apps.movies.ml.encoder import encoder_config, encoder_train
from apps.movies.ml.features import normalize


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sst2", required=True)
    parser.add_argument("--phrases", type=int, default=None, help="training phrases (default: all)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--adapter", choices=["lora", "full"], default="lora")
    parser.add_argument("--rank", type=int, default=8, help="LoRA only")
    parser.add_argument("--alpha", type=int, default=16)
    parser.add_argument("--lr", type=float, default=5e-4)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default=None, help="write the per-epoch figures as JSON here")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    train, valid = sst2.split_phrases(sst2.read_phrases(args.sst2))
    train = sst2.training_subset(train, args.phrases)
    config = encoder_config({"adapter": args.adapter, "rank": args.rank, "alpha": args.alpha, "max_len": 128})
    epochs = []
    started = time.time()

    def scored(epoch, accuracy):
        se = float(np.sqrt(accuracy * (1 - accuracy) / len(valid)))
        seconds = round(time.time() - started)
        epochs.append({"epoch": epoch, "valid_accuracy": round(accuracy, 4), "se": round(se, 4), "seconds": seconds})
        print(f"epoch {epoch}: validation accuracy {accuracy:.4f} ± {se:.4f} ({seconds} s)", flush=True)

    encoder_train(
        [normalize(t) for t in train.texts],
        train.labels,
        config=config,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        seed=args.seed,
        valid=([normalize(t) for t in valid.texts], valid.labels),
        on_epoch=scored,
        log=lambda line: print(line, flush=True),
    )
    result = {"settings": {**vars(args), "train_phrases": len(train), "valid_sentences": len(valid)}, "epochs": epochs}
    print(json.dumps(result))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
