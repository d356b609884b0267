"""Queries that find rows by id among a few subqueries' answers, by index, however
big the table (the base layer: any app may use it)."""

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import BigIntegerField, F, Func, Lookup, Q


class AnyOf(Lookup):
    """``column = ANY(array)``: with an ARRAY(subquery), the rows the subquery gives are
    found by the column's index (``IN (subquery)`` tests every row against them)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def among(column, *subqueries):
    """The condition that ``column`` is one of the ids the ``subqueries`` (querysets of
    one column each) give. On PostgreSQL ``IN (a) OR IN (b)`` made it test every row of
    the table against both; ``= ANY(ARRAY(a) || ARRAY(b))`` finds them by index. SQLite
    plans IN well as it is."""
    if connection.vendor != "postgresql":
        condition = Q()
        for subquery in subqueries:
            condition |= Q(**{f"{column}__in": subquery})
        return condition
    arrays = [ArraySubquery(subquery) for subquery in subqueries]
    joined = arrays[0] if len(arrays) == 1 else Func(
        *arrays, template="%(expressions)s", arg_joiner=" || ",
        output_field=ArrayField(BigIntegerField()),
    )  # fmt: skip
    return Q(AnyOf(F(column), joined))
