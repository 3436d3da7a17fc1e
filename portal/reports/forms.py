"""The report's filter: a GET form (a shareable address; works without JavaScript)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectField

from portal.forms import TranslatedMeta


class ReportFilterForm(Form):
    """Choices are filled per request; an unknown value is ignored, not refused."""

    class Meta(TranslatedMeta):
        pass

    year = SelectField(_l("Year"), choices=[])
    period = SelectField(
        _l("Period"),
        choices=[
            SelectChoice("year", _l("Calendar year (the budget year)")),
            SelectChoice("season", _l("Season (August to June)")),
        ],
        default="year",
    )
    scheme = SelectField(_l("Scheme"), choices=[], default="")
    activity = SelectField(_l("Activity"), choices=[], default="")
    association = SelectField(_l("Association"), choices=[], default="")
