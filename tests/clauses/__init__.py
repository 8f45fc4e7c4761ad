"""Tests of the clauses package: library, variables, terms, deviations, redline and DOCX export."""
