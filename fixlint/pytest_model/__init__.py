"""pytest's fixture semantics as pure functions over facts: scopes, lookup, closures."""
