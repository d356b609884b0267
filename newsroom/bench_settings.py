"""`make bench`: the site's settings, with the bench's bare view beside the site."""

from newsroom.settings import *  # noqa: F403

ROOT_URLCONF = "newsroom.bench"
