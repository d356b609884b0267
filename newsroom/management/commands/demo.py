from django.conf import settings
from django.core.management.base import BaseCommand

from newsroom.demo import DEMO_LOGINS, load_demo


class Command(BaseCommand):
    help = "Load the demo content (the show Run Away and three stories about it). Safe to re-run."

    def handle(self, *args, **options):
        counts = load_demo()
        summary = ", ".join(f"{n} {name}" for name, n in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {summary}."))
        if settings.DEBUG:
            for username, login in DEMO_LOGINS.items():
                self.stdout.write(
                    f"Local demo login ({login['group'][:-1].lower()}): "
                    f"{username} / {login['password']}"
                )
        else:
            self.stdout.write("DEBUG is off, so no demo login was created.")
