from __future__ import annotations

import uuid
from pathlib import Path

from alliance.sms.backends import SmsSendError, Text


class FileBackend:
    """One file per text in a folder, like Django's file e-mail backend."""

    def __init__(self, folder: str) -> None:
        if not folder:
            raise SmsSendError("SMS_FILE_PATH is not set: the file backend needs a folder.")
        self.folder = Path(folder)

    def send(self, text: Text) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        provider_id = f"file-{uuid.uuid4().hex}"
        (self.folder / f"{provider_id}.txt").write_text(
            f"To: {text.to}\n\n{text.body}\n", encoding="utf-8"
        )
        return provider_id
