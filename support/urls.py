from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("chats/", views.chats, name="chats"),
    path("chats/<int:chat_id>/", views.chat, name="chat"),
    path("chats/<int:chat_id>/claim/", views.claim, name="claim"),
    path("chats/<int:chat_id>/transfer/", views.transfer, name="transfer"),
    path("chats/<int:chat_id>/notes/", views.notes, name="notes"),
    path("chats/<int:chat_id>/close/", views.close, name="close"),
    path("chats/<int:chat_id>/rating/", views.rating, name="rating"),
    path("chats/<int:chat_id>/flag/", views.flag, name="flag"),
    path("chats/<int:chat_id>/transcript/", views.transcript, name="transcript"),
    path("queue/", views.queue, name="queue"),
    path("agent/status/", views.agent_status, name="agent-status"),
    path("canned/", views.canned, name="canned"),
]
