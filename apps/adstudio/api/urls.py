app_name = "adstudio-api"
urlpatterns: list = []
