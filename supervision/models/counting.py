"""Counting helpers for the reports' annotations, shared by courses and sessions."""

from django.db import models
from django.db.models import Count, ExpressionWrapper, Subquery
from django.db.models.functions import Cast, Coalesce, NullIf, Round


def count_of(queryset, group_by):
    """A correlated subquery counting ``queryset``'s rows (0 when none), for ``annotate``."""
    counted = queryset.order_by().values(group_by).annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted[:1]), 0)


def percent(part, whole):
    """``part`` as a whole-number percentage of ``whole``; empty when ``whole`` is 0."""
    ratio = ExpressionWrapper(
        Cast(part, models.FloatField()) * 100 / NullIf(whole, 0), output_field=models.FloatField()
    )
    return Cast(Round(ratio), models.IntegerField())
