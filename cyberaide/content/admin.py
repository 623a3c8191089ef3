from django.contrib import admin

from .models import AlertDispatch


@admin.register(AlertDispatch)
class AlertDispatchAdmin(admin.ModelAdmin):
    """When each alert was e-mailed and to how many subscribers (the addresses themselves are not shown)."""

    list_display = ["alert", "started_at", "recipients"]
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
