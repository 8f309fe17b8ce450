from django.apps import AppConfig


class ConditionsConfig(AppConfig):
    name = "conditions"
    verbose_name = "Content"

    def ready(self):
        from . import signals

        signals.connect()
