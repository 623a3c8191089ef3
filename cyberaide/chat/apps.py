from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "cyberaide.chat"
    verbose_name = "17Cyber : discussion avec la police et la gendarmerie"
