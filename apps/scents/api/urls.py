app_name = "scents-api"
urlpatterns: list = []
