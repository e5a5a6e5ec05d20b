from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from models.connection import ConnectionLog
from models.conversation import Conversation, Participant
from models.message import Message, MessageEvent, MessageOriginal
from models.user import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "role", "is_staff", "suspended_at")
    list_filter = ("role", "is_staff", "is_active")
    search_fields = ("username", "display_name", "email")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Marketplace", {"fields": ("role", "display_name", "suspended_at")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Marketplace", {"fields": ("role", "display_name")}),
    )


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "title", "last_seq", "last_message_at", "created_at")
    list_filter = ("kind",)
    search_fields = ("title", "participants__username")
    inlines = (ParticipantInline,)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "conversation", "seq", "sender", "redacted", "created_at", "deleted_at")
    list_filter = ("redacted",)
    search_fields = ("text", "sender__username", "client_id")
    raw_id_fields = ("conversation", "sender")
    # The stored transcript is a record: change it through edit/delete in the chat.
    readonly_fields = ("conversation", "seq", "sender", "client_id", "created_at")


@admin.register(MessageEvent)
class MessageEventAdmin(admin.ModelAdmin):
    list_display = ("id", "conversation", "seq", "kind", "message", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("conversation", "message")


def _is_moderator(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_moderator", False))


@admin.register(MessageOriginal)
class MessageOriginalAdmin(admin.ModelAdmin):
    """Unmasked texts: only moderators (and superusers) see this table at all."""

    list_display = ("id", "message", "reason", "detail_types", "created_at")
    raw_id_fields = ("message",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_moderator(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _is_moderator(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(ConnectionLog)
class ConnectionLogAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "conversation", "ip", "connected_at", "disconnected_at",
                    "close_code")
    list_filter = ("close_code",)
    search_fields = ("user__username", "ip")
    raw_id_fields = ("user", "conversation")
