"""Loading the scene -> profile artifact (``models_store/scents-profile.npz``).

``FORMAT`` is the artifact format this code reads: ``train_scents`` writes it into the manifest
entry, and the registry refuses an artifact in another format, naming the command that rebuilds it.
"""

from pathlib import Path

import numpy as np

from .model import ProfileModel

FORMAT = 1


def load(path, entry):
    """The registry's loader (registered in ``ScentsConfig.ready``)."""
    return profile_model_load(path, entry["version"])


def profile_model_load(path, version):
    """The model in the artifact at ``path``, labelled ``version`` (benches and tests name any file)."""
    with np.load(Path(path)) as arrays:
        return ProfileModel.from_arrays({k: arrays[k] for k in arrays.files}, version)
