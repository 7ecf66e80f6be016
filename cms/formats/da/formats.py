"""Danish dates: "7. december 2026", with the weekday "mandag 7. december 2026", short
"man. 7. dec. 14:00". The standard names are Django's Danish ones; the WEEKDAY_ and
SHORT_WEEKDAY_ names are ours, defined for every language in ``cms.formats`` and used as
``{{ value|date:"WEEKDAY_DATE_FORMAT" }}`` or ``date_format(value, "WEEKDAY_DATE_FORMAT")``.
"""

WEEKDAY_DATE_FORMAT = "l j. F Y"
WEEKDAY_DATETIME_FORMAT = "l j. F Y H:i"
WEEKDAY_MONTH_DAY_FORMAT = "l j. F"
SHORT_WEEKDAY_DATETIME_FORMAT = r"D. j. N H:i"
