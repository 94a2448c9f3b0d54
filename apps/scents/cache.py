"""The scents pages' read-cache versions (apps.core.cache): which names a write makes stale.

``scents:scenes`` covers the public scene list (anonymous viewers), ``scents:ingredients`` the
ingredient master page.
"""

SCENES = "scents:scenes"
INGREDIENTS = "scents:ingredients"
