"""The "no opinion" detector: ``train.py`` builds it, ``load.py`` reads it."""
