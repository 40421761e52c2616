"""The 0–4 scale of the instrument: names from the descriptors file (the instrument's `scale`)
where it gives them, else these."""

from django.utils.translation import gettext_lazy as _

DEFAULT_NAMES = {
    0: _("Not in place"),
    1: _("Initial"),
    2: _("Repeatable"),
    3: _("Defined"),
    4: _("Managed"),
}


def scale_levels(instrument):
    """[{"value": 0, "name": ..., "summary": ...}, ...] for 0–4."""
    given = (instrument.scale or {}) if instrument is not None else {}
    levels = []
    for value, name in DEFAULT_NAMES.items():
        entry = given.get(str(value)) or {}
        levels.append(
            {"value": value, "name": entry.get("name") or str(name), "summary": entry.get("summary", "")}
        )
    return levels
