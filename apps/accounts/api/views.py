from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.api.serializers import (
    ProfileInputSerializer,
    SignUpInputSerializer,
    TokenInputSerializer,
    UserOutputSerializer,
)
from apps.accounts.ratelimit import action_throttle
from apps.accounts.services import token_get_or_create, user_create, user_update
from apps.core.errors import ApplicationError


class SignUpApi(APIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [action_throttle("signup")]

    @extend_schema(request=SignUpInputSerializer, responses={201: UserOutputSerializer})
    def post(self, request):
        serializer = SignUpInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = user_create(**serializer.validated_data)
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class MeApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=UserOutputSerializer)
    def get(self, request):
        return Response(UserOutputSerializer(request.user).data)

    @extend_schema(request=ProfileInputSerializer, responses=UserOutputSerializer)
    def patch(self, request):
        serializer = ProfileInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = user_update(user=request.user, **serializer.validated_data)
        return Response(UserOutputSerializer(user).data)


class TokenApi(APIView):
    """Exchange a username and password for your API token (`Authorization: Token <key>`)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [action_throttle("login")]  # one budget with the log-in page

    @extend_schema(
        request=TokenInputSerializer,
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
    )
    def post(self, request):
        serializer = TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            raise ApplicationError("Wrong username or password.", code="authentication_failed", status=401)
        return Response({"token": token_get_or_create(user=user).key})
