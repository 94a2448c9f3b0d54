app_name = "movies-api"
urlpatterns: list = []
