from django.contrib.auth import get_user_model
from rest_framework import serializers

from apps.core.api.serializers import InputSerializer


class SignUpInputSerializer(InputSerializer):
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150)
    password = serializers.CharField(min_length=8, max_length=128, write_only=True)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")


class ProfileInputSerializer(InputSerializer):
    email = serializers.EmailField(required=False, allow_blank=True)
    display_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
    first_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    last_name = serializers.CharField(required=False, allow_blank=True, max_length=150)


class TokenInputSerializer(InputSerializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True)


class UserOutputSerializer(serializers.ModelSerializer):
    is_curator = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "display_name", "first_name", "last_name", "is_curator", "date_joined"]

    def get_is_curator(self, user) -> bool:
        from apps.accounts.selectors import user_is_curator

        return user_is_curator(user)
