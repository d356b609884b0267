"""Draw the touch and app icons (static/img/icon-*.png) from the favicon's design: a
white N on the site's red, in a square a phone rounds itself. Run again after a change
of design; the PNGs are kept in the repository."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

RED, WHITE = (163, 18, 42), (255, 255, 255)
SIZES = {"icon-180.png": 180, "icon-192.png": 192, "icon-512.png": 512}
# The favicon's N, on its 64-unit grid (static/img/favicon.svg).
N = [(18, 48), (18, 16), (24, 16), (40, 37), (40, 16), (46, 16), (46, 48), (40, 48), (24, 27),
     (24, 48)]  # fmt: skip


class Command(BaseCommand):
    help = "Draw the touch and app icons into static/img/."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "static" / "img"
        for name, size in SIZES.items():
            # A full square (no corners of our own) with the N inside the safe zone a
            # maskable icon keeps: 80 % of the side.
            icon = Image.new("RGB", (size, size), RED)
            scale, inset = size * 0.8 / 64, size * 0.1
            ImageDraw.Draw(icon).polygon(
                [(inset + x * scale, inset + y * scale) for x, y in N], fill=WHITE
            )
            icon.save(folder / name, optimize=True)
            self.stdout.write(f"{name}: {size} x {size}")
