"""Log hygiene (SECURITY.md L7): CR/LF in logged values cannot forge extra log lines."""

from __future__ import annotations

import logging


class NeutraliseNewlines(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "\n" in message or "\r" in message:
            record.msg = message.replace("\r", "\\r").replace("\n", "\\n")
            record.args = None
        return True
