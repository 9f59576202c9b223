# Only the service's own helpers, without `tools`: the root's package is the one imported.
