"""The deployed genre-suggestion model: ``train`` runs its whole recipe from the data set alone
(``manage.py train_genres``), ``crossfit`` gives the out-of-fold predictions its thresholds are tuned
on, ``load`` is the registry's loader (artifact format ``FORMAT``)."""
