from django.shortcuts import render


def placeholder(request):
    """Shown until the Scents area lands (its issue is open)."""
    return render(request, "core/placeholder.html", {"area": "Scents"})
