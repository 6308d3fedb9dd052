from django.urls import path

from spilka.publishing.views import feeds, glossary, publications, resources, translation

app_name = "publishing"

urlpatterns = [
    path("publications/", publications.publication_list, name="index"),
    path("publications/new/", publications.publication_create, name="publication_create"),
    path("publications/<uslug:slug>/", publications.publication_detail, name="publication"),
    path("publications/<uslug:slug>/edit/", publications.publication_edit, name="publication_edit"),
    path(
        "publications/<uslug:slug>/pictures/",
        publications.publication_images,
        name="publication_images",
    ),
    path("translate/", translation.queue, name="queue"),
    path("translate/languages/", translation.languages, name="languages"),
    path("translate/tasks/<int:pk>/", translation.task_detail, name="task"),
    path("translate/tasks/<int:pk>/claim/", translation.task_claim, name="task_claim"),
    path("translate/tasks/<int:pk>/release/", translation.task_release, name="task_release"),
    path("translate/tasks/<int:pk>/submit/", translation.task_submit, name="task_submit"),
    path("translate/tasks/<int:pk>/machine/", translation.task_machine, name="task_machine"),
    path("translate/tasks/<int:pk>/approve/", translation.task_approve, name="task_approve"),
    path("translate/tasks/<int:pk>/return/", translation.task_return, name="task_return"),
    path("translate/tasks/<int:pk>/publish/", translation.task_publish, name="task_publish"),
    path("translate/org/<uslug:slug>/", translation.progress, name="progress"),
    path("translate/org/<uslug:slug>/sync/", translation.progress_sync, name="progress_sync"),
    path("glossary/", glossary.glossary_list, name="glossary"),
    path("glossary/new/", glossary.glossary_edit, name="glossary_create"),
    path("glossary/<int:pk>/edit/", glossary.glossary_edit, name="glossary_edit"),
    path("glossary/<int:pk>/delete/", glossary.glossary_delete, name="glossary_delete"),
    path("org/<uslug:slug>/resources/", resources.resources_page, name="resources"),
    path("org/<uslug:slug>/resources/manage/", resources.resources_manage, name="resources_manage"),
    path(
        "org/<uslug:slug>/resources/<int:pk>/edit/", resources.resource_edit, name="resource_edit"
    ),
    path(
        "org/<uslug:slug>/resources/<int:pk>/delete/",
        resources.resource_delete,
        name="resource_delete",
    ),
    path(
        "org/<uslug:slug>/resources/<int:pk>/move/", resources.resource_move, name="resource_move"
    ),
    path("feeds/rss/", feeds.SiteRssFeed(), name="feed_site_rss"),
    path("feeds/atom/", feeds.SiteAtomFeed(), name="feed_site_atom"),
    path("feeds/<uslug:slug>/rss/", feeds.OrganisationRssFeed(), name="feed_rss"),
    path("feeds/<uslug:slug>/atom/", feeds.OrganisationAtomFeed(), name="feed_atom"),
]
