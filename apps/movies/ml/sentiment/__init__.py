"""Review sentiment + rating, one model per language: ``train.py`` builds it, ``load.py`` reads it."""
