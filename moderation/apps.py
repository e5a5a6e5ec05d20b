from django.apps import AppConfig


class ModerationConfig(AppConfig):
    """Strikes, suspensions, the moderators' review API and the users' data rights.

    The tables live in the ``models`` package (``models/moderation.py``) like every other
    table of the gateway; this app holds the policy, services, views and commands.
    """

    name = "moderation"
    verbose_name = "Moderation"
