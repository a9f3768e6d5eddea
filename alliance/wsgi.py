"""WSGI entry point used by ``alliance serve`` (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
application = get_wsgi_application()

# Refuse to serve without a usable partner-safety key (the message names ALLIANCE_PARTNER_KEY).
from alliance.encryption import require_partner_key  # noqa: E402

require_partner_key()
