from django.contrib import admin


class HistoryInline(admin.TabularInline):
    """A read-only history shown under an object in the back office: never added to, edited or deleted."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False
