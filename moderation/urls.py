"""Included at ``/api/``: moderators' endpoints under ``moderation/``, the user's own
under ``account/``, and the contract switch of a conversation."""

from django.urls import path

from moderation import views

app_name = "moderation"

urlpatterns = [
    path("moderation/cases/", views.queue, name="queue"),
    path("moderation/cases/<int:case_id>/", views.case_detail, name="case"),
    path("moderation/cases/<int:case_id>/reveal/", views.reveal, name="reveal"),
    path("moderation/cases/<int:case_id>/action/", views.case_action, name="case-action"),
    path("moderation/holds/<int:violation_id>/", views.hold, name="hold"),
    path("moderation/users/<int:user_id>/suspend/", views.user_suspension,
         {"action": "suspend"}, name="suspend"),
    path("moderation/users/<int:user_id>/lift/", views.user_suspension,
         {"action": "lift"}, name="lift"),
    path("moderation/appeals/", views.appeals, name="appeals"),
    path("moderation/appeals/<int:appeal_id>/", views.decide_appeal, name="decide-appeal"),
    path("moderation/audit/", views.audit, name="audit"),
    path("moderation/export/dismissed.jsonl", views.export_dismissed, name="export-dismissed"),
    path("account/data/", views.my_data, name="my-data"),
    path("account/strikes/", views.my_strikes, name="my-strikes"),
    path("account/appeals/", views.my_appeal, name="my-appeal"),
    path("conversations/<int:conversation_id>/contract/", views.contract, name="contract"),
]
