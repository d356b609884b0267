from django.db import migrations

OLD = ["hero_image", "hero_width", "hero_height", "hero_alt", "hero_caption", "hero_credit"]


class Migration(migrations.Migration):
    """The story's own picture fields, now that its hero is a library image (0016)."""

    dependencies = [("articles", "0016_move_heroes_into_library")]

    operations = [
        *(migrations.RemoveField("article", name) for name in [*OLD, "hero_renditions"]),
        *(migrations.RemoveField("historicalarticle", name) for name in OLD),
    ]
