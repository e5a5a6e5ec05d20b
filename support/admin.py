"""Support in the admin: canned replies are managed here; chats show their transcript."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from models import AgentStatus, CannedReply, InternalNote, Rating, SupportChat, SupportEvent
from support import transcripts


@admin.register(CannedReply)
class CannedReplyAdmin(admin.ModelAdmin):
    list_display = ("title", "shortcut", "active")
    list_filter = ("active",)
    search_fields = ("title", "shortcut", "text")


@admin.register(AgentStatus)
class AgentStatusAdmin(admin.ModelAdmin):
    list_display = ("agent", "presence", "capacity", "changed_at")
    list_filter = ("presence",)


class ReadOnlyInline(admin.TabularInline):
    """History is written by the workflow only; the admin shows it."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class EventInline(ReadOnlyInline):
    model = SupportEvent
    fields = ("created_at", "kind", "actor", "agent", "note", "waited")


class NoteInline(ReadOnlyInline):
    model = InternalNote
    fields = ("created_at", "author", "text")


@admin.register(SupportChat)
class SupportChatAdmin(admin.ModelAdmin):
    list_display = ("id", "subject", "user", "status", "agent", "opened_at", "closed_at")
    list_filter = ("status", "flagged_at")
    search_fields = ("subject", "user__username", "agent__username")
    readonly_fields = (
        "conversation", "user", "subject", "status", "agent", "opened_at", "queued_at",
        "assigned_at", "closed_at", "closed_by", "resolution", "flagged_at", "flag_reason",
        "transcript",
    )
    inlines = (EventInline, NoteInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # chats are opened by users, through the workflow

    @admin.display(description="Transcript (agents' copy)")
    def transcript(self, chat: SupportChat) -> str:
        text = transcripts.render_text(transcripts.build(chat, with_notes=True))
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("chat", "score", "created_at")
    list_filter = ("score",)
