"""One module per rule, plus the registry and the Rule base."""
