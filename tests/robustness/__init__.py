"""Robustness suite: bad inputs and faults, what the user sees, and proof that
nothing was lost. A package so its module names (test_files, test_training ...) do not
clash with the same basenames under tests/ui and tests/core."""
