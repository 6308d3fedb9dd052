from django.urls import path

from spilka.network import views, views_pickers

app_name = "network"

urlpatterns = [
    path("organisations/", views.directory, name="directory"),
    path("network/", views.network_overview, name="network"),
    path(
        "pickers/organisations/",
        views_pickers.picker_organisations,
        name="picker_organisations",
    ),
    path("org/new/", views.organisation_create, name="organisation_create"),
    path("org/<uslug:slug>/", views.organisation_detail, name="organisation"),
    path("org/<uslug:slug>/graph.svg", views.organisation_graph_svg, name="organisation_graph"),
    path("org/<uslug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "org/<uslug:slug>/relationships/new/", views.relationship_create, name="relationship_create"
    ),
    path(
        "org/<uslug:slug>/relationships/<int:pk>/accept/",
        views.relationship_accept,
        name="relationship_accept",
    ),
    path("links/<int:pk>/accept/", views.link_request_accept, name="link_request_accept"),
    path("links/<int:pk>/decline/", views.link_request_decline, name="link_request_decline"),
    path("links/<int:pk>/withdraw/", views.link_request_withdraw, name="link_request_withdraw"),
    path("org/<uslug:slug>/people/", views.organisation_people, name="people"),
    path("org/<uslug:slug>/people.<str:fmt>", views.people_export, name="people_export"),
    path("org/<uslug:slug>/people/new/", views.person_create, name="person_create"),
    path("org/<uslug:slug>/roles/", views.organisation_roles, name="roles"),
    path("org/<uslug:slug>/roles/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
    path("org/<uslug:slug>/roles/revoke/", views.role_take_back, name="role_take_back"),
    path("org/<uslug:slug>/audit/", views.organisation_audit, name="audit"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/consents/new/", views.consent_create, name="consent_create"),
]
