from __future__ import annotations

import uuid

from alliance.sms.backends import SmsSendError, Text

#: Every text "sent" in this process, oldest first (tests empty it between tests).
outbox: list[Text] = []
#: Numbers the fake provider refuses, to test failures.
failing_numbers: set[str] = set()


class LocmemBackend:
    def send(self, text: Text) -> str:
        if text.to in failing_numbers:
            raise SmsSendError("the provider refused the text (test number set to fail).")
        outbox.append(text)
        return f"locmem-{uuid.uuid4().hex}"
