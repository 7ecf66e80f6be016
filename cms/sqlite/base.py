"""SQLite, the embedded default, comparing integers beyond its range as PostgreSQL does.

SQLite keeps integers in 64 bits and Python's sqlite3 refuses to bind a larger one
(``OverflowError``), so a 25-digit id in a URL, a list filter or a chooser failed the
request, deep in Django or Wagtail. PostgreSQL compares such a number with its integer
columns and finds no row; bound as a real number, SQLite does the same: no stored id
equals it, every stored id is smaller. Forms refuse such numbers before they are saved
(model integer fields validate against the database's range), so only comparisons meet
them here.
"""

from collections.abc import Mapping

from django.db.backends.sqlite3 import base

INTEGER_RANGE = range(-(2**63), 2**63)


def in_range(value):
    if type(value) is int and value not in INTEGER_RANGE:
        return float(value)
    return value


class CursorWrapper(base.SQLiteCursorWrapper):
    def execute(self, query, params=None):
        if params is None:
            return super().execute(query)
        if isinstance(params, Mapping):
            return super().execute(query, {key: in_range(v) for key, v in params.items()})
        return super().execute(query, [in_range(value) for value in params])


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        return self.connection.cursor(factory=CursorWrapper)
