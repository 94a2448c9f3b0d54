import pytest
import torch

from apps.genres.ml.heads import HEAD_KINDS, head_build

from .synthetic import N_GENRES, synthetic_features


def _batch(has_text, has_image, n=4):
    feats, _ = synthetic_features(n, missing=False)
    b = feats.tensors()
    b["has_text"] = torch.tensor(has_text)
    b["has_image"] = torch.tensor(has_image)
    b["text_mask"] = b["text_mask"] & b["has_text"][:, None]
    return b


@pytest.mark.parametrize("kind", HEAD_KINDS)
def test_every_head_handles_missing_plots_and_posters(kind, head_kwargs):
    head = head_build(kind, **head_kwargs).eval()
    b = _batch([True, False, True, False], [True, True, False, False])
    logits = head(b)
    assert logits.shape == (4, N_GENRES)
    assert torch.isfinite(logits).all()


@pytest.mark.parametrize("kind", HEAD_KINDS)
def test_a_missing_modality_does_not_leak_into_the_prediction(kind, head_kwargs):
    """Changing the features of a modality flagged missing must not change the output."""
    head = head_build(kind, **head_kwargs).eval()
    b = _batch([False, True], [True, False], n=2)
    other = {k: v.clone() for k, v in b.items()}
    other["text_tokens"][0] += 5.0
    other["image_global"][1] -= 3.0
    other["image_cells"][1] -= 3.0
    assert torch.allclose(head(b), head(other), atol=1e-5)


@pytest.mark.parametrize("kind", ["attention", "gmu", "late"])
def test_fusion_heads_report_modality_weights_that_respect_availability(kind, head_kwargs):
    head = head_build(kind, **head_kwargs).eval()
    head(_batch([True, True, False], [True, False, True], n=3))
    w = head.modality_weights
    assert w.shape == (3, 2)
    assert torch.allclose(w.sum(-1), torch.ones(3), atol=1e-5)
    assert w[1, 1] == 0 and w[2, 0] == 0


def test_cross_attention_keeps_attention_maps(head_kwargs):
    head = head_build("cross", **head_kwargs).eval()
    head(_batch([True, True], [True, True], n=2))
    text_to_image, image_to_text = head.attention
    assert text_to_image.shape[0] == 2 and image_to_text.shape[0] == 2


def test_an_unknown_head_kind_is_a_clear_error(head_kwargs):
    with pytest.raises(ValueError, match="unknown head kind"):
        head_build("transformer-xl", **head_kwargs)


def test_an_ensemble_averages_its_members_and_rebuilds_from_its_config(head_kwargs):
    members = [head_build(k, **head_kwargs).eval() for k in ("gmu", "cross")]
    ens = head_build("ensemble", members=[m.config for m in members]).eval()
    for sub, m in zip(ens.members, members):
        sub.load_state_dict(m.state_dict())
    b = _batch([True, False], [True, True], n=2)
    expected = (members[0](b) + members[1](b)) / 2
    assert torch.allclose(ens(b), expected, atol=1e-5)
    assert ens.modality_weights.shape == (2, 2)  # only the GMU member reports weights
    rebuilt = head_build(**ens.config)
    rebuilt.load_state_dict(ens.state_dict())
    assert torch.allclose(rebuilt.eval()(b), expected, atol=1e-5)
