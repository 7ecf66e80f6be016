"""A lookup Django leaves to overflow.

Django answers ``exact``, ``lt`` and the like on an integer column given a number the
column cannot hold without sending it; ``range`` sends it, and the database driver then
fails the request (PostgreSQL types the parameter as the column's integer): the admin's
image and document usage-count filter with a 26-digit bound answered 500.
"""

from django.db.models import IntegerField
from django.db.models.lookups import Range


class IntegerRange(Range):
    """``range`` on an integer column, its bounds clamped to what the column can hold:
    the same rows, and only numbers the database can take."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            lowest, highest = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                min(max(bound, lowest), highest)
                if isinstance(bound, int) and None not in (lowest, highest)
                else bound
                for bound in self.rhs
            ]
        return super().process_rhs(compiler, connection)


def register():
    IntegerField.register_lookup(IntegerRange)
