"""``{% movie_page_extras "slot" %}``: what other installed apps add to the movie page. An app's
config names a template per slot in ``movie_page_templates`` (``{"links": ..., "panels": ...}``);
each is rendered with the page's context, so the movie page needs no app it does not know."""

from django import template
from django.apps import apps
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def movie_page_extras(context, slot):
    engine = context.template.engine
    names = [getattr(config, "movie_page_templates", {}).get(slot) for config in apps.get_app_configs()]
    return mark_safe("".join(engine.get_template(name).render(context) for name in names if name))
