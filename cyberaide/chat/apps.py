from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "cyberaide.chat"
    verbose_name = "17Cyber : discussion avec la police et la gendarmerie"

    def ready(self):
        from django.contrib.auth.signals import user_logged_out

        from .models import Agent

        def off_duty(sender, user, **kwargs):
            """Signing out ends the service: victims must not see an agent who has left."""
            if user is not None:
                Agent.objects.filter(user=user).update(on_duty=False)

        user_logged_out.connect(off_duty, dispatch_uid="chat-agent-off-duty")
