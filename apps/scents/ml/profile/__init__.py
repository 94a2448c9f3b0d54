"""The scene -> profile model: ``model.py`` (the ensemble), ``train.py`` (``manage.py train_scents``),
``load.py`` (the registry's loader and the artifact format)."""
