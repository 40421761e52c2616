"""Development e-mail: one readable line per message on standard error (who, what, the first
link), so the console stays readable and commands that print JSON on standard output (seed_demo
--json) print nothing else there. EMAIL_BACKEND chooses it; production uses SMTP or another."""

import re
import sys

from django.core.mail.backends.base import BaseEmailBackend

LINK = re.compile(r"https?://\S+")


class SummaryConsoleBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            link = LINK.search(message.body or "")
            line = f"[e-mail] to {', '.join(message.to)}: {message.subject}"
            sys.stderr.write(line + (f" — {link.group(0)}" if link else "") + "\n")
        sys.stderr.flush()
        return len(email_messages)
