import json

import pytest

from apps.adstudio.video.synth import clip_make


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Tiny synthetic clips with known transitions, made once per run: ``clips(kind, seed)``."""
    folder = tmp_path_factory.mktemp("clips")
    made: dict = {}

    def make(kind: str = "mixed", seed: int = 0, seconds: float = 8.0):
        key = (kind, seed, seconds)
        if key not in made:
            path = folder / f"{kind}_{seed}_{seconds:g}.mp4"
            truth = clip_make(path, kind=kind, seed=seed, seconds=seconds, width=160, height=90)
            (folder / f"{path.stem}.json").write_text(json.dumps(truth))
            made[key] = (path, truth)
        return made[key]

    return make
