"""Wagtail's database search backend, made safe for whatever a visitor types.

The database backends pass terms into the full-text engine's own query language
(SQLite FTS5 ``MATCH``, PostgreSQL ``tsquery``); quotes, ``*``, ``NEAR``, parentheses,
NUL bytes or thousands of words then raise errors deep inside the search, also in the
Wagtail admin's page, image and document search. Every query, as a string or as a
parsed query object, is reduced here to plain words before it reaches the engine, so
the site search and the admin are covered in one place.

The searched queryset may also be filtered on a computed value, such as the admin's
image and document *usage count* filter (a ``Coalesce`` over a subquery): the search
can only check filters on columns, so such a queryset is searched as "rows whose id is
among those of the filtered queryset", the filter then running as a subquery.

Set as ``WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "cms.search_backend"``.
"""

import re
from functools import cache

from django.db.models.expressions import Col
from django.db.models.functions import Extract
from django.db.models.lookups import Lookup
from django.db.models.sql.where import WhereNode
from modelsearch.backends.base import EmptySearchResults
from modelsearch.backends.database import SearchBackend as DatabaseSearchBackend
from modelsearch.query import And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText

MAX_TERMS = 32
MAX_TERM_LENGTH = 64
# Anything but letters, digits and the underscore: punctuation, operators, emoji, control
# characters. Words in any script survive.
NOT_A_WORD_CHARACTER = re.compile(r"[^\w]+")


def plain_words(text):
    """``text`` as at most MAX_TERMS words of letters and digits, joined by spaces."""
    words = NOT_A_WORD_CHARACTER.sub(" ", str(text)).split()
    return " ".join(word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS])


def safe_query(query):
    """The query with every string reduced to plain words; None if nothing is left."""
    if isinstance(query, str):
        return plain_words(query) or None
    if isinstance(query, MatchAll):
        return query
    if isinstance(query, PlainText):
        words = plain_words(query.query_string)
        return PlainText(words, operator=query.operator) if words else None
    if isinstance(query, Fuzzy):
        words = plain_words(query.query_string)
        return Fuzzy(words, operator=query.operator, unaccent=query.unaccent) if words else None
    if isinstance(query, Phrase):
        words = plain_words(query.query_string)
        return Phrase(words) if words else None
    if isinstance(query, Boost):
        subquery = safe_query(query.subquery)
        return Boost(subquery, query.boost) if subquery is not None else None
    if isinstance(query, Not):
        subquery = safe_query(query.subquery)
        return Not(subquery) if subquery is not None else None
    if isinstance(query, (And, Or)):
        subqueries = [q for q in map(safe_query, query.subqueries) if q is not None]
        if len(subqueries) > 1:
            return type(query)(subqueries)
        return subqueries[0] if subqueries else None
    return query


def filters_on_computed_values(node):
    """Whether a queryset's WHERE tree filters on anything but a column (or its year)."""
    if isinstance(node, Lookup):
        filtered = node.lhs.lhs if isinstance(node.lhs, Extract) else node.lhs
        return not isinstance(filtered, Col)
    if isinstance(node, WhereNode):
        return any(filters_on_computed_values(child) for child in node.children)
    return False


def searchable(queryset):
    """The queryset, its filters moved into an id subquery if any is on a computed value.

    The rest (ordering, annotations, related rows to fetch) stays as the caller built it.
    """
    if not filters_on_computed_values(queryset.query.where):
        return queryset
    ids = queryset.order_by().values("pk")
    searched = queryset.all()
    searched.query.where = WhereNode()
    return searched.filter(pk__in=ids)


class SafeQueryMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        query = safe_query(query)
        if query is None:
            return EmptySearchResults()
        if not isinstance(model_or_queryset, type):
            model_or_queryset = searchable(model_or_queryset)
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


@cache
def _safe_backend_class(backend_class):
    return type(f"Safe{backend_class.__name__}", (SafeQueryMixin, backend_class), {})


def SearchBackend(params):  # noqa: N802 -- the name Wagtail looks up in a backend module
    """The database backend Wagtail picks for this database, with queries made safe."""
    backend = DatabaseSearchBackend(params)
    backend.__class__ = _safe_backend_class(type(backend))
    return backend
