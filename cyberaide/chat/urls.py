from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("17cyber/ouvrir/<str:result_token>/", views.open_chat, name="open"),
    path("17cyber/discussion/<str:token>/", views.conversation, name="conversation"),
    path("17cyber/discussion/<str:token>/messages/", views.conversation_messages, name="messages"),
    path("17cyber/discussion/<str:token>/quitter/", views.leave, name="leave"),
    path("17cyber/discussion/<str:token>/transcription/", views.transcript, name="transcript"),
    path("17cyber/agent/", views.console, name="console"),
    path("17cyber/agent/service/", views.duty, name="duty"),
    path("17cyber/agent/prendre/<str:reference>/", views.claim, name="claim"),
    path("17cyber/agent/discussion/<str:reference>/", views.agent_conversation, name="agent_conversation"),
    path("17cyber/agent/discussion/<str:reference>/messages/", views.agent_messages, name="agent_messages"),
    path("17cyber/agent/discussion/<str:reference>/reponse-type/", views.send_canned, name="send_canned"),
    path("17cyber/agent/discussion/<str:reference>/transferer/", views.transfer, name="transfer"),
    path("17cyber/agent/discussion/<str:reference>/terminer/", views.close, name="close"),
    path("17cyber/agent/discussion/<str:reference>/fiche/", views.sheet, name="sheet"),
    path("17cyber/agent/discussion/<str:reference>/transcription/", views.agent_transcript, name="agent_transcript"),
]
