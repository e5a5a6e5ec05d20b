"""Django admin for moderation's tables.

Sealed texts never show here (reveals go through the audited API); the audit log is
read-only: no add, change or delete, whoever asks.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from models import Appeal, AuditLog, Case, Contract, Strike, Suspension, Violation


class ViolationInline(admin.TabularInline):
    model = Violation
    extra = 0
    fields = ("created_at", "kinds", "disguised", "action", "hold_state")
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "conversation", "status", "severity", "flagged_at", "updated_at")
    list_filter = ("status",)
    search_fields = ("user__username",)
    raw_id_fields = ("user", "conversation")
    inlines = (ViolationInline,)


@admin.register(Violation)
class ViolationAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "conversation", "kinds", "disguised", "action", "created_at")
    list_filter = ("disguised", "action", "hold_state")
    search_fields = ("user__username",)
    exclude = ("matched", "held_text")
    raw_id_fields = ("user", "conversation", "case", "message", "messages")


@admin.register(Strike)
class StrikeAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "points", "created_at", "expires_at", "removed_at")
    raw_id_fields = ("user", "violation")


@admin.register(Suspension)
class SuspensionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "automatic", "started_at", "lifted_at")
    list_filter = ("automatic",)
    raw_id_fields = ("user", "case", "started_by", "lifted_by")


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "status", "created_at", "decided_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "strike", "suspension", "decided_by")


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ("conversation", "activated_at", "activated_by")
    raw_id_fields = ("conversation", "activated_by")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "subject", "case", "reason")
    list_filter = ("action",)
    search_fields = ("actor__username", "subject__username", "reason")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditLog | None = None) -> bool:
        return False
