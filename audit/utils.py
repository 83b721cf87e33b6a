from django.db import models


def upsert(model: type[models.Model], lookup: dict, values: dict, *, reason: str = ""):
    """Create or update one record, saving (and so writing history) only on a real change.

    Used by demo data and imports, so that running them twice adds no empty history.
    Returns (object, "created" | "updated" | "unchanged").
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.clean_fields()  # the field bounds (ui.bounds) for every import and seed
        obj._change_reason = reason
        obj.save()
        return obj, "created"
    changed = False
    for field, value in values.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed = True
    if changed:
        obj.clean_fields()
        obj._change_reason = reason
        obj.save()
        return obj, "updated"
    return obj, "unchanged"
