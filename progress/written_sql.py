"""Names for the few queries Today writes out by hand.

Today's reads after a write are written out rather than built with the ORM:
compiling them cost more than running them (bench/dashboard.py). Every name in
them comes from the models, quoted here; every value is a parameter.
"""

from typing import cast

from django.db import connection
from django.db.models import Field, Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(cast(Field, model._meta.get_field(name)).column)
