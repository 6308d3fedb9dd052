"""Routes for resolutions; included by campaigns/urls.py under the "campaigns" namespace."""

urlpatterns: list = []
