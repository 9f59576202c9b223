"""Fixes: the edits each rule family proposes, and applying edits to source files."""
