from django.contrib import messages
from django.contrib.auth import login, views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from apps.accounts.forms import ProfileForm, SignUpForm
from apps.accounts.ratelimit import ratelimited
from apps.accounts.services import token_regenerate, user_create, user_update


@ratelimited("signup")
def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                email=form.cleaned_data.get("email", ""),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.username}! Your account is ready.")
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update(user=request.user, **{k: form.cleaned_data[k] for k in form.fields})
        messages.success(request, "Profile saved.")
        return redirect("accounts:profile")
    token = Token.objects.filter(user=request.user).first()
    new_token = request.session.pop("show_token", None)  # shown once, right after creation
    return render(request, "accounts/profile.html", {"form": form, "token": token, "new_token": new_token})


@require_POST
@login_required
def token_new(request):
    token = token_regenerate(user=request.user)
    messages.success(request, "New API token created; the old one no longer works.")
    request.session["show_token"] = token.key
    return redirect("accounts:profile")


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):
    """Change your password (asks for the current one); your other sessions are logged out."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")
    success_message = "Password changed."
