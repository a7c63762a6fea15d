#!/bin/sh
# The tree suite: the limits of issue 10 on the source tree (no .c file of
# src/ or cli/ over 800 lines, no function over 80 lines without a "long
# because" comment right above it), and docs/architecture.md's stage table
# naming every folder and .c file of the tree.  tests/tree/check_tree.py
# says what each case is; it needs python3 and universal-ctags.
# Runs from the repository root.
exec "${PYTHON:-python3}" tests/tree/check_tree.py .
