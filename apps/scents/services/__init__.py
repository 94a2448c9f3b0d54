"""Writes for the Scents area. Keyword-only `<entity>_<verb>` functions; ApplicationError for
business-rule violations (the API handler and the views turn them into clear messages).

Split by theme: scenes (scenes and their recipes: composing, edited versions, deleting), ingredients
(the master, incompatible pairs, cost tier prices), feedback (verdicts on recipes and the preferences
rebuilt from them), sheets (production and weigh-out sheets).
"""

from apps.scents.services.feedback import (  # noqa: F401
    FEEDBACK_COMMENT_MAX_CHARS,
    feedback_delete,
    feedback_submit,
    preferences_rebuild,
)
from apps.scents.services.ingredients import (  # noqa: F401
    INGREDIENT_FIELDS,
    cost_tier_price_set,
    ingredient_create,
    ingredient_delete,
    ingredient_incompatibility_create,
    ingredient_incompatibility_delete,
    ingredient_incompatibility_update,
    ingredient_master_load,
    ingredient_update,
)
from apps.scents.services.scenes import (  # noqa: F401
    SCENE_FIELDS,
    compose_batch_start,
    compose_preview,
    formula_lines,
    recipe_compose,
    recipe_delete,
    recipe_version_create,
    recipes_compose_for,
    scene_compose,
    scene_create,
    scene_delete,
    scene_input_validate,
    scene_update,
)
from apps.scents.services.sheets import WEIGHOUT_MAX, production_sheet, weighout_sheet  # noqa: F401
