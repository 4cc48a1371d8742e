from django.db import migrations

# The desk's starting scale; admins edit it in the admin console.
RATINGS = [
    ("True", "true", 5, "#15803d", "Accurate, with nothing significant missing."),
    ("Mostly true", "mostly-true", 4, "#4d7c0f", "Accurate but needs clarification or context."),
    ("Half true", "half-true", 3, "#a16207", "Partly accurate; leaves out important details."),
    ("Mostly false", "mostly-false", 2, "#c2410c", "Contains an element of truth but ignores critical facts."),
    ("False", "false", 1, "#b91c1c", "Not accurate."),
    ("Misleading", "misleading", None, "#7e22ce", "Accurate facts used to give a false impression."),
    ("Unproven", "unproven", None, "#4b5563", "The evidence available neither confirms nor refutes it."),
]


def seed(apps, schema_editor):
    Rating = apps.get_model("reviews", "Rating")
    for order, (name, slug, value, colour, description) in enumerate(RATINGS):
        Rating.objects.get_or_create(
            slug=slug,
            defaults={"name": name, "value": value, "order": order, "colour": colour, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
