"""``{% movie_scent_block movie %}``: the movie page's "Compose a scent" block (a form for a
moment of the film, and the user's own scents from it), kept in scents so the movie page needs
one line."""

from django import template

from apps.scents.forms import MovieMomentForm
from apps.scents.selectors import recipes_from

register = template.Library()


@register.inclusion_tag("scents/_movie_moment.html", takes_context=True)
def movie_scent_block(context, movie):
    user = context["request"].user
    return {
        "movie": movie,
        "user": user,
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "form": MovieMomentForm(),
        "recipes": recipes_from(user=user, movie=movie)[:5],
    }
