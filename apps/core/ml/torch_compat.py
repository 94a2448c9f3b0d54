"""Make `torchvision` (and so `timm`) importable on the CPU-only torch build.

The PyPI torchvision wheel ships compiled ops built for a CUDA torch; on the CPU build its C++
extension does not load, and `torchvision._meta_registrations` then fails at import with
``operator torchvision::nms does not exist`` because it registers fake kernels for ops whose
schemas were never defined. We define those schemas (only the ones registered unconditionally)
so the import succeeds. Nothing here implements the ops: the project never calls NMS, and a call
would raise a clear "no kernel" error instead of silently computing something wrong.

Import this module before anything that imports torchvision or timm.
"""

import torch

_SCHEMAS = {
    "nms": "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms": "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
}


def _define_missing_schemas() -> None:
    missing = [name for name in _SCHEMAS if not _op_exists(name)]
    if not missing:
        return
    lib = torch.library.Library("torchvision", "FRAGMENT")
    for name in missing:
        lib.define(_SCHEMAS[name])
    # Keep the library object alive for the life of the process: dropping it unregisters the ops.
    globals()["_LIB"] = lib


def _op_exists(name: str) -> bool:
    try:
        getattr(torch.ops.torchvision, name)
    except (AttributeError, RuntimeError):
        return False
    return True


_define_missing_schemas()
