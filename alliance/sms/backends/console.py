from __future__ import annotations

import sys
import uuid

from alliance.sms.backends import Text


class ConsoleBackend:
    """Prints each text (development and the demo): nothing leaves the machine."""

    def send(self, text: Text) -> str:
        sys.stdout.write(f"--- text to {text.to} ---\n{text.body}\n---\n")
        sys.stdout.flush()
        return f"console-{uuid.uuid4().hex}"
