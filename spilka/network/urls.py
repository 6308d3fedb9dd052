from django.urls import path

from spilka.network.views import (
    consents,
    directory,
    organisations,
    people,
    pickers,
    relationships,
    roles,
)

app_name = "network"

urlpatterns = [
    path("organisations/", directory.directory, name="directory"),
    path("network/", directory.network_overview, name="network"),
    path("pickers/organisations/", pickers.picker_organisations, name="picker_organisations"),
    path("org/new/", organisations.organisation_create, name="organisation_create"),
    path("org/<uslug:slug>/", organisations.organisation_detail, name="organisation"),
    path(
        "org/<uslug:slug>/graph.svg",
        organisations.organisation_graph_svg,
        name="organisation_graph",
    ),
    path("org/<uslug:slug>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path(
        "org/<uslug:slug>/relationships/new/",
        relationships.relationship_create,
        name="relationship_create",
    ),
    path(
        "org/<uslug:slug>/relationships/<int:pk>/accept/",
        relationships.relationship_accept,
        name="relationship_accept",
    ),
    path("links/<int:pk>/accept/", relationships.link_request_accept, name="link_request_accept"),
    path(
        "links/<int:pk>/decline/", relationships.link_request_decline, name="link_request_decline"
    ),
    path(
        "links/<int:pk>/withdraw/",
        relationships.link_request_withdraw,
        name="link_request_withdraw",
    ),
    path("org/<uslug:slug>/people/", people.organisation_people, name="people"),
    path("org/<uslug:slug>/people.<str:fmt>", people.people_export, name="people_export"),
    path("org/<uslug:slug>/people/new/", people.person_create, name="person_create"),
    path("org/<uslug:slug>/roles/", roles.organisation_roles, name="roles"),
    path("org/<uslug:slug>/roles/<int:pk>/revoke/", roles.role_revoke, name="role_revoke"),
    path("org/<uslug:slug>/roles/revoke/", roles.role_take_back, name="role_take_back"),
    path("org/<uslug:slug>/audit/", organisations.organisation_audit, name="audit"),
    path("people/<int:pk>/", people.person_detail, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/consents/new/", consents.consent_create, name="consent_create"),
]
