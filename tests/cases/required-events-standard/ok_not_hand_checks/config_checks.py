# Production code: a validator of settings, which happen to name the events.


def validate_settings(settings):
    return {"valid": bool(settings.get("events")), "count": len(settings.get("events", []))}
