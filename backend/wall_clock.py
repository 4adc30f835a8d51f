"""Wall-clock times as the product writes them: "HH:MM", 24-hour, one pattern for everyone.

Reminder times and helplines' opening times share it. A helpline's closing time may also be
"24:00" (the end of the day), which `CLOSING_TIME` adds to the same pattern.
"""

from __future__ import annotations

import re

_HH_MM = r"([01]\d|2[0-3]):[0-5]\d"
HH_MM = re.compile(rf"^{_HH_MM}$")  # 00:00 to 23:59
CLOSING_TIME = re.compile(rf"^({_HH_MM}|24:00)$")  # 00:00 to 24:00
