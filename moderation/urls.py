"""Included at the root: the moderators' API under ``api/moderation/``, the user's own
under ``api/account/``, and a conversation's contract switch (web pages build on them)."""

from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("api/moderation/cases/", views.queue, name="queue"),
    path("api/moderation/cases/<int:case_id>/", views.case_detail, name="case"),
    path("api/moderation/cases/<int:case_id>/reveal/", views.reveal, name="reveal"),
    path("api/moderation/cases/<int:case_id>/action/", views.case_action, name="case-action"),
    path("api/moderation/holds/<int:violation_id>/", views.hold, name="hold"),
    path("api/moderation/users/<int:user_id>/suspend/", views.user_suspension,
         {"action": "suspend"}, name="suspend"),
    path("api/moderation/users/<int:user_id>/lift/", views.user_suspension,
         {"action": "lift"}, name="lift"),
    path("api/moderation/appeals/", views.appeals, name="appeals"),
    path("api/moderation/appeals/<int:appeal_id>/", views.decide_appeal, name="decide-appeal"),
    path("api/moderation/audit/", views.audit, name="audit"),
    path("api/moderation/export/dismissed.jsonl", views.export_dismissed, name="export-dismissed"),
    path("api/account/data/", views.my_data, name="my-data"),
    path("api/account/strikes/", views.my_strikes, name="my-strikes"),
    path("api/account/appeals/", views.my_appeal, name="my-appeal"),
    path("api/conversations/<int:conversation_id>/contract/", views.contract, name="contract"),
]
