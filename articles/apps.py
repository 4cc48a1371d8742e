from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "articles"

    def ready(self):
        from django.conf import settings

        from .extraction import pipeline

        # CHECKWORTHINESS_SCORER=minilm without its extra stops start-up with the install command.
        pipeline.use_scorer(settings.CHECKWORTHINESS_SCORER)
