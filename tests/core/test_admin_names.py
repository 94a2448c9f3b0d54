"""Admin model names read as English (they read "Notion settingss", "Ingredient incompatibilitys")."""

import re

from django.contrib import admin


def _naive_plural(name: str) -> str:
    return f"{name}s"


def test_no_admin_model_has_a_naive_plural_of_a_word_that_needs_another():
    wrong = []
    for model in admin.site._registry:
        singular, plural = str(model._meta.verbose_name), str(model._meta.verbose_name_plural)
        needs_more = re.search(r"(s|x|z|ch|sh|[^aeiou]y)$", singular)
        if needs_more and plural == _naive_plural(singular):
            wrong.append(f"{model._meta.label}: {plural}")
    assert wrong == []
