import pytest

from .synthetic import IMAGE_DIM, N_GENRES, TEXT_DIM, synthetic_features


@pytest.fixture
def tiny_features():
    return synthetic_features(40)


@pytest.fixture
def head_kwargs():
    return dict(text_dim=TEXT_DIM, image_dim=IMAGE_DIM, n_genres=N_GENRES, hidden=32, dropout=0.1, d_model=16)
