"""English dates the way a Danish service writes them in English: 1 March 2027, 24-hour time;
with the weekday "Monday 7 December 2026", short "Mon 7 Dec 14:00" (the WEEKDAY_ names are
ours: see ``cms/formats/da``)."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DATETIME_FORMAT = "l j F Y H:i"
WEEKDAY_MONTH_DAY_FORMAT = "l j F"
SHORT_WEEKDAY_DATETIME_FORMAT = "D j M H:i"
